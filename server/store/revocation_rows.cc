#include "server/store/revocation_rows.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kOne{"rv_one", "SELECT state FROM revoked_certificates WHERE fingerprint = $1"};
constexpr Statement kAll{"rv_all", "SELECT state FROM revoked_certificates"};
constexpr Statement kInsert{"rv_insert",
                            "INSERT INTO revoked_certificates (fingerprint, state) VALUES ($1, $2)"
                            " ON CONFLICT (fingerprint) DO UPDATE SET state = $2"};

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

absl::StatusOr<Revocations> ReadRevocations(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kAll));
  Revocations out;
  for (int i = 0; i < r.rows(); ++i) {
    BO_ASSIGN_OR_RETURN(v1::Revocation one, Parse(r.Bytes(i, 0)));
    const std::string fingerprint = one.fingerprint();
    out[fingerprint] = std::move(one);
  }
  return out;
}

absl::Status WriteRevocation(Conn& conn, const v1::Revocation& r) {
  return conn.Run(kInsert, Params().Text(r.fingerprint()).Bytes(r.SerializeAsString())).status();
}

}  // namespace bidopen::store
