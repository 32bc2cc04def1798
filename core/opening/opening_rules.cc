#include "core/opening/opening_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/event_clock.h"
#include "core/opening/limits.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

std::string LotName(const fold::Tender& t, int lot) {
  return absl::StrCat("lot ", lot, " of tender ", t.id());
}

bool Started(const fold::Lot& lot) { return lot.has_opening() && lot.opening().has_started(); }

}  // namespace

int MinValidBids(const v1::LotSpec& spec) {
  return spec.has_min_valid_bids() ? spec.min_valid_bids() : limits::kDefaultMinValidBids;
}

absl::Duration DecryptionWindow(const v1::LotSpec& spec) {
  return spec.has_decryption_window() ? FromProto(spec.decryption_window())
                                      : limits::kDefaultWindow;
}

std::string ReleasedHash(absl::string_view material) {
  return seal::LabelledHash("bidopen/v2/released", {material});
}

std::string TooFewBids(const v1::LotSpec& spec, uint32_t valid, absl::string_view what) {
  const int min = MinValidBids(spec);
  if (static_cast<int>(valid) >= min) return "";
  return absl::StrCat(valid, " ", what, ", fewer than the lot's minimum of ", min,
                      " (招标投标法实施条例 Art. 44): the lot failed (流标)");
}

absl::StatusOr<v1::OpeningStarted> DecideStart(const fold::Tender& t, int number,
                                               std::vector<uint64_t> live_bids, absl::Time now,
                                               bool auto_started) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  if (t.cancelled() || lot->status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(
        absl::StrCat(LotName(t, number), " is cancelled; it has no opening"));
  if (Started(*lot))
    return absl::FailedPreconditionError(
        absl::StrCat("the opening of ", LotName(t, number), " already started at ",
                     TimeText(lot->opening().started().time(), zone)));
  const absl::Time opening = FromProto(lot->spec().opening_time());
  if (now < opening)
    return absl::FailedPreconditionError(
        absl::StrCat("the opening of ", LotName(t, number),
                     " cannot start before its opening time ", TimeText(opening, zone), " (in ",
                     DurationText(opening - now), "; server time ", TimeText(now, zone), ")"));
  v1::OpeningStarted out;
  out.set_lot(number);
  for (uint64_t seq : live_bids) out.add_bids(seq);
  *out.mutable_window_end() = ToProto(now + DecryptionWindow(lot->spec()));
  out.set_auto_started(auto_started);
  out.set_failure(TooFewBids(lot->spec(), live_bids.size(), "live bids"));
  return out;
}

