#include "core/opening/tender_rules.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "core/opening/key_rules.h"
#include "core/opening/limits.h"
#include "core/opening/lot_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

absl::Status CheckText(absl::string_view field, const std::string& value, size_t max,
                       bool required) {
  if (required && value.empty()) return Invalid(field, "required");
  if (value.size() > max)
    return Invalid(field, absl::StrCat(value.size(), " characters; at most ", max));
  return absl::OkStatus();
}

absl::Status CheckAmendable(const fold::Tender& tender, const fold::Lot& lot, absl::Time now,
                            absl::TimeZone zone) {
  if (tender.cancelled() || lot.status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(
        absl::StrCat("lot ", lot.number(), " of tender ", tender.id(), " is cancelled"));
  absl::Time deadline = FromProto(lot.spec().submission_deadline());
  if (now >= deadline)
    return absl::FailedPreconditionError(absl::StrCat(
        "submission deadline ", TimeText(deadline, zone), " passed ", DurationText(now - deadline),
        " ago; a lot can be amended only before its deadline"));
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckOwner(const fold::Tender& tender, const v1::Party& actor,
                        absl::string_view verb) {
  if (tender.agency().fingerprint() == actor.fingerprint()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("only the agency that created tender ",
                                                  tender.id(), " (", tender.agency().organization(),
                                                  ") may ", verb, " it"));
}

absl::StatusOr<const fold::Lot*> FindLot(const fold::Tender& tender, int number) {
  for (const auto& lot : tender.lots())
    if (lot.number() == number) return &lot;
  return absl::NotFoundError(absl::StrCat("lot: tender ", tender.id(), " has no lot ", number,
                                          " (it has lots 1..", tender.lots_size(), ")"));
}

// Gives every custodian of every lot its next unused signed per-lot key, in
// lot order.
absl::Status AssignLotKeys(const KeyRegistry& custodians, v1::TenderCreated* created) {
  std::map<std::string, uint32_t> next;
  for (int l = 0; l < created->lots_size(); ++l) {
    v1::LotSpec* spec = created->mutable_lots(l);
    for (int i = 0; i < spec->custodians_size(); ++i) {
      const v1::RegisteredKey& entry = custodians.at(spec->custodians(i));
      uint32_t& n =
          next.try_emplace(entry.party().fingerprint(), entry.lot_keys_used()).first->second;
      while (n < static_cast<uint32_t>(entry.lot_keys_size()) && !LotKeySigned(entry, n))
        ++n;  // unsigned keys from before signatures: bidders refuse them
      if (n >= static_cast<uint32_t>(entry.lot_keys_size()))
        return absl::FailedPreconditionError(absl::StrCat(
            "lots[", l, "].custodians[", i, "]: custodian ", entry.party().organization(), " (",
            entry.party().fingerprint(), ") has no unused per-lot key left (",
            entry.lot_keys_size(),
            " registered, all assigned or from before keys were signed); it must run `bidctl "
            "identity register-key` to add more"));
      if (std::find(spec->custodian_keys().begin(), spec->custodian_keys().end(),
                    entry.lot_keys(n)) != spec->custodian_keys().end())
        return absl::FailedPreconditionError(absl::StrCat(
            "lots[", l, "].custodians[", i, "]: custodian ", entry.party().fingerprint(),
            "'s next per-lot key is another custodian's of the same lot; two shares under one "
            "key would lower the threshold"));
      spec->add_custodian_keys(entry.lot_keys(n));
      spec->add_custodian_key_signatures(entry.lot_key_signatures(static_cast<int>(n)));
      spec->add_custodian_certificates(entry.certificate_pem());
      ++n;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TenderCreated> DecideCreate(const v1::CreateTenderRequest& req, absl::Time now,
                                               const KeyRegistry& custodians,
                                               absl::Duration min_lead) {
  BO_RETURN_IF_ERROR(CheckText("title", req.title(), limits::kMaxTitle, true));
  BO_RETURN_IF_ERROR(CheckText("reference", req.reference(), limits::kMaxReference, false));
  BO_ASSIGN_OR_RETURN(absl::TimeZone zone, LoadZone(req.time_zone()));
  if (req.lots_size() == 0) return Invalid("lots", "at least one lot is required");
  if (req.lots_size() > limits::kMaxLots)
    return Invalid("lots", absl::StrCat(req.lots_size(), " lots; at most ", limits::kMaxLots));
  v1::TenderCreated created;
  created.set_title(req.title());
  created.set_reference(req.reference());
  created.set_time_zone(req.time_zone().empty() ? "UTC" : req.time_zone());
  std::set<std::string> registered;
  for (const auto& [fingerprint, entry] : custodians) registered.insert(fingerprint);
  LotContext ctx{now, zone, &registered, min_lead};
  for (int i = 0; i < req.lots_size(); ++i) {
    const v1::LotSpec& asked = req.lots(i);
    if (asked.custodian_keys_size() > 0 || asked.custodian_key_signatures_size() > 0 ||
        asked.custodian_certificates_size() > 0)
      return Invalid(absl::StrCat("lots[", i, "].custodian_keys"),
                     "set by the server from the custodians' registered per-lot keys (with "
                     "custodian_key_signatures and custodian_certificates); leave them out");
    BO_ASSIGN_OR_RETURN(*created.add_lots(), ValidateLot(req.lots(i), i, ctx));
  }
  BO_RETURN_IF_ERROR(AssignLotKeys(custodians, &created));
  return created;
}

AmendedTimes AmendTimes(const v1::AmendLotRequest& req, const google::protobuf::Timestamp& deadline,
                        const google::protobuf::Timestamp& opening) {
  AmendedTimes out;
  out.deadline = req.has_submission_deadline() ? req.submission_deadline() : deadline;
  // An opening held at the deadline (the usual case) moves with it.
  const bool opens_at_deadline = FromProto(opening) == FromProto(deadline);
  out.opening = req.has_opening_time() ? req.opening_time()
                : opens_at_deadline    ? out.deadline
                                       : opening;
  return out;
}

absl::StatusOr<v1::LotAmended> DecideAmend(const fold::Tender& tender,
                                           const v1::AmendLotRequest& req, const v1::Party& actor,
                                           absl::Time now, absl::Duration min_lead) {
  BO_RETURN_IF_ERROR(CheckOwner(tender, actor, "amend"));
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(tender, req.lot()));
  BO_ASSIGN_OR_RETURN(absl::TimeZone zone, LoadZone(tender.time_zone()));
  BO_RETURN_IF_ERROR(CheckAmendable(tender, *lot, now, zone));
  BO_RETURN_IF_ERROR(CheckText("reason", req.reason(), limits::kMaxReason, true));
  if (!req.has_submission_deadline() && !req.has_opening_time())
    return Invalid("submission_deadline",
                   "give a new submission deadline, a new opening time, or both");
  v1::LotAmended amended;
  amended.set_lot(lot->number());
  AmendedTimes times =
      AmendTimes(req, lot->spec().submission_deadline(), lot->spec().opening_time());
  *amended.mutable_submission_deadline() = times.deadline;
  *amended.mutable_opening_time() = times.opening;
  absl::Time deadline = FromProto(amended.submission_deadline());
  absl::Time opening = FromProto(amended.opening_time());
  LotContext ctx{now, zone, nullptr, min_lead};
  BO_RETURN_IF_ERROR(ValidateSchedule(deadline, opening, "", ctx));
  if (deadline == FromProto(lot->spec().submission_deadline()) &&
      opening == FromProto(lot->spec().opening_time()))
    return Invalid("submission_deadline", "the new times equal the current ones; nothing to amend");
  amended.set_reason(req.reason());
  return amended;
}

absl::Status CheckNoDecryptionUnderway(const fold::Tender& tender, int lot) {
  for (const fold::Lot& l : tender.lots()) {
    if (lot != 0 && l.number() != lot) continue;
    if (l.status() == v1::LOT_STATUS_DECRYPTING)
      return absl::FailedPreconditionError(absl::StrCat(
          "decryption of lot ", l.number(), " of tender ", tender.id(),
          " is under way: it cannot be cancelled until every bid has its verdict (the window "
          "ends at ",
          TimeText(l.opening().window_end(), ZoneOrUtc(tender.time_zone())), ")"));
    // Announced and not closed (also a lot that failed after decryption): its
    // bidders' window, the answers to their objections and the record come first
    // (docs/opening-hall.md; 招标投标法实施条例 Art. 44).
    if ((l.opening().has_ended() || l.hall().has_announced()) && !l.hall().has_closed())
      return absl::FailedPreconditionError(absl::StrCat(
          "the results of lot ", l.number(), " of tender ", tender.id(),
          " were announced and its opening is not closed: it cannot be cancelled before its "
          "bidders' confirmation window ends, every objection is answered and the opening is "
          "closed with its record"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TenderCancelled> DecideCancel(const fold::Tender& tender,
                                                 const v1::CancelTenderRequest& req,
                                                 const v1::Party& actor) {
  BO_RETURN_IF_ERROR(CheckOwner(tender, actor, "cancel"));
  if (tender.cancelled())
    return absl::FailedPreconditionError(
        absl::StrCat("tender ", tender.id(), " is already cancelled"));
  if (req.lot() != 0) {
    BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(tender, req.lot()));
    if (lot->status() == v1::LOT_STATUS_CANCELLED)
      return absl::FailedPreconditionError(
          absl::StrCat("lot ", lot->number(), " of tender ", tender.id(), " is already cancelled"));
  }
  BO_RETURN_IF_ERROR(CheckNoDecryptionUnderway(tender, req.lot()));
  BO_RETURN_IF_ERROR(CheckText("reason", req.reason(), limits::kMaxReason, true));
  v1::TenderCancelled cancelled;
  cancelled.set_lot(req.lot());
  cancelled.set_reason(req.reason());
  return cancelled;
}

}  // namespace bidopen
