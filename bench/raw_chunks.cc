#include "bench/raw_chunks.h"

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/bench_util.h"
#include "core/status_macros.h"
#include "server/store/pg.h"

namespace bidopen::bench {
namespace {

using store::PgConnPtr;
using store::PgResultPtr;

constexpr char kInsert[] = "INSERT INTO raw_chunks (upload_id, pos, data) VALUES ($1, $2, $3)";

absl::StatusOr<PgConnPtr> Connect(const std::string& conninfo) {
  PgConnPtr c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    return absl::UnavailableError(
        absl::StrCat("raw baseline: cannot connect: ", c ? PQerrorMessage(c.get()) : "no memory"));
  PQsetNoticeProcessor(
      c.get(), [](void*, const char*) {}, nullptr);  // "... skipping"
  return c;
}

absl::Status Ok(PGconn* c, PgResultPtr r, absl::string_view what) {
  const ExecStatusType s = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("raw baseline: ", what, ": ", PQerrorMessage(c)));
}

absl::Status Exec(PGconn* c, const char* sql) { return Ok(c, PgResultPtr(PQexec(c, sql)), sql); }

// One INSERT of bytes [pos, pos + n) of upload `id`, in autocommit.
absl::Status InsertChunk(PGconn* c, int64_t id, int64_t pos, const std::string& data) {
  const std::string id_text = std::to_string(id), pos_text = std::to_string(pos);
  const char* values[3] = {id_text.c_str(), pos_text.c_str(), data.data()};
  const int lengths[3] = {0, 0, static_cast<int>(data.size())};
  const int formats[3] = {0, 0, 1};
  return Ok(c, PgResultPtr(PQexecPrepared(c, "raw_insert", 3, values, lengths, formats, 1)),
            "INSERT");
}

absl::Status InsertFile(PGconn* c, int64_t id, const std::string& path, size_t chunk,
                        RawIngest* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("raw baseline: cannot open ", path));
  std::string buffer(chunk, '\0');
  for (int64_t pos = 0;; pos += static_cast<int64_t>(buffer.size())) {
    in.read(buffer.data(), static_cast<std::streamsize>(chunk));
    buffer.resize(static_cast<size_t>(in.gcount()));
    if (buffer.empty()) return absl::OkStatus();
    BO_RETURN_IF_ERROR(InsertChunk(c, id, pos, buffer));
    out->bytes += buffer.size();
    out->chunks += 1;
  }
}

absl::StatusOr<PgConnPtr> Prepared(const std::string& conninfo) {
  BO_ASSIGN_OR_RETURN(PgConnPtr c, Connect(conninfo));
  BO_RETURN_IF_ERROR(
      Ok(c.get(), PgResultPtr(PQprepare(c.get(), "raw_insert", kInsert, 0, nullptr)), "prepare"));
  return c;
}

// One connection inserting whole files, taking the next file from `next`.
struct Inserter {
  PgConnPtr conn;
  RawIngest done;
  absl::Status status;
  void Run(const std::vector<std::string>& files, size_t chunk, std::atomic<size_t>& next) {
    for (size_t i; status.ok() && (i = next++) < files.size();)
      status = InsertFile(conn.get(), static_cast<int64_t>(i), files[i], chunk, &done);
  }
};

}  // namespace

absl::Status ResetRawChunks(const std::string& conninfo) {
  BO_ASSIGN_OR_RETURN(PgConnPtr c, Connect(conninfo));
  BO_RETURN_IF_ERROR(Exec(c.get(), "DROP TABLE IF EXISTS raw_chunks"));
  BO_RETURN_IF_ERROR(Exec(c.get(),
                          "CREATE TABLE raw_chunks (upload_id bigint NOT NULL, pos bigint NOT "
                          "NULL, data bytea NOT NULL, PRIMARY KEY (upload_id, pos))"));
  return Exec(c.get(), "ALTER TABLE raw_chunks ALTER COLUMN data SET STORAGE EXTERNAL");
}

absl::StatusOr<RawIngest> RawInsertFiles(const std::string& conninfo,
                                         const std::vector<std::string>& files, size_t chunk,
                                         int connections) {
  std::vector<Inserter> inserters(static_cast<size_t>(connections));
  for (Inserter& in : inserters) {
    BO_ASSIGN_OR_RETURN(in.conn, Prepared(conninfo));
  }
  std::atomic<size_t> next{0};
  const SteadyClock::time_point t0 = SteadyClock::now();
  std::vector<std::thread> threads;
  for (Inserter& in : inserters) threads.emplace_back([&] { in.Run(files, chunk, next); });
  for (auto& t : threads) t.join();
  RawIngest total;
  total.seconds = SecondsSince(t0);
  for (const Inserter& in : inserters) {
    if (!in.status.ok()) return in.status;
    total.bytes += in.done.bytes;
    total.chunks += in.done.chunks;
  }
  return total;
}

}  // namespace bidopen::bench
