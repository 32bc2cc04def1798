// Tender-level events: created, amended, cancelled.
#include "absl/strings/str_cat.h"
#include "core/event_clock.h"
#include "core/opening/fold_internal.h"
#include "core/opening/lot_rules.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {

absl::Status Corrupt(const v1::Event& e, absl::string_view why) {
  return absl::DataLossError(
      absl::StrCat("event ", e.seq(), " (tender ", e.tender_id(), "): ", why));
}

v1::LogPosition PositionOf(const v1::Event& e) {
  v1::LogPosition p;
  p.set_seq(e.seq());
  *p.mutable_time() = e.time();
  return p;
}

absl::StatusOr<fold::Lot*> LotOf(const v1::Event& e, fold::Tender* t, int number) {
  if (number < 1 || number > t->lots_size()) return Corrupt(e, absl::StrCat("no lot ", number));
  return t->mutable_lots(number - 1);
}

absl::Status ApplyCreated(const v1::Event& e, fold::Tender* t) {
  if (!t->id().empty()) return Corrupt(e, "tender created twice");
  const auto& c = e.tender_created();
  t->set_id(e.tender_id());
  t->set_title(c.title());
  t->set_reference(c.reference());
  t->set_time_zone(c.time_zone());
  *t->mutable_agency() = e.actor();
  for (int i = 0; i < c.lots_size(); ++i) {
    fold::Lot* lot = t->add_lots();
    lot->set_number(i + 1);
    *lot->mutable_spec() = c.lots(i);
    lot->set_status(v1::LOT_STATUS_SCHEDULED);
  }
  *t->mutable_created() = PositionOf(e);
  return absl::OkStatus();
}

absl::Status ApplyAmended(const v1::Event& e, fold::Tender* t) {
  const auto& a = e.lot_amended();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, t, a.lot()));
  // As DecideAmend: a lot is amended only while open, before its deadline.
  if (t->cancelled() || lot->status() == v1::LOT_STATUS_CANCELLED)
    return Corrupt(e, absl::StrCat("amends lot ", a.lot(), ", which is cancelled"));
  if (FromProto(e.time()) >= FromProto(lot->spec().submission_deadline()))
    return Corrupt(e, absl::StrCat("amends lot ", a.lot(), " after its submission deadline"));
  // And as DecideAmend: by the agency, to a schedule it could set then
  // (review 4 R2). The server judged it a moment before it appended, perhaps
  // on another replica: the replicas' clock slack is allowed.
  if (absl::Status st = CheckOwner(*t, e.actor(), "amend"); !st.ok())
    return Corrupt(e, st.message());
  LotContext ctx{FromProto(e.time()) - kReplicaClockSlack, absl::UTCTimeZone(), nullptr,
                 absl::ZeroDuration()};
  if (absl::Status st = ValidateSchedule(FromProto(a.submission_deadline()),
                                         FromProto(a.opening_time()), "", ctx);
      !st.ok())
    return Corrupt(e, absl::StrCat("amends lot ", a.lot(),
                                   " to a schedule no agency may set: ", st.message()));
  v1::Amendment* am = lot->add_amendments();
  *am->mutable_old_deadline() = lot->spec().submission_deadline();
  *am->mutable_old_opening_time() = lot->spec().opening_time();
  *am->mutable_new_deadline() = a.submission_deadline();
  *am->mutable_new_opening_time() = a.opening_time();
  am->set_reason(a.reason());
  *am->mutable_at() = PositionOf(e);
  bool later = FromProto(a.submission_deadline()) > FromProto(lot->spec().submission_deadline());
  if (later) lot->set_status(v1::LOT_STATUS_POSTPONED);
  *lot->mutable_spec()->mutable_submission_deadline() = a.submission_deadline();
  *lot->mutable_spec()->mutable_opening_time() = a.opening_time();
  return absl::OkStatus();
}

absl::Status ApplyCancelled(const v1::Event& e, fold::Tender* t) {
  const auto& c = e.tender_cancelled();
  if (t->cancelled()) return Corrupt(e, "cancels a tender that is cancelled");
  // As DecideCancel: by the agency (review 5 S3).
  if (absl::Status st = CheckOwner(*t, e.actor(), "cancel"); !st.ok())
    return Corrupt(e, st.message());
  if (absl::Status st = CheckNoDecryptionUnderway(*t, c.lot()); !st.ok())
    return Corrupt(e, st.message());
  if (c.lot() == 0) {
    t->set_cancelled(true);
    t->set_cancel_reason(c.reason());
    for (auto& lot : *t->mutable_lots()) lot.set_status(v1::LOT_STATUS_CANCELLED);
    return absl::OkStatus();
  }
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, t, c.lot()));
  if (lot->status() == v1::LOT_STATUS_CANCELLED)
    return Corrupt(e, absl::StrCat("cancels lot ", c.lot(), ", which is cancelled"));
  lot->set_status(v1::LOT_STATUS_CANCELLED);
  lot->set_cancel_reason(c.reason());
  bool all = true;
  for (const auto& l : t->lots()) all = all && l.status() == v1::LOT_STATUS_CANCELLED;
  if (all) {
    t->set_cancelled(true);
    t->set_cancel_reason(c.reason());
  }
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
