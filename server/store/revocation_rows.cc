#include "server/store/revocation_rows.h"

#include "absl/strings/str_cat.h"
#include "core/opening/event_codec.h"
#include "core/opening/fold.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kOne{"rv_one", "SELECT state FROM revoked_certificates WHERE fingerprint = $1"};
constexpr Statement kInsert{"rv_insert",
                            "INSERT INTO revoked_certificates (fingerprint, state) VALUES ($1, $2)"
                            " ON CONFLICT (fingerprint) DO UPDATE SET state = $2"};

constexpr Statement kLogSize{"rv_log_size", "SELECT size FROM log_head"};
constexpr Statement kFromLog{"rv_from_log",
                             "SELECT seq, body FROM events WHERE seq >= $1 AND seq < $2"
                             " AND kind = 'certificate_revoked' ORDER BY seq"};

absl::StatusOr<v1::Revocation> Parse(absl::string_view bytes) {
  v1::Revocation r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::DataLossError("query table revoked_certificates: a row does not parse");
  return r;
}

}  // namespace

absl::StatusOr<std::optional<v1::Revocation>> ReadRevocation(Conn& conn,
                                                             const std::string& fingerprint) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kOne, Params().Text(fingerprint)));
  if (r.rows() == 0) return std::nullopt;
  return Parse(r.Bytes(0, 0));
}

absl::StatusOr<uint64_t> FoldRevocationsFromLog(Conn& conn, uint64_t from, Revocations* into) {
  BO_ASSIGN_OR_RETURN(Result head, conn.Run(kLogSize));
  const int64_t size = head.Int64(0, 0);
  BO_ASSIGN_OR_RETURN(Result r,
                      conn.Run(kFromLog, Params().Int(static_cast<int64_t>(from)).Int(size)));
  for (int i = 0; i < r.rows(); ++i) {
    BO_ASSIGN_OR_RETURN(v1::Event event,
                        DecodeEvent(r.Bytes(i, 1), static_cast<uint64_t>(r.Int64(i, 0))));
    BO_RETURN_IF_ERROR(ApplyEvent(event, {.revoked = into}).status());
  }
  return static_cast<uint64_t>(size);
}

absl::Status WriteRevocation(Conn& conn, const v1::Revocation& r) {
  return conn.Run(kInsert, Params().Text(r.fingerprint()).Bytes(r.SerializeAsString())).status();
}

}  // namespace bidopen::store
