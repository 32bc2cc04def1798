#include "core/opening/signed_action.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/deterministic.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::Status Bad(const v1::Event& e, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("event ", e.seq(), " (", EventKind(e), " by ",
                                          e.actor().common_name(), "): its signed request ", what));
}

std::string Time(absl::Time t) { return TimeText(t, absl::UTCTimeZone()); }

}  // namespace

std::string ActionMessage(absl::string_view method, absl::Time signed_at,
                          absl::string_view request) {
  std::string out;
  seal::AppendLp(&out, kActionLabel);
  seal::AppendLp(&out, method);
  seal::AppendU64(&out, static_cast<uint64_t>(absl::ToUnixMicros(signed_at)));
  seal::AppendLp(&out, request);
  return out;
}

absl::StatusOr<v1::SignedAction> SignAction(EVP_PKEY* key, absl::string_view method,
                                            const google::protobuf::Message& request,
                                            absl::Time now) {
  const absl::Time at = absl::FromUnixMicros(absl::ToUnixMicros(now));
  v1::SignedAction sa;
  *sa.mutable_signed_at() = ToProto(at);
  BO_ASSIGN_OR_RETURN(*sa.mutable_signature(),
                      crypto::Sign(key, ActionMessage(method, at, EncodeDeterministic(request))));
  return sa;
}

absl::string_view SignedMethodOf(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kTenderCreated:
      return "/bidopen.v1.TenderService/CreateTender";
    case v1::Event::kLotAmended:
      return "/bidopen.v1.TenderService/AmendLot";
    case v1::Event::kTenderCancelled:
      return "/bidopen.v1.TenderService/CancelTender";
    case v1::Event::kOpeningStarted:
      return e.opening_started().auto_started() ? "" : "/bidopen.v1.OpeningService/StartOpening";
    case v1::Event::kBidderSignedIn:
      return "/bidopen.v1.OpeningService/SignIn";
    case v1::Event::kObjectionRaised:
      return "/bidopen.v1.OpeningService/Object";
    case v1::Event::kObjectionAnswered:
      return "/bidopen.v1.OpeningService/AnswerObjection";
    case v1::Event::kOpeningClosed:
      return "/bidopen.v1.OpeningService/CloseOpening";
    default:
      return "";
  }
}

absl::Status CheckActionKey(absl::string_view method, const v1::Party& signer,
                            const v1::SignedAction& sa) {
  absl::StatusOr<v1::Party> party = crypto::PartyFromPem(sa.certificate_pem());
  if (!party.ok() || party->fingerprint() != signer.fingerprint())
    return absl::DataLossError(absl::StrCat("the certificate that signed the request is not ",
                                            signer.common_name(), "'s (", signer.fingerprint(),
                                            ")"));
  const std::string message = ActionMessage(method, FromProto(sa.signed_at()), sa.request());
  if (absl::Status st = crypto::VerifySignature(sa.certificate_pem(), message, sa.signature());
      !st.ok())
    return absl::DataLossError(
        absl::StrCat("the signature over the ", method, " request: ", st.message()));
  return absl::OkStatus();
}

absl::Status CheckActionSignature(const v1::Event& e, absl::string_view ca_pem) {
  const v1::SignedAction& sa = e.signed_action();
  if (absl::Status st = crypto::VerifyIssuedBy(sa.certificate_pem(), ca_pem, FromProto(e.time()));
      !st.ok())
    return Bad(e, absl::StrCat("has a certificate the CA did not issue, or not valid then: ",
                               st.message()));
  if (absl::Status st = CheckActionKey(SignedMethodOf(e), e.actor(), sa); !st.ok())
    return Bad(e, absl::StrCat("does not verify: ", st.message()));
  return absl::OkStatus();
}

absl::Status CheckActionFresh(const fold::Tender& t, const v1::Party& signer,
                              const v1::SignedAction& sa, absl::Time now) {
  if (!sa.has_signed_at()) return absl::InvalidArgumentError("signed_at: required");
  const absl::Time at = FromProto(sa.signed_at());
  if (at < now - kActionFreshness || at > now + kActionFreshness)
    return absl::InvalidArgumentError(
        absl::StrCat("signed_at: the request was signed at ", Time(at), ", ",
                     DurationText(absl::AbsDuration(now - at)), (at < now ? " before" : " after"),
                     " the server's time ", Time(now),
                     "; a signed request "
                     "is taken within ",
                     DurationText(kActionFreshness), " of it (is the signer's clock right?)"));
  auto last = t.signer_last().find(signer.fingerprint());
  if (last != t.signer_last().end() && at <= FromProto(last->second))
    return absl::InvalidArgumentError(
        absl::StrCat("signed_at: ", Time(at), " is not after ", Time(FromProto(last->second)),
                     ", when the signer's previous action in tender ", t.id(),
                     " was signed; a signed request is used once (sign it again)"));
  return absl::OkStatus();
}

absl::Status AttachSignedAction(const fold::Tender& t, const v1::SignedAction& sa, absl::Time now,
                                v1::Event* draft) {
  if (sa.ByteSizeLong() == 0) return absl::OkStatus();
  BO_RETURN_IF_ERROR(CheckActionFresh(t, draft->actor(), sa, now));
  *draft->mutable_signed_action() = sa;
  return absl::OkStatus();
}

}  // namespace bidopen
