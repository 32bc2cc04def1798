#include "core/opening/revocation_rules.h"

#include "absl/strings/str_cat.h"
#include "core/ids.h"
#include "core/opening/limits.h"
#include "core/opening/time_text.h"

namespace bidopen {
namespace {

std::string When(const v1::Revocation& r) {
  return absl::StrCat(TimeText(r.revoked().time(), absl::UTCTimeZone()), " (log event ",
                      r.revoked().seq(), ") by operator ", r.revoked_by().common_name(), " of ",
                      r.revoked_by().organization());
}

}  // namespace

absl::Status CheckFingerprint(absl::string_view field, absl::string_view value) {
  if (value.empty())
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required (the certificate's SHA-256; bidctl identity whoami shows yours)"));
  return CheckIdForm(field, "fingerprint", value);
}

absl::StatusOr<v1::Event> DecideRevocation(const v1::RevokeCertificateRequest& req,
                                           const v1::Party& actor, const v1::Revocation* existing) {
  if (actor.role() != v1::ROLE_OPERATOR)
    return absl::PermissionDeniedError("only the platform operator revokes certificates");
  if (absl::Status st = CheckFingerprint("fingerprint", req.fingerprint()); !st.ok()) return st;
  if (req.reason().empty()) return absl::InvalidArgumentError("reason: required (it is logged)");
  if (req.reason().size() > limits::kMaxReason)
    return absl::InvalidArgumentError(
        absl::StrCat("reason: ", req.reason().size(), " characters; at most ", limits::kMaxReason));
  if (req.fingerprint() == actor.fingerprint())
    return absl::FailedPreconditionError(
        "fingerprint: that is the certificate you are calling with; another operator revokes it");
  if (existing != nullptr)
    return absl::AlreadyExistsError(absl::StrCat("certificate ", req.fingerprint(),
                                                 " was revoked already, at ", When(*existing), ": ",
                                                 existing->reason()));
  v1::Event draft;
  v1::CertificateRevoked* r = draft.mutable_certificate_revoked();
  r->set_fingerprint(req.fingerprint());
  r->set_reason(req.reason());
  *draft.mutable_actor() = actor;
  return draft;
}

absl::Status RevokedError(const v1::Revocation& r) {
  return absl::UnauthenticatedError(absl::StrCat("certificate ", r.fingerprint(),
                                                 " was revoked at ", When(r), ": ", r.reason(),
                                                 "; ask the platform operator for a new one"));
}

absl::Status CheckCustodiansNotRevoked(const v1::CreateTenderRequest& req,
                                       const Revocations& revoked) {
  for (int i = 0; i < req.lots_size(); ++i)
    for (int j = 0; j < req.lots(i).custodians_size(); ++j) {
      auto it = revoked.find(req.lots(i).custodians(j));
      if (it == revoked.end()) continue;
      return absl::FailedPreconditionError(
          absl::StrCat("lots[", i, "].custodians[", j, "]: the custodian's certificate ", it->first,
                       " was revoked at ", When(it->second), ": ", it->second.reason(),
                       "; name another custodian"));
    }
  return absl::OkStatus();
}

bool RevokedBeforeRelease(const v1::Revocation& r, const fold::Lot& lot,
                          uint64_t accepted_release_seq) {
  const absl::Time at = FromProto(r.revoked().time());
  return at > FromProto(lot.spec().submission_deadline()) && lot.opening().has_started() &&
         at < FromProto(lot.opening().started().time()) &&
         (accepted_release_seq == 0 || r.revoked().seq() < accepted_release_seq);
}

std::string RevocationText(const v1::Revocation& r, absl::TimeZone zone) {
  return absl::StrCat("the bidder's certificate was revoked at ",
                      TimeText(r.revoked().time(), zone), " (log event ", r.revoked().seq(),
                      ") by operator ", r.revoked_by().common_name(), " of ",
                      r.revoked_by().organization(), " (", r.reason(), ")");
}

}  // namespace bidopen
