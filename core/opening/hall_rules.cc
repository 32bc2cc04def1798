#include "core/opening/hall_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/opening/announcement.h"
#include "core/opening/limits.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

std::string LotName(const fold::Tender& t, int lot) {
  return absl::StrCat("lot ", lot, " of tender ", t.id());
}

std::string Who(const v1::Party& p) {
  return absl::StrCat(p.organization(), ", ", p.fingerprint());
}

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

// "X (in D; server time N)" or "X (D ago; server time N)".
std::string When(absl::Time t, absl::Time now, absl::TimeZone zone) {
  const std::string rel = t > now ? absl::StrCat("in ", DurationText(t - now))
                                  : absl::StrCat(DurationText(now - t), " ago");
  return absl::StrCat(TimeText(t, zone), " (", rel, "; server time ", TimeText(now, zone), ")");
}

absl::Status CheckNotCancelled(const fold::Tender& t, const fold::Lot& lot) {
  if (t.cancelled() || lot.status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(
        absl::StrCat(LotName(t, lot.number()), " is cancelled; it has no opening"));
  return absl::OkStatus();
}

bool FailedAtStart(const v1::LotOpening& o) { return !o.failure().empty() && !o.has_ended(); }

absl::Status CheckSignInTime(const fold::Tender& t, const fold::Lot& lot, absl::Time now) {
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  const v1::LotOpening& o = lot.opening();
  if (FailedAtStart(o))
    return absl::FailedPreconditionError(
        absl::StrCat(LotName(t, lot.number()), " failed at its start: ", o.failure()));
  const absl::Time opens = SignInOpens(lot.spec());
  if (now < opens)
    return absl::FailedPreconditionError(absl::StrCat("sign-in to ", LotName(t, lot.number()),
                                                      " opens at ", When(opens, now, zone)));
  if (o.has_ended())
    return absl::FailedPreconditionError(
        absl::StrCat("sign-in to ", LotName(t, lot.number()), " closed when decryption ended at ",
                     When(FromProto(o.ended().time()), now, zone)));
  if (o.has_started() && now >= FromProto(o.window_end()))
    return absl::FailedPreconditionError(absl::StrCat("sign-in to ", LotName(t, lot.number()),
                                                      " closed with the decryption window at ",
                                                      When(FromProto(o.window_end()), now, zone)));
  return absl::OkStatus();
}

// The lot with its announcement made and its opening not closed.
absl::StatusOr<const fold::Lot*> HallLot(const fold::Tender& t, int number, absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  BO_RETURN_IF_ERROR(CheckNotCancelled(t, *lot));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  const v1::LotHall& h = lot->hall();
  if (!h.has_announced())
    return absl::FailedPreconditionError(absl::StrCat("the results of ", LotName(t, number),
                                                      " have not been announced yet (server time ",
                                                      TimeText(now, zone), ")"));
  if (h.has_closed())
    return absl::FailedPreconditionError(
        absl::StrCat("the opening of ", LotName(t, number), " was closed at ",
                     TimeText(h.closed().time(), zone), " by ", Who(h.closed_by())));
  return lot;
}

// `bid` is the caller's bid revealed at the lot's opening.
absl::Status CheckRevealedBidder(const fold::Tender& t, int lot, const fold::Bid* bid,
                                 const v1::Party& caller) {
  if (bid != nullptr && bid->lot() == lot && bid->has_opening() &&
      bid->opening().bidder().fingerprint() == caller.fingerprint())
    return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("you (", Who(caller), ") have no bid revealed at the opening of ",
                   LotName(t, lot), ": only its bidders confirm or object"));
}

absl::Status CheckWindow(const fold::Tender& t, const fold::Lot& lot, absl::Time now) {
  const absl::Time until = FromProto(lot.hall().confirm_until());
  if (now < until) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("the confirmation window of ",
                                                    LotName(t, lot.number()), " closed at ",
                                                    When(until, now, ZoneOrUtc(t.time_zone()))));
}

