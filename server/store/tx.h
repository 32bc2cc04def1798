// A transaction as an RAII object: rolls back unless committed.
#ifndef BIDOPEN_SERVER_STORE_TX_H_
#define BIDOPEN_SERVER_STORE_TX_H_

#include "absl/status/status.h"
#include "server/store/pg.h"

namespace bidopen::store {

class Tx {
 public:
  explicit Tx(Conn& conn) : conn_(conn) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  ~Tx() {
    if (open_) (void)conn_.Exec("ROLLBACK");
  }

  absl::Status Begin() {
    absl::Status st = conn_.Exec("BEGIN");
    open_ = st.ok();
    return st;
  }
  absl::Status Commit() {
    open_ = false;
    return conn_.Exec("COMMIT");
  }
  Conn& conn() { return conn_; }

 private:
  Conn& conn_;
  bool open_ = false;
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_TX_H_
