#include "client/opening_view.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/log/bundle.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {

v1::LotRef ToRef(const LotName& name) {
  v1::LotRef ref;
  ref.set_tender_id(name.tender_id);
  ref.set_lot(name.lot);
  return ref;
}

absl::StatusOr<OpeningView> CheckOpening(v1::OpeningStatus status, const std::string& ca_pem,
                                         absl::Time sent, absl::Time received, bool need_head) {
  if (!status.has_now() && !need_head) {
    OpeningView v;
    v.signed_now = received;
    v.time_signed = false;
    v.zone = ZoneOrUtc(status.time_zone());
    v.status = std::move(status);
    return v;
  }
  if (!status.has_now())
    return absl::DataLossError(
        "the server's opening status has no signed tree head (now): its time cannot be checked");
  auto head = log::VerifyHead(status.now(), ca_pem);
  if (!head.ok())
    return absl::DataLossError(
        absl::StrCat("the server's signed time does not verify against the trusted CA: ",
                     head.status().message()));
  OpeningView v;
  v.signed_now = head->time;
  v.clock_offset = (sent + (received - sent) / 2) - head->time;
  v.zone = ZoneOrUtc(status.time_zone());
  v.status = std::move(status);
  return v;
}

absl::StatusOr<OpeningView> FetchOpening(const Session& s, const OpeningStub& stub,
                                         const std::string& ca_pem, const LotName& lot,
                                         int seconds) {
  const v1::LotRef ref = ToRef(lot);
  v1::OpeningStatus status;
  const absl::Time sent = absl::Now();
  BO_RETURN_IF_ERROR(s.Check(stub->GetOpening(CallContext(seconds).get(), ref, &status)));
  const absl::Time received = absl::Now();
  if (status.lot_state().number() != lot.lot)
    return absl::DataLossError(absl::StrCat("asked for lot ", lot.lot, " of tender ", lot.tender_id,
                                            ", the server answered with lot ",
                                            status.lot_state().number()));
  return CheckOpening(std::move(status), ca_pem, sent, received);
}

}  // namespace bidopen::client
