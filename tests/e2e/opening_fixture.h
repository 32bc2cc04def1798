// What the opening e2e tests share: a lot whose deadline and opening time are
// seconds away, three bidders and three custodians (2 of 3), bids sealed and
// submitted with bidctl, and the opening driven through the service stubs.
#ifndef BIDOPEN_TESTS_E2E_OPENING_FIXTURE_H_
#define BIDOPEN_TESTS_E2E_OPENING_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "core/crypto/sha256.h"
#include "core/seal/header.h"
#include "core/seal/release_check.h"
#include "tests/e2e/bid_fixture.h"

namespace bidopen::testing {

class OpeningTest : public BidTest {
 protected:
  // The opening time of ShortTender's lot.
  absl::Time opening_time_;

  // Custodians (with per-lot keys) and bidders register their keys.
  void RegisterAll() {
    for (const char* who :
         {"custodian1", "custodian2", "custodian3", "bidder1", "bidder2", "bidder3"})
      RegisterKey(who);
  }

  // A lot with price and duration, custodians 1-3 (k = 2), deadline and
  // opening `ahead` from now.
  std::string ShortTender(const std::string& policy, absl::Duration ahead = absl::Seconds(12),
                          const std::string& window = "30s", std::vector<std::string> more = {}) {
    absl::TimeZone tz;
    absl::LoadTimeZone("Asia/Shanghai", &tz);
    opening_time_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now() + ahead));
    const std::string at = absl::FormatTime("%Y-%m-%dT%H:%M:%S", opening_time_, tz);
    std::vector<std::string> args = {"--json",
                                     "tender",
                                     "create",
                                     "--title",
                                     "Short opening",
                                     "--timezone",
                                     "Asia/Shanghai",
                                     "--deadline",
                                     at,
                                     "--opening",
                                     at,
                                     "--window",
                                     window,
                                     "--field",
                                     "price:decimal:CNY",
                                     "--field",
                                     "duration_days:int",
                                     "--policy",
                                     policy};
    if (policy != "BIDDER")
      for (const char* c : {"Custodian One", "Custodian Two", "Custodian Three"})
        args.insert(args.end(), {"--custodian", c});
    if (policy != "BIDDER") args.insert(args.end(), {"--threshold", "2"});
    args.insert(args.end(), more.begin(), more.end());
    CommandResult r = Bidctl("agency1", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return TenderIdOf(r.out);
  }

  // Seals and submits `who`'s bid at `price`; returns the sealed file.
  std::string Submit(const std::string& id, const std::string& who, const std::string& price) {
    const std::string doc = WriteFile(who + "-offer.txt", "Offer of " + who + " at " + price);
    const std::string file = dir_.path() + "/" + who + ".sealed";
    CommandResult s = Seal(
        id, {"--form", "price=" + price, "--form", "duration_days=90", "--doc", doc, "-o", file},
        who);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    CommandResult u = Bidctl(who, {"bid", "submit", file});
    EXPECT_EQ(u.exit_code, 0) << u.err;
    return file;
  }

  void WaitForOpeningTime() {
    while (absl::Now() < opening_time_ + absl::Milliseconds(200))
      absl::SleepFor(absl::Milliseconds(100));
  }

  v1::LotRef Lot(const std::string& id) const {
    v1::LotRef ref;
    ref.set_tender_id(id);
    ref.set_lot(1);
    return ref;
  }

  std::unique_ptr<v1::OpeningService::Stub> Opening(const std::string& who) const {
    return v1::OpeningService::NewStub(Channel(who));
  }

  grpc::Status Start(const std::string& id, v1::OpeningStatus* out = nullptr,
                     const std::string& who = "agency1") {
    grpc::ClientContext ctx;
    v1::OpeningStatus ignored;
    return Opening(who)->StartOpening(&ctx, Lot(id), out ? out : &ignored);
  }

