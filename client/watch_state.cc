#include "client/watch_state.h"

#include "absl/strings/str_cat.h"
#include "core/log/bundle.h"
#include "core/opening/event_lot.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/status_macros.h"

namespace bidopen::client {

absl::StatusOr<bool> ApplyEntry(WatchState& s, const v1::LogEntry& entry, v1::Event* event) {
  if (entry.seq() < s.next_seq) return false;
  if (!event->ParseFromString(entry.event()))
    return absl::DataLossError(absl::StrCat("log #", entry.seq(), " does not parse"));
  if (event->seq() != entry.seq() || !ShownToLotWatcher(*event, s.tender_id, s.lot))
    return absl::DataLossError(absl::StrCat("log #", entry.seq(), " is not an event of lot ", s.lot,
                                            " of tender ", s.tender_id));
  BO_RETURN_IF_ERROR(ApplyEvent(*event, {.tender = &s.tender}).status());
  s.next_seq = entry.seq() + 1;
  ++s.events;
  return true;
}

absl::Status ApplyHeartbeat(WatchState& s, const v1::SignedTreeHead& head,
                            const std::string& ca_pem, absl::Time local) {
  absl::StatusOr<log::Checkpoint> c = log::VerifyHead(head, ca_pem);
  if (!c.ok())
    return absl::DataLossError(absl::StrCat(
        "the server's signed time does not verify against the trusted CA: ", c.status().message()));
  if (s.have_beat && c->time < s.signed_time)
    return absl::DataLossError("the server's signed time went back between two heartbeats");
  s.signed_time = c->time;
  s.beat_received = local;
  s.have_beat = true;
  return absl::OkStatus();
}

absl::Time SignedNow(const WatchState& s, absl::Time local_now) {
  if (!s.have_beat) return local_now;
  return s.signed_time + (local_now - s.beat_received);
}

const fold::Lot* FoldedLot(const WatchState& s) {
  for (const fold::Lot& l : s.tender.tender.lots())
    if (l.number() == s.lot) return &l;
  return nullptr;
}

v1::Lot LotOfView(const WatchState& s) {
  const v1::Tender t = TenderView(s.tender);
  for (const v1::Lot& l : t.lots())
    if (l.number() == s.lot) return l;
  return v1::Lot();
}

bool WatchDone(const WatchState& s) {
  const fold::Lot* lot = FoldedLot(s);
  if (lot == nullptr) return false;
  if (lot->status() == v1::LOT_STATUS_CANCELLED || lot->hall().has_closed()) return true;
  // Failed at its start: no bid revealed, so no announcement follows.
  return lot->status() == v1::LOT_STATUS_FAILED && !lot->opening().has_ended();
}

}  // namespace bidopen::client
