// File: status_macros.h
//
// RETURN_IF_ERROR and ASSIGN_OR_RETURN, which Abseil 20220623 does not ship.
#ifndef HOMEWARD_COMMON_STATUS_MACROS_H_
#define HOMEWARD_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define HW_CONCAT_INNER_(a, b) a##b
#define HW_CONCAT_(a, b) HW_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    if (absl::Status hw_status_ = (expr); !hw_status_.ok()) { \
      return hw_status_;                           \
    }                                              \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MaybeX());` declares x from an OK StatusOr, or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(HW_CONCAT_(hw_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) {                             \
    return std::move(statusor).status();            \
  }                                                 \
  lhs = *std::move(statusor)

#endif  // HOMEWARD_COMMON_STATUS_MACROS_H_