  v1::OpeningStatus Status(const std::string& id, const std::string& who = "auditor1") {
    grpc::ClientContext ctx;
    v1::OpeningStatus out;
    grpc::Status st = Opening(who)->GetOpening(&ctx, Lot(id), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // The bidder's secret as its own machine unwraps it (s, or s_b under BOTH).
  std::string BidderSecret(const std::string& id, const std::string& who) {
    grpc::ClientContext ctx;
    v1::MyBid mine;
    grpc::Status st = Opening(who)->GetMyBid(&ctx, Lot(id), &mine);
    EXPECT_TRUE(st.ok()) << st.error_message();
    auto header = seal::DecodeHeader(mine.header());
    EXPECT_TRUE(header.ok()) << header.status();
    if (!header.ok()) return "";
    auto secret = seal::UnwrapBidderSecret(*header, PrivateKey(who));
    EXPECT_TRUE(secret.ok()) << secret.status();
    return secret.ok() ? std::string(secret->view()) : "";
  }

  grpc::Status ReleaseBidder(const std::string& id, const std::string& who,
                             const std::string& secret, v1::ReleaseResult* out = nullptr) {
    grpc::ClientContext ctx;
    v1::ReleaseKeyRequest req;
    *req.mutable_lot() = Lot(id);
    req.set_secret(secret);
    v1::ReleaseResult ignored;
    return Opening(who)->ReleaseKey(&ctx, req, out ? out : &ignored);
  }

  // Custodian `who`'s per-lot private key for the lot, as bidctl keeps it.
  std::string LotPrivateKey(const std::string& id, const std::string& who) {
    v1::Lot lot = Status(id).lot_state();
    const std::string fp = Fingerprint(who);
    for (int i = 0; i < lot.spec().custodians_size(); ++i)
      if (lot.spec().custodians(i) == fp) {
        const std::string path = dir_.path() + "/config/keys/" + fp + ".lot/" +
                                 crypto::Hex(lot.spec().custodian_keys(i)) + ".x25519";
        return absl::HexStringToBytes(absl::StripAsciiWhitespace(ReadWholeFile(path)));
      }
    ADD_FAILURE() << who << " is no custodian of " << id;
    return "";
  }

  grpc::Status ReleaseCustodian(const std::string& id, const std::string& who,
                                const std::string& key, v1::ReleaseResult* out = nullptr) {
    grpc::ClientContext ctx;
    v1::ReleaseLotKeyRequest req;
    *req.mutable_lot() = Lot(id);
    req.set_private_key(key);
    v1::ReleaseResult ignored;
    return v1::CustodyService::NewStub(Channel(who))
        ->ReleaseLotKey(&ctx, req, out ? out : &ignored);
  }

  // Waits (up to 20 s) until `n` bids of the lot opened.
  void WaitOpened(const std::string& id, uint32_t n) {
    for (int i = 0; i < 200 && Status(id).lot_state().opening().opened() < n; ++i)
      absl::SleepFor(absl::Milliseconds(100));
    ASSERT_GE(Status(id).lot_state().opening().opened(), n) << ServerLog();
  }

  // Waits (up to `limit`) until decryption ended.
  v1::OpeningStatus WaitEnded(const std::string& id, absl::Duration limit = absl::Seconds(60)) {
    const absl::Time until = absl::Now() + limit;
    v1::OpeningStatus s = Status(id);
    while (!s.lot_state().opening().has_ended() && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(200));
      s = Status(id);
    }
    EXPECT_TRUE(s.lot_state().opening().has_ended()) << ServerLog();
    return s;
  }

  grpc::Status End(const std::string& id, v1::OpeningStatus* out = nullptr) {
    grpc::ClientContext ctx;
    v1::OpeningStatus ignored;
    return Opening("agency1")->EndDecryption(&ctx, Lot(id), out ? out : &ignored);
  }

  // The bid of `who`, by its bidder's organization after the reveal.
  static const v1::BidEntry* BidOf(const v1::OpeningStatus& s, const std::string& organization) {
    for (const v1::BidEntry& b : s.lot_state().bids())
      if (b.opening().bidder().organization() == organization) return &b;
    return nullptr;
  }
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_E2E_OPENING_FIXTURE_H_
