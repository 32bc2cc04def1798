#include "core/opening/fold.h"

#include "absl/strings/str_cat.h"
#include "core/event_clock.h"
#include "core/opening/fold_internal.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

using fold_internal::Corrupt;

absl::StatusOr<TenderState*> TenderOf(const v1::Event& e, const FoldTarget& target) {
  if (e.tender_id().empty()) return Corrupt(e, "a tender event without a tender id");
  if (target.tender == nullptr)
    return absl::InternalError(absl::StrCat("event ", e.seq(), ": no tender state to apply it to"));
  TenderState* s = target.tender;
  const bool creates = e.body_case() == v1::Event::kTenderCreated;
  if (!creates && s->tender.id().empty()) return Corrupt(e, "event before the tender was created");
  if (!s->tender.id().empty() && s->tender.id() != e.tender_id())
    return absl::InternalError(absl::StrCat("event ", e.seq(), " of tender ", e.tender_id(),
                                            " applied to tender ", s->tender.id()));
  // A release cited a signed head the releaser saw before it was appended:
  // every later event was appended after that head, so it is not timed before
  // it (by more than the replicas' clock slack: another replica may have
  // signed the head).
  if (s->tender.has_cited_time() &&
      FromProto(e.time()) < FromProto(s->tender.cited_time()) - kReplicaClockSlack)
    return Corrupt(e, absl::StrCat("timed ", TimeText(e.time(), absl::UTCTimeZone()),
                                   ", more than ", absl::FormatDuration(kReplicaClockSlack),
                                   " before the signed tree head a release cited (",
                                   TimeText(s->tender.cited_time(), absl::UTCTimeZone()),
                                   "), which was signed before this event was appended"));
  return s;
}

// The tender-level kinds change only the tender row.
absl::StatusOr<Changes> ApplyToTender(const v1::Event& e, const FoldTarget& target,
                                      absl::Status (*apply)(const v1::Event&, fold::Tender*)) {
  BO_ASSIGN_OR_RETURN(TenderState * s, TenderOf(e, target));
  BO_RETURN_IF_ERROR(apply(e, &s->tender));
  BO_RETURN_IF_ERROR(fold_internal::CheckSignedAction(e, &s->tender));
  *s->tender.mutable_updated() = fold_internal::PositionOf(e);
  s->tender.set_last_seq(e.seq());
  Changes changes;
  changes.tender = true;
  return changes;
}

// The bid kinds change bid rows and the lot's counts in the tender row.
absl::StatusOr<Changes> ApplyToBids(const v1::Event& e, const FoldTarget& target,
                                    absl::Status (*apply)(const v1::Event&, TenderState*,
                                                          Changes*)) {
  BO_ASSIGN_OR_RETURN(TenderState * s, TenderOf(e, target));
  Changes changes;
  changes.tender = true;
  BO_RETURN_IF_ERROR(apply(e, s, &changes));
  BO_RETURN_IF_ERROR(fold_internal::CheckSignedAction(e, &s->tender));
  s->tender.set_last_seq(e.seq());
  return changes;
}

absl::StatusOr<v1::RegisteredKey*> KeyOf(const v1::Event& e, const FoldTarget& target) {
  if (!e.tender_id().empty()) return Corrupt(e, "a key registration inside a tender");
  if (target.keys == nullptr)
    return absl::InternalError(absl::StrCat("event ", e.seq(), ": no key registry to apply it to"));
  v1::RegisteredKey& key = (*target.keys)[e.actor().fingerprint()];
  *key.mutable_party() = e.actor();
  return &key;
}

absl::StatusOr<Changes> ApplyKey(const v1::Event& e, const FoldTarget& target) {
  BO_ASSIGN_OR_RETURN(v1::RegisteredKey * key, KeyOf(e, target));
  key->set_x25519_public_key(e.key_registered().x25519_public_key());
  *key->mutable_registered() = fold_internal::PositionOf(e);
  Changes changes;
  changes.keys.push_back(e.actor().fingerprint());
  return changes;
}

