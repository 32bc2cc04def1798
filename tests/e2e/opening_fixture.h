// What the opening e2e tests share: a lot whose deadline and opening time are
// seconds away, three bidders and three custodians (2 of 3), bids sealed and
// submitted with bidctl, and the opening driven through the service stubs.
#ifndef BIDOPEN_TESTS_E2E_OPENING_FIXTURE_H_
#define BIDOPEN_TESTS_E2E_OPENING_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
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

  // A BIDDER lot (price, duration; minimum 1 bid) that the server starts
  // itself `ahead` from now: created with `bidctl tender create --spec`, the
  // JSON of the CreateTenderRequest bidctl sends, with auto_start set.
  std::string AutoStartTender(absl::Duration ahead, const std::string& window) {
    opening_time_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now() + ahead));
    const std::string at =
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", opening_time_, absl::UTCTimeZone());
    const std::string spec = WriteFile(
        "auto.json",
        absl::StrCat(
            R"({"title": "Auto opening", "timeZone": "Asia/Shanghai", "lots": [{)",
            R"("title": "Auto opening", "submissionDeadline": ")", at, R"(", "openingTime": ")", at,
            R"(", "decryptionWindow": ")", window, R"(", "minValidBids": 1, "form": [)",
            R"({"name": "price", "type": "FIELD_TYPE_DECIMAL", "unit": "CNY", )",
            R"("required": true}, {"name": "duration_days", "type": "FIELD_TYPE_INT", )",
            R"("required": true}], "policy": "OPENING_POLICY_BIDDER", "autoStart": true}]})"));
    CommandResult created = Bidctl("agency1", {"--json", "tender", "create", "--spec", spec});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return TenderIdOf(created.out);
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

  // Each bidder submits at its price; returns each bid's header as its bidder
  // reads it back (GetMyBid), and each bidder's secret in `secrets`.
  std::vector<std::pair<std::string, v1::SealedHeader>> SubmitAndReadHeaders(
      const std::string& id, const std::map<std::string, std::string>& prices,
      std::map<std::string, std::string>* secrets) {
    for (const auto& [who, price] : prices) Submit(id, who, price);
    std::vector<std::pair<std::string, v1::SealedHeader>> out;
    for (const auto& [who, price] : prices) {
      grpc::ClientContext ctx;
      v1::MyBid mine;
      EXPECT_TRUE(Opening(who)->GetMyBid(&ctx, Lot(id), &mine).ok());
      auto header = seal::DecodeHeader(mine.header());
      EXPECT_TRUE(header.ok()) << header.status();
      if (header.ok()) out.emplace_back(who, *header);
      (*secrets)[who] = BidderSecret(id, who);
    }
    return out;
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
    Sign(&ctx, who, "/bidopen.v1.OpeningService/StartOpening", Lot(id));
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

  // How a release request is signed (docs/protocol.md "Releasing"): as bidctl
  // does, with `who`'s identity key and the head GetOpening just gave; or
  // spoiled, to see the server refuse it.
  enum class Signing { kGood, kNone, kWrongKey, kNoHead };

  struct SignedRelease {
    std::string seen_checkpoint;
    std::string seen_signature;
    std::string signature;
  };

  SignedRelease SignAs(const std::string& id, const std::string& who, v1::ReleaseKind kind,
                       uint64_t bid, uint32_t share_x, const std::string& material, Signing how,
                       int lot = 1) {
    const v1::SignedTreeHead seen = Status(id, who).now();
    const std::string signer = how == Signing::kWrongKey ? std::string("auditor1") : who;
    auto key = crypto::PrivateKeyFromPem(ReadWholeFile(Key(signer)));
    EXPECT_TRUE(key.ok()) << key.status();
    if (!key.ok()) return {};
    v1::KeyReleased k;
    k.set_lot(lot);
    k.set_kind(kind);
    k.set_bid(bid);
    k.set_share_x(share_x);
    k.set_material_sha256(ReleasedHash(material));
    k.set_seen_checkpoint(seen.checkpoint());
    auto signature = crypto::Sign(key->get(), ReleaseSigningInput(id, k));
    EXPECT_TRUE(signature.ok()) << signature.status();
    SignedRelease out{seen.checkpoint(), seen.signature(), signature.ok() ? *signature : ""};
    if (how == Signing::kNone) out.signature.clear();
    if (how == Signing::kNoHead) out.seen_signature.clear();
    return out;
  }

  // `who`'s bid in the lot (0 if none), as GetMyBid last said: a bidder knows
  // its bid from its receipt even if the server's rows are edited later.
  uint64_t MyBidSeq(const std::string& id, const std::string& who) {
    grpc::ClientContext ctx;
    v1::MyBid mine;
    absl::MutexLock lock(&my_bids_mu_);
    if (Opening(who)->GetMyBid(&ctx, Lot(id), &mine).ok()) my_bids_[id + "/" + who] = mine.bid();
    auto it = my_bids_.find(id + "/" + who);
    return it == my_bids_.end() ? 0 : it->second;
  }
  absl::Mutex my_bids_mu_;
  std::map<std::string, uint64_t> my_bids_ ABSL_GUARDED_BY(my_bids_mu_);

  grpc::Status ReleaseBidder(const std::string& id, const std::string& who,
                             const std::string& secret, v1::ReleaseResult* out = nullptr,
                             Signing how = Signing::kGood) {
    v1::ReleaseKeyRequest req;
    *req.mutable_lot() = Lot(id);
    req.set_secret(secret);
    req.set_bid(MyBidSeq(id, who));
    const SignedRelease sig = SignAs(id, who, v1::RELEASE_KIND_BIDDER, req.bid(), 0, secret, how);
    req.set_seen_checkpoint(sig.seen_checkpoint);
    req.set_seen_signature(sig.seen_signature);
    req.set_signature(sig.signature);
    grpc::ClientContext ctx;
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

  // `who`'s share index among the lot's custodians (0 if none).
  uint32_t ShareOf(const std::string& id, const std::string& who) {
    const v1::Lot lot = Status(id).lot_state();
    for (int i = 0; i < lot.spec().custodians_size(); ++i)
      if (lot.spec().custodians(i) == Fingerprint(who)) return static_cast<uint32_t>(i + 1);
    return 0;
  }

  grpc::Status ReleaseCustodian(const std::string& id, const std::string& who,
                                const std::string& key, v1::ReleaseResult* out = nullptr,
                                Signing how = Signing::kGood) {
    return SendCustodian(who, CustodianRequest(id, who, key, how), out);
  }

  // Custodian `who`'s release request, signed now (citing the head of now).
  v1::ReleaseLotKeyRequest CustodianRequest(const std::string& id, const std::string& who,
                                            const std::string& key, Signing how = Signing::kGood) {
    v1::ReleaseLotKeyRequest req;
    *req.mutable_lot() = Lot(id);
    req.set_private_key(key);
    req.set_share_x(ShareOf(id, who));
    const SignedRelease sig =
        SignAs(id, who, v1::RELEASE_KIND_CUSTODIAN, 0, req.share_x(), key, how);
    req.set_seen_checkpoint(sig.seen_checkpoint);
    req.set_seen_signature(sig.seen_signature);
    req.set_signature(sig.signature);
    return req;
  }

  grpc::Status SendCustodian(const std::string& who, const v1::ReleaseLotKeyRequest& req,
                             v1::ReleaseResult* out = nullptr) {
    grpc::ClientContext ctx;
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

  // Under BOTH: waits until the custodians' turn (the bidders' half of the
  // window and the replicas' clock slack), by the server's rule from the
  // logged start.
  void WaitBiddersEnd(const std::string& id) {
    const v1::Lot lot = Status(id).lot_state();
    const absl::Time turn = CustodiansBegin(lot.spec(), lot.opening());
    while (absl::Now() < turn + absl::Milliseconds(200)) absl::SleepFor(absl::Milliseconds(100));
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

  // Every event of tender `id` as `who` reads them through AuditService.GetEvents.
  std::vector<v1::Event> Events(const std::string& id, const std::string& who = "auditor1") {
    std::vector<v1::Event> out;
    auto stub = v1::AuditService::NewStub(Channel(who));
    uint64_t start = 0;
    for (int page = 0; page < 1000; ++page) {
      grpc::ClientContext ctx;
      v1::GetEventsRequest req;
      req.set_tender_id(id);
      req.set_start(start);
      v1::GetEventsResponse resp;
      grpc::Status st = stub->GetEvents(&ctx, req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      for (const v1::LogEntry& e : resp.entries()) {
        v1::Event event;
        EXPECT_TRUE(event.ParseFromString(e.event())) << "event " << e.seq();
        out.push_back(std::move(event));
      }
      if (resp.next_start() == 0) break;
      start = resp.next_start();
    }
    return out;
  }

  // How many of `events` have body `kind`.
  static int CountOf(const std::vector<v1::Event>& events, v1::Event::BodyCase kind) {
    int n = 0;
    for (const v1::Event& e : events) n += e.body_case() == kind ? 1 : 0;
    return n;
  }

  // Seals and submits `who`'s bid at `price` with `doc_bytes` as its document.
  std::string SubmitWithDoc(const std::string& id, const std::string& who, const std::string& price,
                            const std::string& doc_bytes) {
    const std::string doc = WriteFile(who + "-offer.bin", doc_bytes);
    const std::string file = dir_.path() + "/" + who + ".sealed";
    CommandResult s = Seal(
        id, {"--form", "price=" + price, "--form", "duration_days=90", "--doc", doc, "-o", file},
        who);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    CommandResult u = Bidctl(who, {"bid", "submit", file});
    EXPECT_EQ(u.exit_code, 0) << u.err;
    return file;
  }

  // Waits until `after` past the end of the lot's decryption window (by this
  // clock); returns the window's end.
  absl::Time WaitForWindowEnd(const std::string& id,
                              absl::Duration after = absl::Milliseconds(300)) {
    const v1::OpeningStatus s = Status(id);
    const absl::Time end = absl::FromUnixSeconds(s.lot_state().opening().window_end().seconds()) +
                           absl::Nanoseconds(s.lot_state().opening().window_end().nanos());
    while (absl::Now() < end + after) absl::SleepFor(absl::Milliseconds(10));
    return end;
  }

  // When the start found a stored file altered: waits until `after` past the
  // time keys may be released (the re-supply period's end plus the replicas'
  // clock slack, by this clock; review 6 T1, review 8 V4); returns it.
  absl::Time WaitForReleasesBegin(const std::string& id,
                                  absl::Duration after = absl::Milliseconds(300)) {
    const v1::OpeningStatus s = Status(id);
    EXPECT_TRUE(s.lot_state().opening().has_resupply_end()) << s.DebugString();
    const absl::Time begin = ReleasesBegin(s.lot_state().opening());
    while (absl::Now() < begin + after) absl::SleepFor(absl::Milliseconds(10));
    return begin;
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
