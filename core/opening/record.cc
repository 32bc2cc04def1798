#include "core/opening/record.h"

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "core/deterministic.h"
#include "core/opening/announcement.h"
#include "core/opening/tender_rules.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

v1::HallResponse ResponseOf(const v1::BidHall& h) {
  if (h.has_confirmed()) return v1::HALL_RESPONSE_CONFIRMED;
  if (h.objections() > 0) return v1::HALL_RESPONSE_OBJECTED;
  return v1::HALL_RESPONSE_DID_NOT_OBJECT;
}

v1::RecordBid RecordBidOf(const fold::Bid& bid, const v1::AnnouncedBid& announced) {
  v1::RecordBid r;
  *r.mutable_announced() = announced;
  const v1::BidHall& h = bid.hall();
  if (h.has_signed_in()) *r.mutable_signed_in() = h.signed_in();
  r.set_response(ResponseOf(h));
  if (h.has_confirmed()) {
    *r.mutable_confirmed() = h.confirmed();
    r.set_confirmation_signature(h.confirmation_signature());
    r.set_confirmation_certificate_pem(h.confirmation_certificate_pem());
  }
  *r.mutable_not_released() = bid.opening().not_released();
  *r.mutable_wrong_key() = bid.opening().wrong_key();
  *r.mutable_bad_shares() = bid.opening().bad_shares();
  return r;
}

void SetHeader(const fold::Tender& t, const fold::Lot& lot, v1::OpeningRecordBody* r) {
  r->set_tender_id(t.id());
  r->set_tender_title(t.title());
  r->set_reference(t.reference());
  r->set_time_zone(t.time_zone());
  *r->mutable_agency() = t.agency();
  r->set_lot(lot.number());
  r->set_lot_title(lot.spec().title());
  r->set_policy(lot.spec().policy());
  *r->mutable_submission_deadline() = lot.spec().submission_deadline();
  *r->mutable_opening_time() = lot.spec().opening_time();
}

void SetTimes(const fold::Lot& lot, v1::OpeningRecordBody* r) {
  const v1::LotOpening& o = lot.opening();
  const v1::LotHall& h = lot.hall();
  *r->mutable_started() = o.started();
  *r->mutable_started_by() = o.started_by();
  *r->mutable_window_end() = o.window_end();
  *r->mutable_decryption_ended() = o.ended();
  r->set_ended_early(o.ended_early());
  *r->mutable_announced() = h.announced();
  *r->mutable_confirm_until() = h.confirm_until();
  *r->mutable_closed() = h.closed();
  *r->mutable_closed_by() = h.closed_by();
  r->set_failure(o.failure());
}

void Count(const v1::RecordBid& b, v1::OpeningRecordBody* r) {
  r->set_signed_in(r->signed_in() + (b.has_signed_in() ? 1 : 0));
  if (b.response() == v1::HALL_RESPONSE_CONFIRMED) r->set_confirmed(r->confirmed() + 1);
  if (b.response() == v1::HALL_RESPONSE_OBJECTED) r->set_objected(r->objected() + 1);
  if (b.response() == v1::HALL_RESPONSE_DID_NOT_OBJECT)
    r->set_did_not_object(r->did_not_object() + 1);
}

}  // namespace

absl::StatusOr<v1::OpeningRecordBody> RecordOf(const TenderState& s, int number) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(s.tender, number));
  if (!lot->hall().has_closed())
    return absl::FailedPreconditionError(absl::StrCat("the opening of lot ", number, " of tender ",
                                                      s.tender.id(),
                                                      " has not closed: it has no record yet"));
  BO_ASSIGN_OR_RETURN(v1::AnnouncementTable table, AnnouncementOf(s, number));
  v1::OpeningRecordBody r;
  SetHeader(s.tender, *lot, &r);
  SetTimes(*lot, &r);
  r.set_announcement_sha256(lot->hall().announcement_sha256());
  for (const v1::AnnouncedBid& announced : table.bids()) {
    v1::RecordBid* b = r.add_bids();
    *b = RecordBidOf(s.bids.at(announced.bid()), announced);
    Count(*b, &r);
  }
  *r.mutable_announcement() = std::move(table);
  *r.mutable_custodians() = lot->opening().custodians();
  *r.mutable_objections() = lot->hall().objections();
  return r;
}

std::string RecordBytes(const v1::OpeningRecordBody& record) { return EncodeDeterministic(record); }

std::string RecordSigningInput(absl::string_view record) {
  std::string out;
  seal::AppendLp(&out, kRecordLabel);
  seal::AppendLp(&out, record);
  return out;
}

absl::StatusOr<v1::OpeningRecordBody> CheckRecordAgainstLog(const TenderState& state, int lot,
                                                            absl::string_view record) {
  const std::string what =
      absl::StrCat("the opening record of lot ", lot, " of tender ", state.tender.id());
  v1::OpeningRecordBody signed_body;
  if (!signed_body.ParseFromArray(record.data(), static_cast<int>(record.size())))
    return absl::DataLossError(absl::StrCat(what, ": does not parse"));
  BO_ASSIGN_OR_RETURN(v1::OpeningRecordBody body, RecordOf(state, lot));
  if (signed_body.closing_head().size() <= body.closed().seq())
    return absl::DataLossError(
        absl::StrCat(what, ": its closing head (size ", signed_body.closing_head().size(),
                     ") does not cover the close (seq ", body.closed().seq(), ")"));
  *body.mutable_closing_head() = signed_body.closing_head();
  if (RecordBytes(body) != record) {
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    d.Compare(body, signed_body);
    return absl::DataLossError(absl::StrCat(
        what,
        ": differs from the record the log gives (recomputed vs signed): ", diff.substr(0, 600)));
  }
  return body;
}

}  // namespace bidopen