absl::Status CheckText(absl::string_view field, absl::string_view text, int limit,
                       absl::string_view whose) {
  if (text.empty()) return Invalid(field, "required; say what it is about");
  const size_t n = CharCount(text);
  if (n > static_cast<size_t>(limit))
    return Invalid(field, absl::StrCat(n, " characters; ", whose, " at most ", limit));
  return absl::OkStatus();
}

}  // namespace

absl::Duration SignInLead(const v1::LotSpec& spec) {
  return spec.has_sign_in_lead() ? FromProto(spec.sign_in_lead()) : limits::kDefaultSignInLead;
}

absl::Duration ConfirmationWindow(const v1::LotSpec& spec) {
  return spec.has_confirmation_window() ? FromProto(spec.confirmation_window())
                                        : limits::kDefaultConfirmationWindow;
}

int ObjectionLimit(const v1::LotSpec& spec) {
  return spec.has_objection_limit() ? spec.objection_limit() : limits::kMaxObjectionChars;
}

absl::Time SignInOpens(const v1::LotSpec& spec) {
  return std::max(FromProto(spec.opening_time()) - SignInLead(spec),
                  FromProto(spec.submission_deadline()));
}

size_t CharCount(absl::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

absl::StatusOr<bool> CheckSignIn(const fold::Tender& t, int number, const fold::Bid* bid,
                                 absl::string_view nonce, const v1::Party& caller, absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  BO_RETURN_IF_ERROR(CheckNotCancelled(t, *lot));
  // Live, or revealed at the start (its verdict may have ended it since).
  if (bid == nullptr || bid->lot() != number ||
      (bid->status() != v1::BID_STATUS_LIVE && !bid->has_opening()) ||
      bid::BidderCommitment(caller.fingerprint(), nonce) != bid->bidder_commitment())
    return absl::PermissionDeniedError(absl::StrCat("you (", Who(caller), ") have no live bid in ",
                                                    LotName(t, number),
                                                    ": only its bidders sign in"));
  if (bid->hall().has_signed_in()) return true;
  BO_RETURN_IF_ERROR(CheckSignInTime(t, *lot, now));
  return false;
}

absl::StatusOr<v1::ResultsAnnounced> DecideAnnouncement(const TenderState& s, int number,
                                                        absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(s.tender, number));
  BO_RETURN_IF_ERROR(CheckNotCancelled(s.tender, *lot));
  const absl::TimeZone zone = ZoneOrUtc(s.tender.time_zone());
  const v1::LotOpening& o = lot->opening();
  if (!o.has_ended())
    return absl::FailedPreconditionError(
        absl::StrCat("decryption of ", LotName(s.tender, number),
                     " has not ended: the results are announced after it"));
  if (lot->hall().has_announced())
    return absl::FailedPreconditionError(
        absl::StrCat("the results of ", LotName(s.tender, number), " were announced at ",
                     TimeText(lot->hall().announced().time(), zone)));
  BO_ASSIGN_OR_RETURN(v1::AnnouncementTable table, AnnouncementOf(s, number));
  v1::ResultsAnnounced out;
  out.set_lot(number);
  for (const v1::AnnouncedBid& b : table.bids()) out.add_bids(b.bid());
  out.set_announcement_sha256(AnnouncementHash(table));
  *out.mutable_confirm_until() = ToProto(now + ConfirmationWindow(lot->spec()));
  return out;
}

absl::StatusOr<bool> CheckConfirm(const fold::Tender& t, int number, const fold::Bid* bid,
                                  const v1::Party& caller, absl::string_view hash, absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, HallLot(t, number, now));
  BO_RETURN_IF_ERROR(CheckRevealedBidder(t, number, bid, caller));
  const v1::LotHall& h = lot->hall();
  if (hash != h.announcement_sha256())
    return Invalid(
        "announcement_sha256",
        absl::StrCat(crypto::Hex(hash), " is not the announcement of ", LotName(t, number), " (",
                     crypto::Hex(h.announcement_sha256()), ", announced at ",
                     TimeText(h.announced().time(), ZoneOrUtc(t.time_zone())),
                     "); fetch the announcement again and check it"));
  if (bid->hall().has_confirmed()) return true;
  BO_RETURN_IF_ERROR(CheckWindow(t, *lot, now));
  return false;
}

