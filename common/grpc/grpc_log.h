// File: grpc_log.h
//
// gRPC's own messages (handshake failures, transport errors) go through Homeward's log
// (common/logging.h), in its format and level, instead of gRPC's format on standard error: a
// JSON log stays one object per line. Call once from main, after log::Init and before gRPC
// starts.
#ifndef HOMEWARD_COMMON_GRPC_GRPC_LOG_H_
#define HOMEWARD_COMMON_GRPC_GRPC_LOG_H_

#include <grpc/support/log.h>

#include "common/logging.h"

namespace homeward {

inline void SendGrpcLogsToHomewardLog() {
  gpr_set_log_function([](gpr_log_func_args* args) {
    switch (args->severity) {
      case GPR_LOG_SEVERITY_DEBUG: log::Debug("grpc: {} ({}:{})", args->message, args->file, args->line); break;
      case GPR_LOG_SEVERITY_INFO: log::Info("grpc: {}", args->message); break;
      case GPR_LOG_SEVERITY_ERROR: log::Error("grpc: {} ({}:{})", args->message, args->file, args->line); break;
    }
  });
}

}  // namespace homeward

#endif  // HOMEWARD_COMMON_GRPC_GRPC_LOG_H_
