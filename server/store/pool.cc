#include "server/store/pool.h"

#include "absl/strings/str_cat.h"

namespace bidopen::store {

Pool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

absl::StatusOr<std::unique_ptr<Pool>> Pool::Create(const std::string& conninfo, int size) {
  auto pool = std::make_unique<Pool>();
  for (int i = 0; i < size; ++i) {
    auto conn = Conn::Open(conninfo);
    if (!conn.ok()) return conn.status();
    absl::MutexLock lock(&pool->mu_);
    pool->idle_.push_back(*std::move(conn));
  }
  return pool;
}

absl::StatusOr<Pool::Lease> Pool::Acquire(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !idle_.empty(); };
  if (!mu_.AwaitWithTimeout(absl::Condition(&available), timeout))
    return absl::UnavailableError(
        absl::StrCat("no database connection free within ", absl::FormatDuration(timeout)));
  std::unique_ptr<Conn> conn = std::move(idle_.back());
  idle_.pop_back();
  if (!conn->Healthy()) conn->Reset();
  return Lease(this, std::move(conn));
}

void Pool::Return(std::unique_ptr<Conn> conn) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(conn));
}

}  // namespace bidopen::store