absl::Status CheckObjection(const fold::Tender& t, int number, const fold::Bid* bid,
                            const v1::Party& caller, absl::string_view text, absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, HallLot(t, number, now));
  BO_RETURN_IF_ERROR(CheckRevealedBidder(t, number, bid, caller));
  BO_RETURN_IF_ERROR(CheckText("text", text, ObjectionLimit(lot->spec()),
                               absl::StrCat(LotName(t, number), " takes objections of")));
  BO_RETURN_IF_ERROR(CheckWindow(t, *lot, now));
  if (bid->hall().has_confirmed())
    return absl::FailedPreconditionError(
        absl::StrCat("you confirmed the announcement of ", LotName(t, number), " at ",
                     TimeText(bid->hall().confirmed().time(), ZoneOrUtc(t.time_zone())),
                     "; a confirmation ends your objections"));
  if (bid->hall().objections() >= static_cast<uint32_t>(limits::kMaxObjectionsPerBidder))
    return absl::ResourceExhaustedError(
        absl::StrCat("you raised ", bid->hall().objections(), " objections in ", LotName(t, number),
                     ", the most one bidder may (", limits::kMaxObjectionsPerBidder, ")"));
  if (lot->hall().objections_size() >= limits::kMaxObjectionsPerLot)
    return absl::ResourceExhaustedError(
        absl::StrCat(LotName(t, number), " has ", lot->hall().objections_size(),
                     " objections, the most one lot takes (", limits::kMaxObjectionsPerLot,
                     "); ask the agency to answer on the spot or in writing"));
  return absl::OkStatus();
}

absl::Status CheckAnswer(const fold::Tender& t, int number, const v1::Party& caller,
                         uint64_t objection, absl::string_view text) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  BO_RETURN_IF_ERROR(CheckOwner(t, caller, "answer objections to"));
  BO_RETURN_IF_ERROR(CheckText("text", text, limits::kMaxAnswerChars, "an answer has"));
  for (const v1::Objection& o : lot->hall().objections()) {
    if (o.seq() != objection) continue;
    if (!o.has_answer()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "objection ", objection, " of ", LotName(t, number), " was answered at ",
        TimeText(o.answer().at().time(), ZoneOrUtc(t.time_zone())), " by ", Who(o.answer().by())));
  }
  return absl::NotFoundError(absl::StrCat("objection: ", LotName(t, number), " has no objection ",
                                          objection, " (it has ", lot->hall().objections_size(),
                                          ")"));
}

absl::Status CheckClose(const fold::Tender& t, int number, const v1::Party& caller,
                        absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  BO_RETURN_IF_ERROR(CheckOwner(t, caller, "close the opening of"));
  BO_RETURN_IF_ERROR(HallLot(t, number, now).status());
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  const absl::Time until = FromProto(lot->hall().confirm_until());
  if (now < until)
    return absl::FailedPreconditionError(
        absl::StrCat("the confirmation window of ", LotName(t, number), " is open until ",
                     When(until, now, zone), ": the opening closes after it"));
  for (const v1::Objection& o : lot->hall().objections())
    if (!o.has_answer())
      return absl::FailedPreconditionError(absl::StrCat(
          "objection ", o.seq(), " by ", Who(o.bidder()), ", raised at ", TimeText(o.time(), zone),
          ", is unanswered (", lot->hall().unanswered(), " of ", lot->hall().objections_size(),
          " objections of ", LotName(t, number), "): answer it before closing"));
  return absl::OkStatus();
}

}  // namespace bidopen
