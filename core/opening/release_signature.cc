#include "core/opening/release_signature.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/opening/time_text.h"
#include "core/seal/format.h"

namespace bidopen {

std::string ReleaseSigningInput(absl::string_view tender_id, const v1::KeyReleased& k) {
  std::string in;
  seal::AppendLp(&in, kReleaseLabel);
  seal::AppendLp(&in, tender_id);
  seal::AppendU32(&in, static_cast<uint32_t>(k.lot()));
  seal::AppendU32(&in, static_cast<uint32_t>(k.kind()));
  seal::AppendU64(&in, k.bid());
  seal::AppendU32(&in, k.share_x());
  seal::AppendLp(&in, k.material_sha256());
  seal::AppendLp(&in, k.seen_checkpoint());
  return in;
}

absl::StatusOr<log::Checkpoint> CitedHead(const v1::KeyReleased& k) {
  if (k.seen_checkpoint().empty())
    return absl::DataLossError("the release cites no signed tree head (seen_checkpoint)");
  absl::StatusOr<log::Checkpoint> c = log::ParseCheckpoint(k.seen_checkpoint());
  if (!c.ok())
    return absl::DataLossError(
        absl::StrCat("the release's seen_checkpoint does not parse: ", c.status().message()));
  return c;
}

absl::Status CheckReleaseSignature(const v1::Event& e, absl::string_view ca_pem,
                                   absl::string_view log_cert_pem) {
  const v1::KeyReleased& k = e.key_released();
  const std::string& pem = k.certificate_pem();
  if (pem.empty() || k.signature().empty())
    return absl::DataLossError("the release carries no releaser's signature or certificate");
  // As it was when it signed (the event's time, which the fold holds to the
  // window), not as it is now: a certificate that lapses after its release
  // must not make the tender "not verify" for every later releaser (review 4
  // R3).
  const absl::Time signed_at = FromProto(e.time());
  if (absl::Status st = crypto::VerifyIssuedBy(pem, ca_pem, signed_at); !st.ok())
    return absl::DataLossError(absl::StrCat("the releaser's certificate at ",
                                            TimeText(signed_at, absl::UTCTimeZone()),
                                            " (the release's time): ", st.message()));
  absl::StatusOr<v1::Party> party = crypto::PartyFromPem(pem);
  if (!party.ok() || party->fingerprint() != e.actor().fingerprint())
    return absl::DataLossError("the releaser's certificate is not the actor's");
  if (!crypto::VerifySignature(pem, ReleaseSigningInput(e.tender_id(), k), k.signature()).ok())
    return absl::DataLossError(
        "the release's signature does not verify with the releaser's certificate key: the "
        "releaser did not sign this release");
  if (!crypto::VerifySignature(log_cert_pem, k.seen_checkpoint(), k.seen_signature()).ok())
    return absl::DataLossError(
        "the tree head the release cites is not signed by the log key (seen_signature)");
  return CitedHead(k).status();
}

absl::Status CheckCallerReleaseSignature(absl::string_view caller_cert_pem,
                                         absl::string_view tender_id, const v1::KeyReleased& k,
                                         absl::string_view signature, absl::string_view field) {
  if (signature.empty())
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": missing; a release is signed by its releaser (docs/protocol.md \"Releasing\")"));
  if (crypto::VerifySignature(caller_cert_pem, ReleaseSigningInput(tender_id, k), signature).ok())
    return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field,
      ": does not verify with the key of the caller's certificate over this release "
      "(tender, lot, kind, bid ",
      k.bid(), ", share ", k.share_x(),
      ", the material's hash and seen_checkpoint); sign it with the key of the certificate you "
      "call with"));
}

}  // namespace bidopen
