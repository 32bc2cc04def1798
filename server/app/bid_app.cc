#include "server/app/bid_app.h"

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "core/bid/bid_rules.h"
#include "core/bid/upload_quota.h"
#include "core/crypto/sha256.h"
#include "core/opening/tender_rules.h"
#include "core/opening/tender_view.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "server/store/fold_rows.h"
#include "server/store/tx.h"

namespace bidopen::app {
namespace {

absl::Status CheckStart(const v1::UploadStart& s, uint64_t max_bid) {
  if (s.tender_id().empty()) return absl::InvalidArgumentError("start.tender_id: required");
  if (s.size() == 0) return absl::InvalidArgumentError("start.size: 0; a sealed bid is not empty");
  if (s.size() > max_bid)
    return absl::InvalidArgumentError(absl::StrCat("start.size: ", s.size(),
                                                   " bytes, more than this server's limit of ",
                                                   max_bid, " bytes per bid (--max-bid-size)"));
  if (s.ciphertext_sha256().size() != 32)
    return absl::InvalidArgumentError(absl::StrCat(
        "start.ciphertext_sha256: ", s.ciphertext_sha256().size(), " bytes, a SHA-256 has 32"));
  return absl::OkStatus();
}

std::string SlotKey(const v1::UploadStart& s, const std::string& bidder) {
  return absl::StrCat(s.tender_id(), "/", s.lot(), "/", bidder);
}

bool SameFile(const store::UploadRow& row, const v1::UploadStart& s) {
  return row.size == s.size() && row.ciphertext_sha256 == s.ciphertext_sha256();
}

// What the bidder is told of its discarded upload: partial, or complete but
// never committed (the commit, which makes it a bid, did not come in time).
std::string DiscardedText(const store::UploadRow& row) {
  if (row.received < row.size)
    return absl::StrCat("your partial upload (", row.received, " of ", row.size,
                        " bytes) was discarded");
  return absl::StrCat("your upload (all ", row.size,
                      " bytes, but not committed before the deadline) was discarded");
}

// Refused (late, cancelled): a partial upload left from before is discarded,
// and the bidder is told so. REQUIRES: the bidder's slot for the lot is held.
absl::Status Refused(store::Conn& conn, const std::optional<store::UploadRow>& latest,
                     absl::Status why) {
  using store::UploadState;
  if (!latest || (latest->state != UploadState::kOpen && latest->state != UploadState::kDiscarded))
    return why;
  if (latest->state == UploadState::kOpen)
    BO_RETURN_IF_ERROR(store::DropUpload(conn, latest->id, UploadState::kDiscarded).status());
  return absl::Status(why.code(), absl::StrCat(why.message(), "; ", DiscardedText(*latest)));
}

absl::Status AlreadyYourBid(const v1::UploadStart& s, uint64_t seq) {
  return absl::AlreadyExistsError(
      absl::StrCat("this sealed file is already your bid in lot ", s.lot(), " of tender ",
                   s.tender_id(), " (log index ", seq, "); `bidctl bid list` shows its receipt"));
}

store::UploadRow NewRow(const v1::UploadStart& s, const std::string& bidder, const fold::Lot& lot) {
  store::UploadRow row;
  row.tender_id = s.tender_id();
  row.lot = s.lot();
  row.bidder = bidder;
  row.size = s.size();
  row.ciphertext_sha256 = s.ciphertext_sha256();
  row.state = store::UploadState::kOpen;
  row.deadline = FromProto(lot.spec().submission_deadline());
  return row;
}

}  // namespace

absl::StatusOr<std::function<void()>> BidApp::Claim(const v1::UploadStart& s,
                                                    const std::string& bidder) {
  const std::string key = SlotKey(s, bidder);
  absl::MutexLock lock(&mu_);
  if (!active_.insert(key).second)
    return absl::AbortedError(absl::StrCat(
        "another upload of yours to lot ", s.lot(), " of tender ", s.tender_id(),
        " is in progress; one at a time per lot (a stream that sends nothing for ",
        DurationText(idle_timeout_), " is cancelled and frees the lot; --upload-idle-timeout)"));
  return std::function<void()>([this, key] { Release(key); });
}

absl::StatusOr<std::unique_ptr<Upload>> BidApp::Begin(const Bidder& bidder,
                                                      const v1::UploadStart& s) {
  BO_RETURN_IF_ERROR(CheckStart(s, max_bid_));
  const std::string& who = bidder.party.fingerprint();
  BO_ASSIGN_OR_RETURN(std::function<void()> release, Claim(s, who));
  absl::Cleanup unclaim = [&] { release(); };
  std::optional<store::UploadRow> resumed;
  std::unique_ptr<Upload> up;
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(*conn, s.tender_id()));
    BO_ASSIGN_OR_RETURN(auto newest, store::NewestBid(*conn, s.tender_id(), s.lot(), who));
    if (newest) BO_RETURN_IF_ERROR(store::LoadBids(*conn, {{newest->seq}}, &state));
    if (newest && bid::LiveBidOf(state, newest->seq) != nullptr &&
        newest->ciphertext_sha256 == s.ciphertext_sha256())
      return AlreadyYourBid(s, newest->seq);
    BO_ASSIGN_OR_RETURN(auto latest, store::LatestUpload(*conn, s.tender_id(), s.lot(), who));
    BO_ASSIGN_OR_RETURN(absl::Time now, log_.Now());
    auto lot = bid::LotTakingBids(state.tender, s.lot(), now, "bids are no longer accepted");
    if (!lot.ok()) return Refused(*conn, latest, lot.status());
    if (latest && latest->state == store::UploadState::kOpen && SameFile(*latest, s)) {
      resumed = latest;
      up = std::make_unique<Upload>(bidder.cert_pem, *latest, LotView(**lot), release);
    } else {
      BO_RETURN_IF_ERROR(CheckQuota(*conn, s, who));
      store::UploadRow row = NewRow(s, who, **lot);
      auto id = store::StartUpload(*conn, row);
      if (absl::IsAlreadyExists(id.status()))  // another server's stream took the lot first
        return absl::AbortedError(absl::StrCat("another upload of yours to lot ", s.lot(),
                                               " of tender ", s.tender_id(),
                                               " started meanwhile; one at a time per lot"));
      BO_ASSIGN_OR_RETURN(row.id, std::move(id));
      up = std::make_unique<Upload>(bidder.cert_pem, std::move(row), LotView(**lot), release);
    }
  }
  std::move(unclaim).Cancel();  // the Upload releases the slot from now on
  if (resumed) BO_RETURN_IF_ERROR(Rehash(*up));
  return up;
}

