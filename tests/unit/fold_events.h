// Events for fold tests: a tender of an agency, its lots, amendments,
// cancellations, bids and key registrations, at minute `seq` after kT0.
#ifndef BIDOPEN_TESTS_UNIT_FOLD_EVENTS_H_
#define BIDOPEN_TESTS_UNIT_FOLD_EVENTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "core/opening/time_text.h"

namespace bidopen {

inline const absl::Time kT0 =
    absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0), absl::UTCTimeZone());
inline const absl::Time kDeadline = kT0 + absl::Hours(7 * 24);
inline const absl::Time kOpening = kDeadline + absl::Hours(1);

inline v1::Party PartyOf(char digit, absl::string_view organization, v1::Role role) {
  v1::Party p;
  p.set_fingerprint(std::string(64, digit));
  p.set_organization(std::string(organization));
  p.set_common_name("someone");
  p.set_role(role);
  return p;
}

inline const v1::Party kAgency = PartyOf('1', "City Works Bureau", v1::ROLE_AGENCY);

inline v1::LotSpec Lot(absl::string_view title) {
  v1::LotSpec lot;
  lot.set_title(std::string(title));
  *lot.mutable_submission_deadline() = ToProto(kDeadline);
  *lot.mutable_opening_time() = ToProto(kOpening);
  v1::FormField* price = lot.add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  lot.set_policy(v1::OPENING_POLICY_BIDDER);
  return lot;
}

inline v1::Event EventOf(uint64_t seq, absl::string_view tender_id) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(kT0 + absl::Minutes(seq));
  *e.mutable_actor() = kAgency;
  e.set_tender_id(std::string(tender_id));
  return e;
}

inline v1::Event Created(uint64_t seq, absl::string_view tender_id, int lots) {
  v1::Event e = EventOf(seq, tender_id);
  v1::TenderCreated* c = e.mutable_tender_created();
  c->set_title(absl::StrCat("Tender ", tender_id));
  c->set_reference("REF-7");
  c->set_time_zone("Asia/Shanghai");
  for (int i = 1; i <= lots; ++i) *c->add_lots() = Lot(absl::StrCat("Lot ", i));
  return e;
}

inline v1::Event Amended(uint64_t seq, absl::string_view tender_id, int lot, absl::Duration shift) {
  v1::Event e = EventOf(seq, tender_id);
  v1::LotAmended* a = e.mutable_lot_amended();
  a->set_lot(lot);
  *a->mutable_submission_deadline() = ToProto(kDeadline + shift);
  *a->mutable_opening_time() = ToProto(kOpening + shift);
  a->set_reason("site visit added");
  return e;
}

inline v1::Event Cancelled(uint64_t seq, absl::string_view tender_id, int lot,
                           absl::string_view reason) {
  v1::Event e = EventOf(seq, tender_id);
  e.mutable_tender_cancelled()->set_lot(lot);
  e.mutable_tender_cancelled()->set_reason(std::string(reason));
  return e;
}

inline v1::Event KeyRegistered(uint64_t seq, const v1::Party& actor, absl::string_view key) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(kT0 + absl::Minutes(seq));
  *e.mutable_actor() = actor;
  e.mutable_key_registered()->set_x25519_public_key(std::string(key));
  return e;
}

inline v1::Event Submitted(uint64_t seq, absl::string_view tender_id, int lot,
                           std::optional<uint64_t> replaces = std::nullopt) {
  v1::Event e = EventOf(seq, tender_id);
  e.clear_actor();  // bid events name no bidder
  v1::BidSubmitted* b = e.mutable_bid_submitted();
  b->set_lot(lot);
  b->set_bidder_commitment(absl::StrCat("commitment-", seq));
  b->set_statement_sha256(absl::StrCat("statement-", seq));
  b->set_size(1000 + seq);
  b->set_statement_version(2);
  if (replaces) b->set_replaces(*replaces);
  return e;
}

inline v1::Event Withdrawn(uint64_t seq, absl::string_view tender_id, int lot, uint64_t withdraws) {
  v1::Event e = EventOf(seq, tender_id);
  e.clear_actor();
  v1::BidWithdrawn* w = e.mutable_bid_withdrawn();
  w->set_lot(lot);
  w->set_withdraws(withdraws);
  w->set_statement_sha256(absl::StrCat("withdrawal-", seq));
  w->set_statement_version(2);
  return e;
}

}  // namespace bidopen

#endif  // BIDOPEN_TESTS_UNIT_FOLD_EVENTS_H_
