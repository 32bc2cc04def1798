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

  absl::Status Begin() { return Start("BEGIN"); }
  // One consistent snapshot for several reads (a view of a tender and its bids).
  absl::Status BeginSnapshot() { return Start("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  absl::Status Commit() {
    open_ = false;
    return conn_.Exec("COMMIT");
  }
  Conn& conn() { return conn_; }

 private:
  absl::Status Start(absl::string_view sql) {
    absl::Status st = conn_.Exec(sql);
    open_ = st.ok();
    return st;
  }
  Conn& conn_;
  bool open_ = false;
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_TX_H_