absl::Status BidApp::CheckQuota(store::Conn& conn, const v1::UploadStart& s,
                                const std::string& bidder) {
  BO_ASSIGN_OR_RETURN(auto rows, store::OpenUploadsOf(conn, bidder));
  std::vector<bid::OpenUpload> open;
  for (const store::UploadRow& r : rows) open.push_back({r.tender_id, r.lot, r.size, r.received});
  return bid::CheckPartialQuota(open, s.tender_id(), s.lot(), s.size(), partial_quota_);
}

// Hashes and scans the bytes an earlier stream stored, a page at a time, with
// a connection leased per page.
absl::Status BidApp::Rehash(Upload& up) {
  const store::UploadRow& row = up.row();
  uint64_t at = 0;
  while (at < row.received) {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    BO_ASSIGN_OR_RETURN(auto page, store::ReadChunkPage(*conn, row.id, at, row.received));
    if (page.empty() || page.front().first != at) break;  // a gap: reported below
    for (const auto& [pos, bytes] : page) {
      if (pos != at) break;
      BO_RETURN_IF_ERROR(up.Absorb(bytes));
      at += bytes.size();
    }
  }
  if (at != row.received)
    return absl::DataLossError(absl::StrCat("upload ", row.id, ": stored chunks end at byte ", at,
                                            ", not at the durable offset ", row.received));
  return absl::OkStatus();
}

void BidApp::Release(const std::string& key) {
  absl::MutexLock lock(&mu_);
  active_.erase(key);
}

absl::Status BidApp::CheckChunk(const Upload& up, const v1::UploadChunk& c) const {
  const store::UploadRow& row = up.row();
  if (c.data().empty()) return absl::InvalidArgumentError("chunk.data: empty");
  if (c.data().size() > bid::kMaxChunk)
    return absl::InvalidArgumentError(absl::StrCat("chunk.data: ", c.data().size(),
                                                   " bytes, more than the limit of ",
                                                   bid::kMaxChunk, " bytes per chunk"));
  if (c.offset() != row.received)
    return absl::OutOfRangeError(
        absl::StrCat("chunk.offset: ", c.offset(), ", but the durable offset of this upload is ",
                     row.received, "; chunks follow each other without gaps or overlaps"));
  if (c.data().size() > row.size - row.received)
    return absl::OutOfRangeError(absl::StrCat("chunk: bytes ", c.offset(), "..",
                                              c.offset() + c.data().size(),
                                              " go past the declared size ", row.size));
  return absl::OkStatus();
}

