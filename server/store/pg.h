// RAII around libpq: one connection, results, parameters (design.md §9).
#ifndef BIDOPEN_SERVER_STORE_PG_H_
#define BIDOPEN_SERVER_STORE_PG_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bidopen::store {

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

// A prepared statement: SQL lives next to the store code that runs it.
struct Statement {
  const char* name;
  const char* sql;
};

// Query parameters: text for numbers and strings, binary for bytes.
class Params {
 public:
  Params() = default;
  // Moving re-points at the moved strings (short ones live inside them).
  Params(Params&& other) noexcept
      : cut_text_(other.cut_text_),
        values_(std::move(other.values_)),
        lengths_(std::move(other.lengths_)),
        formats_(std::move(other.formats_)) {
    Repoint();
  }
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;

  // libpq reads a text parameter up to its first NUL, so a value holding
  // one would reach SQL cut short: such Params are refused by Conn (the edge
  // refuses control characters first; this keeps strings byte-exact anyway).
  Params& Text(absl::string_view v);
  Params& Int(int64_t v);
  Params& Bool(bool v) { return Text(v ? "t" : "f"); }
  Params& Bytes(absl::string_view v);

  int size() const { return static_cast<int>(values_.size()); }
  // The 1-based number of the first text parameter holding a NUL, or 0.
  int cut_text() const { return cut_text_; }
  const char* const* values() const { return pointers_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& Add(std::string v, int format);
  void Repoint();
  int cut_text_ = 0;
  std::vector<std::string> values_;
  std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// A result in binary format. Column accessors know the PostgreSQL binary
// encodings of the types we use: int8, int4, bool, text, bytea.
class Result {
 public:
  explicit Result(PgResultPtr r) : r_(std::move(r)) {}
  int rows() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col); }
  absl::string_view Bytes(int row, int col) const;  // text or bytea
  int64_t Int64(int row, int col) const;            // int8
  int32_t Int32(int row, int col) const;            // int4
  bool Bool(int row, int col) const;

 private:
  PgResultPtr r_;
};

class Conn {
 public:
  static absl::StatusOr<std::unique_ptr<Conn>> Open(const std::string& conninfo);

  // Simple protocol; several statements allowed (migrations). No result rows.
  absl::Status Exec(absl::string_view sql);
  // One-off parameterized query.
  absl::StatusOr<Result> Query(absl::string_view sql, const Params& params = {});
  // Runs a prepared statement, preparing it on this connection the first time.
  absl::StatusOr<Result> Run(const Statement& stmt, const Params& params = {});

  bool Healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  // Inside a transaction that no error has aborted.
  bool InCleanTransaction() const { return PQtransactionStatus(conn_.get()) == PQTRANS_INTRANS; }
  void Reset();

  // For a connection that LISTENs (the live hall's fan-out across replicas):
  // waits up to `timeout` for a notification, drains every one that came, and
  // says whether any did. UNAVAILABLE if the connection broke.
  absl::StatusOr<bool> AwaitNotification(absl::Duration timeout);

 private:
  explicit Conn(PgConnPtr c) : conn_(std::move(c)) {}
  absl::StatusOr<Result> Check(PgResultPtr r, absl::string_view what);

  PgConnPtr conn_;
  std::set<std::string> prepared_;
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_PG_H_
