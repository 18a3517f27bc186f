#include "common/flags_help.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "absl/flags/flag.h"

ABSL_FLAG(int, flags_help_test_answer, 42, "The answer this test looks for in --help");

namespace homeward {
namespace {

// Parses `args` as main() would. Help goes to standard output; the death tests below match
// standard error, so it is sent there.
void Parse(std::vector<std::string> args) {
  dup2(STDERR_FILENO, STDOUT_FILENO);
  absl::SetProgramUsageMessage("flags_help_test: what this program does");
  args.insert(args.begin(), "flags_help_test");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ParseCommandLineWithHelp(static_cast<int>(argv.size()), argv.data(),
                           "tests/common/flags_help_test");
  std::exit(7);  // not a help flag: parsing returned
}

TEST(FlagsHelp, HelpPrintsTheUsageAndTheProgramsFlagsAndExitsZero) {
  EXPECT_EXIT(Parse({"--help"}), ::testing::ExitedWithCode(0),
              "what this program does.*--flags_help_test_answer \\(The answer this test looks for "
              "in --help\\)");
}

TEST(FlagsHelp, TheShortAndFullFormsExitZeroToo) {
  EXPECT_EXIT(Parse({"-h"}), ::testing::ExitedWithCode(0), "--flags_help_test_answer");
  EXPECT_EXIT(Parse({"--helpfull"}), ::testing::ExitedWithCode(0), "--flags_help_test_answer");
}

// Exits with the flag's value, so the death test can see what was parsed.
void ParseAndExitWithTheAnswer(std::vector<std::string> args) {
  absl::SetProgramUsageMessage("flags_help_test");
  args.insert(args.begin(), "flags_help_test");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  const std::vector<char*> positional = ParseCommandLineWithHelp(
      static_cast<int>(argv.size()), argv.data(), "tests/common/flags_help_test");
  std::exit(absl::GetFlag(FLAGS_flags_help_test_answer) + static_cast<int>(positional.size()) * 10);
}

TEST(FlagsHelp, AFlagsNameMayBeWrittenWithDashes) {
  EXPECT_EXIT(ParseAndExitWithTheAnswer({"--flags-help-test-answer=3"}),
              ::testing::ExitedWithCode(13), "");
  // Only names: values, and whatever follows "--", are left as written.
  EXPECT_EXIT(ParseAndExitWithTheAnswer({"--flags_help_test_answer", "4", "--", "--a-b"}),
              ::testing::ExitedWithCode(24), "");
}

TEST(FlagsHelp, WithoutAHelpFlagParsingReturns) {
  EXPECT_EXIT(Parse({"--flags_help_test_answer=7"}), ::testing::ExitedWithCode(7), "");
  EXPECT_EXIT(Parse({"--no_such_flag"}), ::testing::ExitedWithCode(1), "no_such_flag");
}

}  // namespace
}  // namespace homeward