absl::Status BidApp::StoreChunk(const store::UploadRow& row, absl::string_view data) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(bool stored, store::AppendChunk(*conn, row.id, row.received, data));
  if (stored) return absl::OkStatus();
  BO_ASSIGN_OR_RETURN(auto now, store::LatestUpload(*conn, row.tender_id, row.lot, row.bidder));
  if (now && now->id == row.id && now->state == store::UploadState::kDiscarded)
    return absl::FailedPreconditionError(absl::StrCat("lot ", row.lot, " of tender ", row.tender_id,
                                                      ": the submission deadline passed; ",
                                                      DiscardedText(row)));
  return absl::AbortedError("the upload changed under this stream; ask for the offset again");
}

absl::Status BidApp::AfterChunk(Upload& up, uint64_t size, const absl::Status& absorbed) {
  up.Advance(size);
  const store::UploadRow& row = up.row();
  if (absorbed.ok() && (!up.header_checked() || !row.header_sha256.empty()))
    return absl::OkStatus();
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  if (!absorbed.ok()) {  // not a sealed bid for this lot
    BO_RETURN_IF_ERROR(store::DropUpload(*conn, row.id, store::UploadState::kAbandoned).status());
    return absl::Status(absorbed.code(),
                        absl::StrCat(absorbed.message(), "; the upload was discarded"));
  }
  BO_RETURN_IF_ERROR(store::SetHeaderHash(*conn, row.id, up.header_hash()));
  up.HeaderSaved();
  return absl::OkStatus();
}

absl::Status BidApp::Chunk(Upload& up, const v1::UploadChunk& c) {
  BO_RETURN_IF_ERROR(CheckChunk(up, c));
  BO_RETURN_IF_ERROR(StoreChunk(up.row(), c.data()));
  return AfterChunk(up, c.data().size(), up.Absorb(c.data()));
}

absl::StatusOr<v1::UploadOffset> BidApp::Offset(const Bidder& bidder, const v1::UploadStart& s) {
  BO_RETURN_IF_ERROR(CheckStart(s, max_bid_));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(
      auto latest, store::LatestUpload(*conn, s.tender_id(), s.lot(), bidder.party.fingerprint()));
  v1::UploadOffset out;
  out.set_size(s.size());
  if (latest && latest->state == store::UploadState::kOpen && SameFile(*latest, s))
    out.set_offset(latest->received);
  return out;
}

absl::StatusOr<v1::ListMyBidsResponse> BidApp::List(const Bidder& bidder,
                                                    const v1::ListMyBidsRequest& req) {
  if (req.tender_id().empty()) return absl::InvalidArgumentError("tender_id: required");
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  store::Tx snapshot(*conn);  // receipts and states from one moment
  BO_RETURN_IF_ERROR(snapshot.BeginSnapshot());
  BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(*conn, req.tender_id()));
  BO_ASSIGN_OR_RETURN(auto bids,
                      store::BidderBids(*conn, req.tender_id(), bidder.party.fingerprint()));
  v1::ListMyBidsResponse out;
  for (const store::BidRow& b : bids) {
    for (const std::string* bytes : {&b.receipt, &b.withdrawal})
      if (!bytes->empty() && !out.add_receipts()->ParseFromString(*bytes))
        return absl::DataLossError(
            absl::StrCat("bids: the receipt of seq ", b.seq, " does not parse"));
    BO_RETURN_IF_ERROR(store::LoadBids(*conn, {{b.seq}}, &state));
    auto it = state.bids.find(b.seq);
    if (it == state.bids.end())
      return absl::DataLossError(absl::StrCat("bid_states: no row for bid ", b.seq));
    *out.add_bids() = BidView(it->second);
  }
  return out;
}

absl::StatusOr<bool> BidApp::DiscardIfLate(store::Conn& conn, const store::UploadRow& row,
                                           absl::Time now) {
  // The deadline may have moved since the upload started.
  BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(conn, row.tender_id));
  auto lot = bid::LotTakingBids(state.tender, row.lot, now - kDiscardGrace, "");
  if (lot.ok()) {
    BO_RETURN_IF_ERROR(
        store::SetUploadDeadline(conn, row.id, FromProto((*lot)->spec().submission_deadline())));
    return false;
  }
  return store::DropUpload(conn, row.id, store::UploadState::kDiscarded);
}

// Judged against the log's time: a clock stepped forward discards nothing.
absl::StatusOr<int> BidApp::DiscardLate() {
  BO_ASSIGN_OR_RETURN(const absl::Time now, log_.Now());
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(auto candidates, store::OpenUploadsPast(*conn, now - kDiscardGrace));
  int discarded = 0;
  absl::Status first_error;
  for (const store::UploadRow& row : candidates) {
    auto dropped = DiscardIfLate(*conn, row, now);
    if (!dropped.ok()) {
      first_error.Update(dropped.status());  // the others still get their turn
      continue;
    }
    discarded += *dropped ? 1 : 0;
  }
  if (!first_error.ok()) return first_error;
  return discarded;
}

}  // namespace bidopen::app
