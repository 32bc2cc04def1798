#include "bench/raw_baseline.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/store/pg.h"

namespace bidopen::bench {
namespace {

constexpr store::Statement kInsert{"raw_insert",
                                   "INSERT INTO raw_events (seq, body) VALUES ($1, $2)"};
// As store::InsertNodes does it: arrays as text, the bytes as one blob.
constexpr store::Statement kInsertMany{
    "raw_insert_many",
    "INSERT INTO raw_events (seq, body)"
    " SELECT s, substring($3::bytea FROM o FOR l)"
    " FROM unnest($1::bigint[], $2::int[], $4::int[]) AS t(s, o, l)"};

std::unique_ptr<store::Conn> Connect(const std::string& conninfo) {
  return Must(store::Conn::Open(conninfo), "connect (raw baseline)");
}

// A raw row: the id doubles as seq, which is unique because the table was reset.
absl::Status InsertOne(store::Conn& conn, uint64_t id) {
  return conn
      .Run(kInsert, store::Params().Int(static_cast<int64_t>(id)).Bytes(EncodedKeyEvent(id, id)))
      .status();
}

}  // namespace

void ResetRawTable(const std::string& conninfo) {
  auto conn = Connect(conninfo);
  Must(conn->Exec("SET client_min_messages = warning; CREATE TABLE IF NOT EXISTS raw_events (seq "
                  "bigint PRIMARY KEY,"
                  " body bytea NOT NULL); TRUNCATE raw_events"),
       "reset raw_events");
}

void RawOneRowPerTx(const std::string& conninfo, Load& load) {
  auto conn = Connect(conninfo);
  while (!load.stopped()) {
    absl::Status st = InsertOne(*conn, load.NextId());
    st.ok() ? load.Done(1) : load.Error(st);
  }
}

void RawBatchPerTx(const std::string& conninfo, Load& load) {
  auto conn = Connect(conninfo);
  while (!load.stopped()) {
    absl::Status st = conn->Exec("BEGIN");
    for (int i = 0; st.ok() && i < kRawBatch; ++i) st = InsertOne(*conn, load.NextId());
    if (st.ok()) st = conn->Exec("COMMIT");
    if (st.ok()) {
      load.Done(kRawBatch);
    } else {
      (void)conn->Exec("ROLLBACK");
      load.Error(st);
    }
  }
}

void RawBatchOneStatement(const std::string& conninfo, Load& load) {
  auto conn = Connect(conninfo);
  while (!load.stopped()) {
    std::vector<uint64_t> seqs;
    std::vector<size_t> offsets, lengths;
    std::string blob;
    for (int i = 0; i < kRawBatch; ++i) {
      const uint64_t id = load.NextId();
      std::string body = EncodedKeyEvent(id, id);
      seqs.push_back(id);
      offsets.push_back(blob.size() + 1);
      lengths.push_back(body.size());
      blob += body;
    }
    absl::Status st =
        conn->Run(kInsertMany, store::Params()
                                   .Text(absl::StrCat("{", absl::StrJoin(seqs, ","), "}"))
                                   .Text(absl::StrCat("{", absl::StrJoin(offsets, ","), "}"))
                                   .Bytes(blob)
                                   .Text(absl::StrCat("{", absl::StrJoin(lengths, ","), "}")))
            .status();
    st.ok() ? load.Done(kRawBatch) : load.Error(st);
  }
}

}  // namespace bidopen::bench