absl::StatusOr<Changes> ApplyLotKeys(const v1::Event& e, const FoldTarget& target) {
  if (e.actor().role() != v1::ROLE_CUSTODIAN)
    return Corrupt(e, "per-lot keys registered by a party that is no custodian");
  BO_ASSIGN_OR_RETURN(v1::RegisteredKey * key, KeyOf(e, target));
  const v1::LotKeysRegistered& r = e.lot_keys_registered();
  if (r.signatures_size() != 0 && r.signatures_size() != r.public_keys_size())
    return Corrupt(e, absl::StrCat(r.signatures_size(), " signatures for ", r.public_keys_size(),
                                   " per-lot keys"));
  // Keys from before signatures: pad with empty ones so that the i-th
  // signature stays the i-th key's (bidders refuse unsigned keys).
  while (key->lot_key_signatures_size() < key->lot_keys_size()) key->add_lot_key_signatures("");
  for (int i = 0; i < r.public_keys_size(); ++i) {
    key->add_lot_keys(r.public_keys(i));
    key->add_lot_key_signatures(r.signatures_size() > 0 ? r.signatures(i) : "");
  }
  if (!r.certificate_pem().empty()) key->set_certificate_pem(r.certificate_pem());
  Changes changes;
  changes.keys.push_back(e.actor().fingerprint());
  return changes;
}

absl::StatusOr<Changes> ApplyCreated(const v1::Event& e, const FoldTarget& target) {
  BO_ASSIGN_OR_RETURN(Changes changes, ApplyToTender(e, target, fold_internal::ApplyCreated));
  if (target.keys == nullptr) return changes;
  BO_RETURN_IF_ERROR(fold_internal::UseLotKeys(e, target.keys, &changes));
  return changes;
}

// A verdict; with the whole log's revocations (target.revoked: FoldInto, not a
// tender's events alone) also checked against them (review 4 R7).
absl::StatusOr<Changes> ApplyVerdict(const v1::Event& e, const FoldTarget& target) {
  if (target.revoked != nullptr && target.tender != nullptr && !target.tender->tender.id().empty())
    BO_RETURN_IF_ERROR(
        fold_internal::CheckVerdictAgainstRevocations(e, *target.tender, *target.revoked));
  return ApplyToBids(e, target, fold_internal::ApplyBidVerdict);
}

}  // namespace

std::vector<uint64_t> BidsNamed(const v1::Event& e) {
  if (e.has_bid_submitted() && e.bid_submitted().has_replaces())
    return {e.bid_submitted().replaces()};
  if (e.has_bid_withdrawn()) return {e.bid_withdrawn().withdraws()};
  if (e.has_opening_started())
    return {e.opening_started().bids().begin(), e.opening_started().bids().end()};
  if (e.has_bid_revealed()) return {e.bid_revealed().bid()};
  if (e.has_key_released() && e.key_released().kind() == v1::RELEASE_KIND_BIDDER)
    return {e.key_released().bid()};
  if (e.has_bid_decrypted()) return {e.bid_decrypted().bid()};
  if (e.has_bid_verdict()) return {e.bid_verdict().bid()};
  if (e.has_bid_file_restored()) return {e.bid_file_restored().bid()};
  if (e.has_bidder_signed_in()) return {e.bidder_signed_in().bid()};
  if (e.has_results_announced())
    return {e.results_announced().bids().begin(), e.results_announced().bids().end()};
  if (e.has_announcement_confirmed()) return {e.announcement_confirmed().bid()};
  if (e.has_objection_raised()) return {e.objection_raised().bid()};
  return {};
}

std::vector<std::string> StatementsNamed(const v1::Event& e) {
  if (e.has_bid_submitted()) return {e.bid_submitted().statement_sha256()};
  if (e.has_bid_withdrawn()) return {e.bid_withdrawn().statement_sha256()};
  return {};
}

std::vector<std::string> RevokedNamed(const v1::Event& e) {
  if (e.has_certificate_revoked()) return {e.certificate_revoked().fingerprint()};
  return {};
}

