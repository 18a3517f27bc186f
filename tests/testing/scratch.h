// File: scratch.h
//
// A scratch path for one test in one process: the test's name and the process id, so that two
// runs of the suite at once (two checkouts, ctest -j) never share a store.
#ifndef HOMEWARD_TESTS_TESTING_SCRATCH_H_
#define HOMEWARD_TESTS_TESTING_SCRATCH_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace homeward::testing {

// "<temp dir>/<prefix>-<test name>-<pid><suffix>".
inline std::string ScratchPath(const std::string& prefix, const std::string& suffix = "") {
  return absl::StrCat(::testing::TempDir(), "/", prefix, "-",
                      ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-", getpid(), suffix);
}

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_SCRATCH_H_
