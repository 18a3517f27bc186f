// File: workload.h
//
// The synthetic workload every benchmark uses, so their figures compare: `n` events over
// `children` children, each missing episode a police report, a re-grade and a found record of one
// child, a minute apart, from 2020-01-01 (so a million events end before 2022: never "future").
#ifndef HOMEWARD_TESTS_BENCH_WORKLOAD_H_
#define HOMEWARD_TESTS_BENCH_WORKLOAD_H_

#include <string>
#include <vector>

#include "common/domain/event.h"

namespace homeward::bench {

Event SyntheticEvent(int64_t i, int64_t children);
// A child's first identifier, as the chronology resolves it.
std::string SyntheticChild(int64_t child);
// The events, encoded as homeward.v1.Event bytes.
std::vector<std::string> EncodedWorkload(int64_t n, int64_t children);
// Peak resident set of this process so far (VmHWM), in MiB.
double PeakRssMiB();
// The process's resident memory now (VmRSS), after returning free heap pages to the system.
double RssMiB();

}  // namespace homeward::bench

#endif  // HOMEWARD_TESTS_BENCH_WORKLOAD_H_
