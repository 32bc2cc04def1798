#include "server/store/pg.h"

#include <arpa/inet.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

absl::Status FromSqlState(absl::string_view state, std::string message) {
  if (state == "40001" || state == "40P01") return absl::AbortedError(message);
  if (state == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(state, "08") || state == "57P01") return absl::UnavailableError(message);
  return absl::InternalError(message);
}

uint64_t BigEndian64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return be64toh(v);
}

}  // namespace

Params& Params::Add(std::string v, int format) {
  values_.push_back(std::move(v));
  lengths_.push_back(static_cast<int>(values_.back().size()));
  formats_.push_back(format);
  Repoint();
  return *this;
}

void Params::Repoint() {
  pointers_.clear();
  for (const auto& v : values_) pointers_.push_back(v.data());
}

Params& Params::Text(absl::string_view v) {
  if (cut_text_ == 0 && v.find('\0') != absl::string_view::npos) cut_text_ = size() + 1;
  return Add(std::string(v), 0);
}
Params& Params::Int(int64_t v) { return Add(std::to_string(v), 0); }
Params& Params::Bytes(absl::string_view v) { return Add(std::string(v), 1); }

absl::string_view Result::Bytes(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
}

int64_t Result::Int64(int row, int col) const {
  return static_cast<int64_t>(BigEndian64(PQgetvalue(r_.get(), row, col)));
}

int32_t Result::Int32(int row, int col) const {
  uint32_t v;
  std::memcpy(&v, PQgetvalue(r_.get(), row, col), 4);
  return static_cast<int32_t>(ntohl(v));
}

bool Result::Bool(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] != 0; }

absl::StatusOr<std::unique_ptr<Conn>> Conn::Open(const std::string& conninfo) {
  PgConnPtr c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ",
                                               c ? PQerrorMessage(c.get()) : "out of memory"));
  // Server NOTICEs ("... already exists, skipping") are not for operators.
  PQsetNoticeProcessor(
      c.get(), [](void*, const char*) {}, nullptr);
  std::unique_ptr<Conn> conn(new Conn(std::move(c)));
  if (auto st = conn->Exec("SET TIME ZONE 'UTC'"); !st.ok()) return st;
  return conn;
}

absl::StatusOr<Result> Conn::Check(PgResultPtr r, absl::string_view what) {
  ExecStatusType s = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return Result(std::move(r));
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = absl::StrCat(
      "database (", what, "): ", r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (!Healthy()) return absl::UnavailableError(msg);
  return FromSqlState(state ? state : "", msg);
}

absl::Status Conn::Exec(absl::string_view sql) {
  PgResultPtr r(PQexec(conn_.get(), std::string(sql).c_str()));
  return Check(std::move(r), "exec").status();
}

namespace {

absl::Status CheckParams(const Params& p, absl::string_view what) {
  if (p.cut_text() == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": text parameter $", p.cut_text(),
                   " holds a NUL byte; refused, since PostgreSQL would see it cut short"));
}

}  // namespace

absl::StatusOr<Result> Conn::Query(absl::string_view sql, const Params& p) {
  BO_RETURN_IF_ERROR(CheckParams(p, "query"));
  PgResultPtr r(PQexecParams(conn_.get(), std::string(sql).c_str(), p.size(), nullptr, p.values(),
                             p.lengths(), p.formats(), 1));
  return Check(std::move(r), "query");
}

absl::StatusOr<Result> Conn::Run(const Statement& stmt, const Params& p) {
  BO_RETURN_IF_ERROR(CheckParams(p, stmt.name));
  if (!prepared_.contains(stmt.name)) {
    PgResultPtr r(PQprepare(conn_.get(), stmt.name, stmt.sql, 0, nullptr));
    auto checked = Check(std::move(r), stmt.name);
    if (!checked.ok()) return checked.status();
    prepared_.insert(stmt.name);
  }
  PgResultPtr r(
      PQexecPrepared(conn_.get(), stmt.name, p.size(), p.values(), p.lengths(), p.formats(), 1));
  return Check(std::move(r), stmt.name);
}

namespace {

// Drains the notifications libpq has read; true if there were any.
bool DrainNotifications(PGconn* c) {
  bool any = false;
  while (PGnotify* n = PQnotifies(c)) {
    PQfreemem(n);
    any = true;
  }
  return any;
}

}  // namespace

absl::StatusOr<bool> Conn::AwaitNotification(absl::Duration timeout) {
  PGconn* c = conn_.get();
  auto broken = [c] {
    return absl::UnavailableError(
        absl::StrCat("the notification connection broke: ", PQerrorMessage(c)));
  };
  if (PQconsumeInput(c) == 0) return broken();
  if (DrainNotifications(c)) return true;
  pollfd fd{.fd = PQsocket(c), .events = POLLIN, .revents = 0};
  if (fd.fd < 0) return broken();
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  if (::poll(&fd, 1, ms < 0 ? 0 : ms) < 0 && errno != EINTR)
    return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
  if (PQconsumeInput(c) == 0) return broken();
  return DrainNotifications(c);
}

void Conn::Reset() {
  PQreset(conn_.get());
  prepared_.clear();
}

}  // namespace bidopen::store
