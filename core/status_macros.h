// Early-return helpers for absl::Status / absl::StatusOr.
#ifndef BIDOPEN_CORE_STATUS_MACROS_H_
#define BIDOPEN_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BO_RETURN_IF_ERROR(expr)                \
  do {                                          \
    if (absl::Status bo_st_ = (expr); !bo_st_.ok()) \
      return bo_st_;                            \
  } while (0)

#define BO_CONCAT_INNER(a, b) a##b
#define BO_CONCAT(a, b) BO_CONCAT_INNER(a, b)

// BO_ASSIGN_OR_RETURN(auto x, Fn()); declares x from a StatusOr or returns its status.
#define BO_ASSIGN_OR_RETURN(lhs, expr) \
  BO_ASSIGN_OR_RETURN_IMPL(BO_CONCAT(bo_sor_, __LINE__), lhs, expr)
#define BO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

#endif  // BIDOPEN_CORE_STATUS_MACROS_H_