absl::Status CheckReleaseTime(const fold::Tender& t, int number, absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  if (!Started(*lot))
    return absl::FailedPreconditionError(absl::StrCat(
        "the opening of ", LotName(t, number), " has not started: nothing is released before it (",
        "opening time ", TimeText(lot->spec().opening_time(), zone), ", server time ",
        TimeText(now, zone), ")"));
  const v1::LotOpening& o = lot->opening();
  if (t.cancelled() || lot->status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(absl::StrCat(LotName(t, number), " is cancelled"));
  if (!o.failure().empty())
    return absl::FailedPreconditionError(
        absl::StrCat(LotName(t, number), " failed: ", o.failure()));
  if (o.has_ended())
    return absl::FailedPreconditionError(absl::StrCat(
        "decryption of ", LotName(t, number), " ended at ", TimeText(o.ended().time(), zone)));
  const absl::Time end = FromProto(o.window_end());
  if (now >= end)  // the verdicts may be given from `end` on: no release at it
    return absl::FailedPreconditionError(absl::StrCat(
        "the decryption window of ", LotName(t, number), " closed at ", TimeText(end, zone), " (",
        DurationText(now - end), " ago; server time ", TimeText(now, zone), ")"));
  return absl::OkStatus();
}

absl::Time BiddersEnd(const v1::LotSpec& spec, const v1::LotOpening& opening) {
  const absl::Time end = FromProto(opening.window_end());
  if (spec.policy() != v1::OPENING_POLICY_BOTH) return end;
  const absl::Time start = FromProto(opening.started().time());
  return start + (end - start) / 2;
}

int AcceptedCustodianKeys(const v1::LotOpening& opening) {
  int accepted = 0;
  for (const v1::CustodianRelease& c : opening.custodians()) accepted += c.accepted();
  return accepted;
}

absl::Duration ResupplyPeriod(const v1::LotSpec& spec) {
  return std::min(limits::kMaxResupplyPeriod, DecryptionWindow(spec) / limits::kResupplyShare);
}

absl::Time ReleasesBegin(const v1::LotOpening& opening) {
  return opening.has_resupply_end() ? FromProto(opening.resupply_end()) + kReplicaClockSlack
                                    : FromProto(opening.started().time());
}

absl::Time CustodiansBegin(const v1::LotSpec& spec, const v1::LotOpening& opening) {
  if (spec.policy() != v1::OPENING_POLICY_BOTH) return ReleasesBegin(opening);
  return std::max(ReleasesBegin(opening), BiddersEnd(spec, opening) + kReplicaClockSlack);
}

absl::Status CheckReleasePhase(const fold::Tender& t, int number, v1::ReleaseKind kind,
                               absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  const absl::Time begin = ReleasesBegin(lot->opening());
  if (now < begin)
    return absl::FailedPreconditionError(
        absl::StrCat("the opening's start found a stored file of ", LotName(t, number),
                     " altered: its bidder may put it back until ",
                     TimeText(lot->opening().resupply_end(), zone),
                     ", and no key is released before ", TimeText(begin, zone), " (in ",
                     DurationText(begin - now), "; server time ", TimeText(now, zone),
                     "), so that whether that bid opens is settled before any value can be read"));
  if (lot->spec().policy() != v1::OPENING_POLICY_BOTH) return absl::OkStatus();
  const absl::Time turn = BiddersEnd(lot->spec(), lot->opening());
  if (kind == v1::RELEASE_KIND_BIDDER && now >= turn)
    return absl::FailedPreconditionError(
        absl::StrCat("under policy BOTH the bidders of ", LotName(t, number),
                     " release their parts in the first half of the window, which ended at ",
                     TimeText(turn, zone), " (", DurationText(now - turn), " ago; server time ",
                     TimeText(now, zone), "); the custodians release now"));
  const absl::Time custodians = CustodiansBegin(lot->spec(), lot->opening());
  if (kind == v1::RELEASE_KIND_CUSTODIAN && now < custodians)
    return absl::FailedPreconditionError(
        absl::StrCat("under policy BOTH the custodians of ", LotName(t, number),
                     " release after the bidders, from ", TimeText(custodians, zone), " (in ",
                     DurationText(custodians - now), "; server time ", TimeText(now, zone),
                     "), so that no bid can be read before every bidder has released"));
  return absl::OkStatus();
}

absl::Status CheckCitedHeadFits(const fold::Tender& t, int number, v1::ReleaseKind kind,
                                absl::Time seen, uint64_t seen_size) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  if (lot->last_restored_seq() != 0 && seen_size <= lot->last_restored_seq())
    return absl::FailedPreconditionError(absl::StrCat(
        "the head you cite (size ", seen_size, ") does not hold the sealed file put back at log #",
        lot->last_restored_seq(), " in ", LotName(t, number),
        ": a release cites a head past every file put back; fetch the opening again and re-sign"));
  const absl::Time begin = ReleasesBegin(lot->opening());
  if (lot->opening().has_resupply_end() && seen < begin)
    return absl::FailedPreconditionError(absl::StrCat(
        "the head you cite is timed ", TimeText(seen, zone), ", before keys may be released in ",
        LotName(t, number), " (from ", TimeText(begin, zone),
        ": the end of its re-supply period and the replicas' clock slack); a release cites a "
        "signed time at or past it; fetch the opening again and re-sign"));
  if (lot->spec().policy() != v1::OPENING_POLICY_BOTH || kind != v1::RELEASE_KIND_CUSTODIAN)
    return absl::OkStatus();
  const absl::Time custodians = CustodiansBegin(lot->spec(), lot->opening());
  if (seen < custodians)
    return absl::FailedPreconditionError(absl::StrCat(
        "under policy BOTH a custodian releases having seen a signed time at or past the "
        "bidders' turn and the replicas' clock slack (",
        TimeText(custodians, zone), "); the head you cite is timed ", TimeText(seen, zone),
        ": fetch the opening again and re-sign"));
  return absl::OkStatus();
}

absl::StatusOr<EndDecision> DecideEnd(const fold::Tender& t, int number, absl::Time now,
                                      bool agency_asked) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(t, number));
  const absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  if (!Started(*lot) || !lot->opening().failure().empty())
    return absl::FailedPreconditionError(
        absl::StrCat(LotName(t, number), " has no decryption under way"));
  const v1::LotOpening& o = lot->opening();
  if (o.has_ended())
    return absl::FailedPreconditionError(absl::StrCat("decryption of ", LotName(t, number),
                                                      " already ended at ",
                                                      TimeText(o.ended().time(), zone)));
  const absl::Time end = FromProto(o.window_end());
  if (now >= end) return EndDecision{.end = true, .early = false};
  if (!agency_asked) return EndDecision{};
  if (o.opened() < o.bids())
    return absl::FailedPreconditionError(absl::StrCat(
        "decryption of ", LotName(t, number), " can end early only once every bid opened: ",
        o.bids() - o.opened(), " of ", o.bids(), " not yet; the window closes at ",
        TimeText(end, zone), " (in ", DurationText(end - now), ")"));
  // Every custodian's release can still change a verdict (a bad share it
  // reveals is the bidder's fault): an early end waits for all of them, so
  // that when the agency ends decides nothing.
  const auto released = static_cast<uint32_t>(AcceptedCustodianKeys(o));
  const uint32_t custodians = static_cast<uint32_t>(lot->spec().custodians_size());
  if (lot->spec().policy() != v1::OPENING_POLICY_BIDDER && released < custodians)
    return absl::FailedPreconditionError(
        absl::StrCat("decryption of ", LotName(t, number),
                     " can end early only once every custodian released "
                     "(a release can still reveal a bad share): ",
                     custodians - released, " of ", custodians, " not yet; the window closes at ",
                     TimeText(end, zone), " (in ", DurationText(end - now), ")"));
  return EndDecision{.end = true, .early = true};
}

}  // namespace bidopen