std::vector<std::string> KeysNamed(const v1::Event& e) {
  if (e.has_key_registered() || e.has_lot_keys_registered()) return {e.actor().fingerprint()};
  std::vector<std::string> out;
  if (e.has_tender_created())
    for (const v1::LotSpec& lot : e.tender_created().lots())
      if (lot.custodian_keys_size() > 0)
        for (const std::string& fp : lot.custodians()) out.push_back(fp);
  return out;
}

absl::StatusOr<Changes> ApplyEvent(const v1::Event& e, const FoldTarget& target) {
  switch (e.body_case()) {
    case v1::Event::kTenderCreated:
      return ApplyCreated(e, target);
    case v1::Event::kLotAmended:
      return ApplyToTender(e, target, fold_internal::ApplyAmended);
    case v1::Event::kTenderCancelled:
      return ApplyToTender(e, target, fold_internal::ApplyCancelled);
    case v1::Event::kKeyRegistered:
      return ApplyKey(e, target);
    case v1::Event::kLotKeysRegistered:
      return ApplyLotKeys(e, target);
    case v1::Event::kBidSubmitted:
      return ApplyToBids(e, target, fold_internal::ApplySubmitted);
    case v1::Event::kBidWithdrawn:
      return ApplyToBids(e, target, fold_internal::ApplyWithdrawn);
    case v1::Event::kOpeningStarted:
      return ApplyToBids(e, target, fold_internal::ApplyOpeningStarted);
    case v1::Event::kBidRevealed:
      return ApplyToBids(e, target, fold_internal::ApplyBidRevealed);
    case v1::Event::kKeyReleased:
      return ApplyToBids(e, target, fold_internal::ApplyKeyReleased);
    case v1::Event::kBidDecrypted:
      return ApplyToBids(e, target, fold_internal::ApplyBidDecrypted);
    case v1::Event::kBidVerdict:
      return ApplyVerdict(e, target);
    case v1::Event::kBidFileRestored:
      return ApplyToBids(e, target, fold_internal::ApplyBidFileRestored);
    case v1::Event::kDecryptionEnded:
      return ApplyToBids(e, target, fold_internal::ApplyDecryptionEnded);
    case v1::Event::kBidderSignedIn:
      return ApplyToBids(e, target, fold_internal::ApplyBidderSignedIn);
    case v1::Event::kResultsAnnounced:
      return ApplyToBids(e, target, fold_internal::ApplyResultsAnnounced);
    case v1::Event::kAnnouncementConfirmed:
      return ApplyToBids(e, target, fold_internal::ApplyAnnouncementConfirmed);
    case v1::Event::kObjectionRaised:
      return ApplyToBids(e, target, fold_internal::ApplyObjectionRaised);
    case v1::Event::kObjectionAnswered:
      return ApplyToBids(e, target, fold_internal::ApplyObjectionAnswered);
    case v1::Event::kOpeningClosed:
      return ApplyToBids(e, target, fold_internal::ApplyOpeningClosed);
    case v1::Event::kCertificateRevoked:
      return fold_internal::ApplyRevoked(e, target.revoked);
    case v1::Event::BODY_NOT_SET:
      return Corrupt(e, "an event without a body (written by a newer server?)");
  }
  return Corrupt(e, absl::StrCat("unknown event kind ", e.body_case()));
}

absl::StatusOr<TenderState> FoldTender(std::span<const v1::Event> events) {
  LogState all;
  std::string id;
  for (const v1::Event& e : events) {
    if (e.tender_id().empty()) continue;
    if (id.empty()) id = e.tender_id();
    if (e.tender_id() != id) continue;
    BO_RETURN_IF_ERROR(ApplyEvent(e, {.tender = &all.tenders[id]}).status());
  }
  if (id.empty() || all.tenders[id].tender.id().empty())
    return absl::NotFoundError("no such tender");
  return std::move(all.tenders[id]);
}

absl::Status FoldInto(std::span<const v1::Event> events, LogState* state) {
  for (const v1::Event& e : events) {
    FoldTarget target{.keys = &state->keys, .revoked = &state->revoked};
    if (!e.tender_id().empty()) target.tender = &state->tenders[e.tender_id()];
    BO_RETURN_IF_ERROR(ApplyEvent(e, target).status());
  }
  return absl::OkStatus();
}

}  // namespace bidopen
