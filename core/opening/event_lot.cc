#include "core/opening/event_lot.h"

namespace bidopen {

int EventLot(const v1::Event& e) {
  using E = v1::Event;
  switch (e.body_case()) {
    case E::kTenderCreated:
    case E::kLotKeysRegistered:
      return 0;
    case E::kTenderCancelled:
      return e.tender_cancelled().lot();
    case E::kLotAmended:
      return e.lot_amended().lot();
    case E::kBidSubmitted:
      return e.bid_submitted().lot();
    case E::kBidWithdrawn:
      return e.bid_withdrawn().lot();
    case E::kOpeningStarted:
      return e.opening_started().lot();
    case E::kBidRevealed:
      return e.bid_revealed().lot();
    case E::kKeyReleased:
      return e.key_released().lot();
    case E::kBidDecrypted:
      return e.bid_decrypted().lot();
    case E::kBidVerdict:
      return e.bid_verdict().lot();
    case E::kBidFileRestored:
      return e.bid_file_restored().lot();
    case E::kDecryptionEnded:
      return e.decryption_ended().lot();
    case E::kBidderSignedIn:
      return e.bidder_signed_in().lot();
    case E::kResultsAnnounced:
      return e.results_announced().lot();
    case E::kAnnouncementConfirmed:
      return e.announcement_confirmed().lot();
    case E::kObjectionRaised:
      return e.objection_raised().lot();
    case E::kObjectionAnswered:
      return e.objection_answered().lot();
    case E::kOpeningClosed:
      return e.opening_closed().lot();
    case E::kKeyRegistered:
    case E::kCertificateRevoked:
    case E::BODY_NOT_SET:
      return -1;
  }
  return -1;
}

bool ShownToLotWatcher(const v1::Event& e, const std::string& tender_id, int lot) {
  if (e.tender_id() != tender_id) return false;
  const int of = EventLot(e);
  return of == 0 || of == lot;
}

}  // namespace bidopen
