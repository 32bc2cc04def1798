// Signed actions in the fold (core/opening/signed_action.h): an event a
// person's request makes carries that request, signed; the fold checks the
// event is what the request asks, by the signer, and that the request is
// fresh and used once. In a tender created by a signed request every such
// event must be signed. The signature itself needs the CA: `audit verify` and
// bidctl's verified-lot gate check it (CheckActionSignature).
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/opening.pb.h"
#include "core/crypto/certificate.h"
#include "core/opening/event_codec.h"
#include "core/opening/fold_internal.h"
#include "core/opening/lot_rules.h"
#include "core/opening/signed_action.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {
namespace {

using google::protobuf::util::MessageDifferencer;

template <typename Request>
absl::StatusOr<Request> Parse(const v1::Event& e) {
  Request r;
  if (!r.ParseFromString(e.signed_action().request()))
    return Corrupt(
        e, absl::StrCat("its signed request does not parse as ", Request::descriptor()->name()));
  return r;
}

bool SameLot(const v1::Event& e, const v1::LotRef& ref, int32_t lot) {
  return ref.tender_id() == e.tender_id() && ref.lot() == lot;
}

bool SameTime(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return MessageDifferencer::Equals(a, b);
}

absl::StatusOr<bool> CreateMatches(const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(v1::CreateTenderRequest r, Parse<v1::CreateTenderRequest>(e));
  const v1::TenderCreated& c = e.tender_created();
  if (r.title() != c.title() || r.reference() != c.reference() ||
      (r.time_zone().empty() ? "UTC" : r.time_zone()) != c.time_zone() ||
      r.lots_size() != c.lots_size())
    return false;
  for (int i = 0; i < c.lots_size(); ++i) {
    v1::LotSpec made = c.lots(i);  // the keys are the server's to assign
    made.clear_custodian_keys();
    made.clear_custodian_key_signatures();
    made.clear_custodian_certificates();
    if (!MessageDifferencer::Equals(WithDefaults(r.lots(i)), made)) return false;
  }
  return true;
}

// Both new times are the ones the request gives the lot as it was (AmendTimes,
// as DecideAmend): a deadline-only request moves the opening only if it was
// held at the deadline (review 5 S1). ApplyAmended kept the old times.
absl::StatusOr<bool> AmendMatches(const v1::Event& e, const fold::Tender& t) {
  BO_ASSIGN_OR_RETURN(v1::AmendLotRequest r, Parse<v1::AmendLotRequest>(e));
  const v1::LotAmended& a = e.lot_amended();
  const v1::Amendment& am =
      t.lots(a.lot() - 1)
          .amendments(t.lots(a.lot() - 1).amendments_size() - 1);  // ApplyAmended added it
  const AmendedTimes times = AmendTimes(r, am.old_deadline(), am.old_opening_time());
  return r.tender_id() == e.tender_id() && r.lot() == a.lot() && r.reason() == a.reason() &&
         SameTime(times.deadline, a.submission_deadline()) &&
         SameTime(times.opening, a.opening_time());
}

absl::StatusOr<bool> CancelMatches(const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(v1::CancelTenderRequest r, Parse<v1::CancelTenderRequest>(e));
  const v1::TenderCancelled& c = e.tender_cancelled();
  return r.tender_id() == e.tender_id() && r.lot() == c.lot() && r.reason() == c.reason();
}

absl::StatusOr<bool> LotRefMatches(const v1::Event& e, int32_t lot) {
  BO_ASSIGN_OR_RETURN(v1::LotRef r, Parse<v1::LotRef>(e));
  return SameLot(e, r, lot);
}

absl::StatusOr<bool> ObjectMatches(const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(v1::ObjectRequest r, Parse<v1::ObjectRequest>(e));
  const v1::ObjectionRaised& o = e.objection_raised();
  return SameLot(e, r.lot(), o.lot()) && r.text() == o.text();
}

absl::StatusOr<bool> AnswerMatches(const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(v1::AnswerObjectionRequest r, Parse<v1::AnswerObjectionRequest>(e));
  const v1::ObjectionAnswered& a = e.objection_answered();
  return SameLot(e, r.lot(), a.lot()) && r.objection_seq() == a.objection() && r.text() == a.text();
}

// Whether the event is what its signed request asks.
absl::StatusOr<bool> RequestMatches(const v1::Event& e, const fold::Tender& t) {
  switch (e.body_case()) {
    case v1::Event::kTenderCreated:
      return CreateMatches(e);
    case v1::Event::kLotAmended:
      return AmendMatches(e, t);
    case v1::Event::kTenderCancelled:
      return CancelMatches(e);
    case v1::Event::kOpeningStarted:
      return LotRefMatches(e, e.opening_started().lot());
    case v1::Event::kBidderSignedIn:
      return LotRefMatches(e, e.bidder_signed_in().lot());
    case v1::Event::kObjectionRaised:
      return ObjectMatches(e);
    case v1::Event::kObjectionAnswered:
      return AnswerMatches(e);
    case v1::Event::kOpeningClosed:
      return LotRefMatches(e, e.opening_closed().lot());
    default:
      return false;
  }
}

}  // namespace

absl::Status CheckSignedAction(const v1::Event& e, fold::Tender* t) {
  const absl::string_view method = SignedMethodOf(e);
  if (e.has_tender_created()) t->set_signed_actions(e.has_signed_action());
  if (!e.has_signed_action()) {
    if (!method.empty() && t->signed_actions())
      return Corrupt(e, absl::StrCat("an unsigned ", EventKind(e),
                                     " in a tender whose agency signed its creation: every "
                                     "action of a person in it is signed"));
    return absl::OkStatus();
  }
  if (method.empty())
    return Corrupt(e, absl::StrCat("a signed request on a ", EventKind(e),
                                   ", which no person's request makes"));
  const v1::SignedAction& sa = e.signed_action();
  absl::StatusOr<v1::Party> signer = crypto::PartyFromPem(sa.certificate_pem());
  if (!signer.ok() || signer->fingerprint() != e.actor().fingerprint())
    return Corrupt(e, "its signed request's certificate is not its actor's");
  if (absl::Status st = CheckActionFresh(*t, e.actor(), sa, FromProto(e.time())); !st.ok())
    return Corrupt(e, st.message());
  BO_ASSIGN_OR_RETURN(bool matches, RequestMatches(e, *t));
  if (!matches) return Corrupt(e, absl::StrCat("is not what its signed ", method, " request asks"));
  (*t->mutable_signer_last())[e.actor().fingerprint()] = sa.signed_at();
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
