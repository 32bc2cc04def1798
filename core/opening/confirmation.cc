#include "core/opening/confirmation.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/seal/format.h"

namespace bidopen {
namespace {

absl::Status Bad(const v1::AnnouncementConfirmed& c, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("the confirmation for bid ", c.bid(), ": ", what));
}

}  // namespace

std::string ConfirmationMessage(absl::string_view tender_id, int32_t lot,
                                absl::string_view announcement_sha256) {
  std::string out;
  seal::AppendLp(&out, kConfirmLabel);
  seal::AppendLp(&out, tender_id);
  seal::AppendU32(&out, static_cast<uint32_t>(lot));
  seal::AppendLp(&out, announcement_sha256);
  return out;
}

absl::Status CheckConfirmationSignature(const v1::AnnouncementConfirmed& c, const v1::Party& bidder,
                                        absl::string_view tender_id, absl::string_view ca_pem,
                                        std::optional<absl::Time> signed_at) {
  const std::string& pem = c.bidder_certificate_pem();
  if (absl::Status st = crypto::VerifyIssuedBy(pem, ca_pem, signed_at); !st.ok())
    return Bad(c, absl::StrCat("its certificate: ", st.message()));
  absl::StatusOr<v1::Party> party = crypto::PartyFromPem(pem);
  if (!party.ok() || party->fingerprint() != bidder.fingerprint())
    return Bad(c, absl::StrCat("its certificate is not the revealed bidder's (",
                               bidder.fingerprint(), ")"));
  const std::string message = ConfirmationMessage(tender_id, c.lot(), c.announcement_sha256());
  if (absl::Status st = crypto::VerifySignature(pem, message, c.signature()); !st.ok())
    return Bad(c, absl::StrCat("its signature: ", st.message()));
  return absl::OkStatus();
}

}  // namespace bidopen
