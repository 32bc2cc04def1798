// A small pool of libpq connections. A Lease returns its connection on scope exit.
#ifndef BIDOPEN_SERVER_STORE_POOL_H_
#define BIDOPEN_SERVER_STORE_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/pg.h"

namespace bidopen::store {

class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  // Opens `size` connections up front so a bad conninfo fails at start-up.
  static absl::StatusOr<std::unique_ptr<Pool>> Create(const std::string& conninfo, int size);

  // Waits up to `timeout` for a free connection; UNAVAILABLE after that.
  absl::StatusOr<Lease> Acquire(absl::Duration timeout = absl::Seconds(10));

 private:
  void Return(std::unique_ptr<Conn> conn);

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_POOL_H_
