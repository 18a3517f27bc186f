// File: signals.h
//
// Orderly shutdown on Ctrl-C / SIGTERM for Homeward's long-running processes.
//   BlockShutdownSignals();            // first thing in main, before any thread starts
//   ... start threads, servers ...
//   int sig = WaitForShutdownSignal(); // returns on SIGINT or SIGTERM
// Blocking first means every thread inherits the mask, so the signal reaches only the waiter
// (../shared/kafka-and-grpc-notes.md, gRPC graceful shutdown).
#ifndef HOMEWARD_COMMON_SIGNALS_H_
#define HOMEWARD_COMMON_SIGNALS_H_

#include <pthread.h>
#include <signal.h>

namespace homeward {

inline void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

inline int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace homeward

#endif  // HOMEWARD_COMMON_SIGNALS_H_
