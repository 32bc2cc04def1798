// CertificateRevoked: an operator revoked a certificate, once.
#include "absl/strings/str_cat.h"
#include "core/opening/fold_internal.h"
#include "core/opening/revocation_rules.h"

namespace bidopen::fold_internal {

absl::StatusOr<Changes> ApplyRevoked(const v1::Event& e, Revocations* revoked) {
  if (!e.tender_id().empty()) return Corrupt(e, "a certificate revocation inside a tender");
  if (revoked == nullptr)
    return absl::InternalError(absl::StrCat("event ", e.seq(), ": no revocations to apply it to"));
  if (e.actor().role() != v1::ROLE_OPERATOR)
    return Corrupt(e, "a certificate revoked by a party that is no operator");
  const v1::CertificateRevoked& c = e.certificate_revoked();
  if (!CheckFingerprint("fingerprint", c.fingerprint()).ok())
    return Corrupt(e, "a revocation without a well-formed fingerprint");
  if (revoked->contains(c.fingerprint()))
    return Corrupt(e, absl::StrCat("certificate ", c.fingerprint(), " revoked a second time"));
  v1::Revocation& r = (*revoked)[c.fingerprint()];
  r.set_fingerprint(c.fingerprint());
  r.set_reason(c.reason());
  *r.mutable_revoked_by() = e.actor();
  *r.mutable_revoked() = PositionOf(e);
  Changes changes;
  changes.revoked.push_back(c.fingerprint());
  return changes;
}

}  // namespace bidopen::fold_internal
