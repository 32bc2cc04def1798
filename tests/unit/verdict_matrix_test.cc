// The verdict matrix of issue 11 at the level of the pure rules: for each
// opening policy (k = 2 of n = 3 custodians) and each scenario, a real bid is
// sealed (SealBid, or resealed as a broken client would), the scenario's
// releases are judged (JudgeReleases), the file is read when the judgement
// recovers the secret (ReadBid with the lot's form), and DecideVerdict gives
// status, fault and consequence. kMatrix reads as the spec; the same table is
// in docs/verdict-matrix.md, and a test checks they agree.
//
// What is modelled (docs/verdict-matrix.md says it in words):
//   - custodian releases reach JudgeReleases as they came, a wrong key
//     included; JudgeReleases names it and lets a later right key count;
//   - the bidder's release reaches it only once accepted (it matched the
//     header's commitment): a rejected attempt is a failed attempt in the log
//     (KeyReleased.accepted = false) and no release;
//   - a release before the opening started or after the window is refused by
//     CheckReleaseTime, so it never becomes a verdict input.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold.h"
#include "core/opening/lot_rules.h"
#include "core/opening/opening_rules.h"
#include "core/opening/reveal_check.h"
#include "core/opening/verdict_rules.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"
#include "tests/unit/opening_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;
using opening_test::OpeningLot;
using opening_test::SealedBid;
using opening_test::Tamper;

enum class Scenario {
  kEveryoneReleases,      // (a)
  kBidderLostItsKey,      // (b)
  kOneCustodianMissing,   // (c)
  kOnlyKMinus1,           // (d)
  kOnlyKMinus1NoBidder,   // (d')
  kBadShareAmongK,        // (e)
  kBadShareAllRelease,    // (e')
  kWrongThenRight,        // (f)
  kWrongKeyOnly,          // (f')
  kInconsistentPaths,     // (g)
  kReleaseBeforeOpening,  // (h)
  kReleaseAfterWindow,    // (i)
  kStoredFileDiffers,
  kSignedFileDoesNotOpen,
  kValuesBreakTheForm,
};

struct ScenarioText {
  Scenario scenario;
  const char* label;
  const char* releases;
};

const ScenarioText kScenarios[] = {
    {Scenario::kEveryoneReleases, "(a) everyone releases", "bidder; custodians 1, 2, 3"},
    {Scenario::kBidderLostItsKey, "(b) the bidder lost its key", "custodians 1, 2, 3"},
    {Scenario::kOneCustodianMissing, "(c) one custodian missing", "bidder; custodians 1, 2"},
    {Scenario::kOnlyKMinus1, "(d) only k-1 custodians", "bidder; custodian 1"},
    {Scenario::kOnlyKMinus1NoBidder, "(d') only k-1 custodians, no bidder", "custodian 1"},
    {Scenario::kBadShareAmongK, "(e) a bad share among the k released",
     "bidder; custodians 1, 2 (share 2 bad)"},
    {Scenario::kBadShareAllRelease, "(e') a bad share, all n released",
     "bidder; custodians 1, 2, 3 (share 3 bad)"},
    {Scenario::kWrongThenRight, "(f) a wrong key, then the right one",
     "bidder: wrong secret (refused), then s; custodian 1: wrong key, then its key; custodian 2"},
    {Scenario::kWrongKeyOnly, "(f') a wrong key only",
     "bidder: wrong secret (refused); custodian 1: wrong key; custodian 2"},
    {Scenario::kInconsistentPaths, "(g) the bidder sealed inconsistent paths",
     "bidder (under BIDDER what its key unwraps is refused: not the committed s); custodians 1, "
     "2, 3"},
    {Scenario::kReleaseBeforeOpening, "(h) a release before the opening started", "any"},
    {Scenario::kReleaseAfterWindow, "(i) a release after the window", "any"},
    {Scenario::kStoredFileDiffers, "the stored file differs from the signed hash",
     "bidder; custodians 1, 2, 3"},
    {Scenario::kSignedFileDoesNotOpen, "the file the bidder signed does not open",
     "bidder; custodians 1, 2, 3"},
    {Scenario::kValuesBreakTheForm, "the sealed values break the lot's form",
     "bidder; custodians 1, 2, 3"},
};

const ScenarioText& TextOf(Scenario s) {
  for (const ScenarioText& t : kScenarios)
    if (t.scenario == s) return t;
  return kScenarios[0];
}

// One cell: what the verdict is, and a phrase of its reason (or of the
// refusal) that a user reads.
struct Cell {
  v1::OpeningPolicy policy;
  Scenario scenario;
  v1::BidStatus status;  // BID_STATUS_UNSPECIFIED: the release is refused
  v1::Fault fault;
  v1::Consequence consequence;
  const char* says;
};

constexpr v1::OpeningPolicy B = v1::OPENING_POLICY_BIDDER;
constexpr v1::OpeningPolicy Q = v1::OPENING_POLICY_QUORUM;
constexpr v1::OpeningPolicy A = v1::OPENING_POLICY_ANY;
constexpr v1::OpeningPolicy X = v1::OPENING_POLICY_BOTH;
constexpr v1::BidStatus kOpened = v1::BID_STATUS_DECRYPTED;
constexpr v1::BidStatus kFailed = v1::BID_STATUS_DECRYPT_FAILED;
constexpr v1::BidStatus kRefused = v1::BID_STATUS_UNSPECIFIED;
constexpr v1::Fault kNone = v1::FAULT_NONE;
constexpr v1::Fault kBidder = v1::FAULT_BIDDER;
constexpr v1::Fault kCustodians = v1::FAULT_CUSTODIANS;
constexpr v1::Fault kPlatform = v1::FAULT_PLATFORM;
constexpr v1::Consequence kOpens = v1::CONSEQUENCE_NONE;
constexpr v1::Consequence kRevoked = v1::CONSEQUENCE_REVOKED;
constexpr v1::Consequence kWithdrawn = v1::CONSEQUENCE_WITHDRAWN;
constexpr v1::Fault kNoFault = v1::FAULT_UNSPECIFIED;
constexpr v1::Consequence kNoVerdict = v1::CONSEQUENCE_UNSPECIFIED;

// clang-format off
const Cell kMatrix[] = {
  // (a) everyone releases
  {B, Scenario::kEveryoneReleases, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kEveryoneReleases, kOpened, kNone, kOpens, "3 custodian shares checked"},
  {A, Scenario::kEveryoneReleases, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {X, Scenario::kEveryoneReleases, kOpened, kNone, kOpens, "the bidder's part and the custodians' shares checked"},
  // (b) the bidder lost its key
  {B, Scenario::kBidderLostItsKey, kFailed, kBidder, kRevoked, "policy BIDDER needs the bidder's secret; the bidder has not released it"},
  {Q, Scenario::kBidderLostItsKey, kOpened, kNone, kOpens, "3 custodian shares checked"},
  {A, Scenario::kBidderLostItsKey, kOpened, kNone, kOpens, "3 custodian shares checked"},
  {X, Scenario::kBidderLostItsKey, kFailed, kBidder, kRevoked, "policy BOTH needs the bidder's secret; the bidder has not released it"},
  // (c) one custodian missing
  {B, Scenario::kOneCustodianMissing, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kOneCustodianMissing, kOpened, kNone, kOpens, "custodian 3 (…) has not released its key for this lot"},
  {A, Scenario::kOneCustodianMissing, kOpened, kNone, kOpens, "custodian 3 (…) has not released its key for this lot"},
  {X, Scenario::kOneCustodianMissing, kOpened, kNone, kOpens, "custodian 3 (…) has not released its key for this lot"},
  // (d) only k-1 custodians
  {B, Scenario::kOnlyKMinus1, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kOnlyKMinus1, kFailed, kCustodians, kWithdrawn, "policy QUORUM needs 2 of 3 custodian shares; 1 usable"},
  {A, Scenario::kOnlyKMinus1, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {X, Scenario::kOnlyKMinus1, kFailed, kCustodians, kWithdrawn, "policy BOTH needs 2 of 3 custodian shares; 1 usable"},
  // (d') only k-1 custodians and no bidder's release
  {B, Scenario::kOnlyKMinus1NoBidder, kFailed, kBidder, kRevoked, "the bidder has not released it"},
  {Q, Scenario::kOnlyKMinus1NoBidder, kFailed, kCustodians, kWithdrawn, "policy QUORUM needs 2 of 3 custodian shares; 1 usable"},
  {A, Scenario::kOnlyKMinus1NoBidder, kFailed, kCustodians, kWithdrawn, "the bidder's secret was not usable"},
  {X, Scenario::kOnlyKMinus1NoBidder, kFailed, kBidder, kRevoked, "and the custodians' part failed too"},
  // (e) a bad share among the k released (BIDDER has no shares: its bid opens)
  {B, Scenario::kBadShareAmongK, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kBadShareAmongK, kFailed, kBidder, kRevoked, "the bidder's bad share 2 made the difference"},
  {A, Scenario::kBadShareAmongK, kFailed, kBidder, kRevoked, "the bidder's bad share 2 made the difference"},
  {X, Scenario::kBadShareAmongK, kFailed, kBidder, kRevoked, "the bidder's bad share 2 made the difference"},
  // (e') a bad share, every custodian released: k good shares remain
  {B, Scenario::kBadShareAllRelease, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kBadShareAllRelease, kOpened, kNone, kOpens, "the bidder's defect: share 3"},
  {A, Scenario::kBadShareAllRelease, kOpened, kNone, kOpens, "the bidder's defect: share 3"},
  {X, Scenario::kBadShareAllRelease, kOpened, kNone, kOpens, "the bidder's defect: share 3"},
  // (f) a wrong key, then the right one: only the right one counts
  {B, Scenario::kWrongThenRight, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {Q, Scenario::kWrongThenRight, kOpened, kNone, kOpens, "2 custodian shares checked"},
  {A, Scenario::kWrongThenRight, kOpened, kNone, kOpens, "the bidder's secret checked"},
  {X, Scenario::kWrongThenRight, kOpened, kNone, kOpens, "the bidder's part and the custodians' shares checked"},
  // (f') a wrong key only
  {B, Scenario::kWrongKeyOnly, kFailed, kBidder, kRevoked, "the bidder has not released it"},
  {Q, Scenario::kWrongKeyOnly, kFailed, kCustodians, kWithdrawn, "custodian 1 (…) released a key that is not its published key for this lot"},
  {A, Scenario::kWrongKeyOnly, kFailed, kCustodians, kWithdrawn, "custodian 1 (…) released a key that is not its published key for this lot"},
  {X, Scenario::kWrongKeyOnly, kFailed, kBidder, kRevoked, "and the custodians' part failed too"},
  // (g) the bidder's own path and the quorum's give different secrets
  {B, Scenario::kInconsistentPaths, kFailed, kBidder, kRevoked, "the bidder has not released it"},
  {Q, Scenario::kInconsistentPaths, kFailed, kBidder, kRevoked, "the custodians' shares rebuild a secret that does not match secret_commitment"},
  {A, Scenario::kInconsistentPaths, kFailed, kBidder, kRevoked, "the custodians' shares rebuild a secret that does not match secret_commitment"},
  {X, Scenario::kInconsistentPaths, kFailed, kBidder, kRevoked, "s_b XOR s_q does not match secret_commitment"},
  // (h), (i): refused by CheckReleaseTime; no verdict input
  {B, Scenario::kReleaseBeforeOpening, kRefused, kNoFault, kNoVerdict, "has not started: nothing is released before it"},
  {Q, Scenario::kReleaseBeforeOpening, kRefused, kNoFault, kNoVerdict, "has not started: nothing is released before it"},
  {A, Scenario::kReleaseBeforeOpening, kRefused, kNoFault, kNoVerdict, "has not started: nothing is released before it"},
  {X, Scenario::kReleaseBeforeOpening, kRefused, kNoFault, kNoVerdict, "has not started: nothing is released before it"},
  {B, Scenario::kReleaseAfterWindow, kRefused, kNoFault, kNoVerdict, "the decryption window of lot 1 of tender T-1 closed at"},
  {Q, Scenario::kReleaseAfterWindow, kRefused, kNoFault, kNoVerdict, "the decryption window of lot 1 of tender T-1 closed at"},
  {A, Scenario::kReleaseAfterWindow, kRefused, kNoFault, kNoVerdict, "the decryption window of lot 1 of tender T-1 closed at"},
  {X, Scenario::kReleaseAfterWindow, kRefused, kNoFault, kNoVerdict, "the decryption window of lot 1 of tender T-1 closed at"},
  // The releases recover s, but the stored file is not the one signed
  {B, Scenario::kStoredFileDiffers, kFailed, kPlatform, kWithdrawn, "the stored file is not the one the bidder signed"},
  {Q, Scenario::kStoredFileDiffers, kFailed, kPlatform, kWithdrawn, "the stored file is not the one the bidder signed"},
  {A, Scenario::kStoredFileDiffers, kFailed, kPlatform, kWithdrawn, "the stored file is not the one the bidder signed"},
  {X, Scenario::kStoredFileDiffers, kFailed, kPlatform, kWithdrawn, "the stored file is not the one the bidder signed"},
  // The releases recover s, the stored file is the one signed, and it does not open
  {B, Scenario::kSignedFileDoesNotOpen, kFailed, kBidder, kRevoked, "the file is the one the bidder signed, but it does not open as sealed"},
  {Q, Scenario::kSignedFileDoesNotOpen, kFailed, kBidder, kRevoked, "the file is the one the bidder signed, but it does not open as sealed"},
  {A, Scenario::kSignedFileDoesNotOpen, kFailed, kBidder, kRevoked, "the file is the one the bidder signed, but it does not open as sealed"},
  {X, Scenario::kSignedFileDoesNotOpen, kFailed, kBidder, kRevoked, "the file is the one the bidder signed, but it does not open as sealed"},
  // The file opens, but its values break the lot's form
  {B, Scenario::kValuesBreakTheForm, kFailed, kBidder, kRevoked, "values: form.price: \"01234.50\" is not in canonical form"},
  {Q, Scenario::kValuesBreakTheForm, kFailed, kBidder, kRevoked, "values: form.price: \"01234.50\" is not in canonical form"},
  {A, Scenario::kValuesBreakTheForm, kFailed, kBidder, kRevoked, "values: form.price: \"01234.50\" is not in canonical form"},
  {X, Scenario::kValuesBreakTheForm, kFailed, kBidder, kRevoked, "values: form.price: \"01234.50\" is not in canonical form"},
};
// clang-format on

const seal::FormInput kForm = {{"price", "1234.50"}, {"duration_days", "90"}};
const char kBidderFp[] = "20a8c970d96548e04e905b344e6cb4058b832f77733002eb1f233dd44c22bfd2";

std::string StatusName(v1::BidStatus s) {
  if (s == kOpened) return "DECRYPTED";
  if (s == kFailed) return "DECRYPT_FAILED";
  return "release refused (FAILED_PRECONDITION)";
}

std::string FaultText(v1::Fault f) { return f == kNoFault ? "—" : std::string(FaultName(f)); }

std::string ConsequenceText(v1::Consequence c) {
  return c == kNoVerdict ? "—" : std::string(ConsequenceName(c));
}

Tamper TamperFor(Scenario s) {
  Tamper t;
  if (s == Scenario::kBadShareAmongK) t.spoil_share = 2;
  if (s == Scenario::kBadShareAllRelease) t.spoil_share = 3;
  if (s == Scenario::kValuesBreakTheForm)
    t.values = {opening_test::Value("price", "01234.50"),
                opening_test::Value("duration_days", "90")};
  return t;
}

class VerdictMatrixTest : public ::testing::Test {
 protected:
  VerdictMatrixTest() : bidder_(opening_test::NewPair()) {}

  SealedBid SealFor(const OpeningLot& lot, Scenario s) {
    Tamper t = TamperFor(s);
    if (s == Scenario::kInconsistentPaths) {
      t.quorum_off = lot.spec().policy() != B;
      t.bidder_off = lot.spec().policy() == B;
    }
    return lot.Seal(kBidderFp, bidder_, kForm, t);
  }

  // What each party released, as the opening hands it to JudgeReleases.
  static seal::Releases ReleasesOf(const OpeningLot& lot, const SealedBid& bid, Scenario s) {
    seal::Releases r;
    // The bidder's attempts, in order; the first that matches the header's
    // commitment is accepted (KeyReleased.accepted) and is its release.
    std::vector<std::string> attempts;
    if (s == Scenario::kWrongThenRight || s == Scenario::kWrongKeyOnly)
      attempts.push_back(std::string(32, '\x5a'));
    if (s != Scenario::kBidderLostItsKey && s != Scenario::kOnlyKMinus1NoBidder &&
        s != Scenario::kWrongKeyOnly)
      attempts.push_back(bid.bidder_release);
    if (lot.spec().policy() == Q) attempts.clear();  // no bidder's key to release
    for (const std::string& a : attempts)
      if (seal::CheckBidderSecret(bid.header, a).ok()) {
        r.bidder_secret = crypto::Secret(a);
        break;
      }
    if (lot.spec().policy() == B) return r;
    std::vector<int> who = {0, 1, 2};
    if (s == Scenario::kOneCustodianMissing || s == Scenario::kBadShareAmongK ||
        s == Scenario::kWrongThenRight || s == Scenario::kWrongKeyOnly)
      who = {0, 1};
    if (s == Scenario::kOnlyKMinus1 || s == Scenario::kOnlyKMinus1NoBidder) who = {0};
    const std::string wrong = opening_test::NewPair().private_key;
    for (int i : who) {
      const uint32_t x = static_cast<uint32_t>(i + 1);
      const std::string fp = OpeningLot::CustodianFp(i);
      if (i == 0 && (s == Scenario::kWrongThenRight || s == Scenario::kWrongKeyOnly))
        r.custodians.push_back({x, fp, crypto::Secret(wrong)});
      if (i == 0 && s == Scenario::kWrongKeyOnly) continue;
      r.custodians.push_back({x, fp, crypto::Secret(lot.custodian_private(i))});
    }
    return r;
  }

  // The verdict the opening gives, or the refusal of the release.
  // `at_start`: the start's check of the stored file (unset: a log from before
  // it); `changed` says whether the rule gives no verdict (StoredFileChanged).
  absl::StatusOr<v1::BidVerdict> Run(const Cell& c, SealedBid* sealed = nullptr,
                                     std::optional<bool> at_start = std::nullopt,
                                     bool* changed = nullptr) {
    OpeningLot lot(c.policy);
    if (c.scenario == Scenario::kReleaseBeforeOpening ||
        c.scenario == Scenario::kReleaseAfterWindow)
      return ReleaseRefusal(lot, c.scenario);
    const SealedBid bid = SealFor(lot, c.scenario);
    std::string file = bid.file;
    if (c.scenario == Scenario::kSignedFileDoesNotOpen) file.back() ^= 1;  // before signing
    const std::string signed_sha256 = crypto::Sha256(file);
    std::string stored = file;
    if (c.scenario == Scenario::kStoredFileDiffers) stored.back() ^= 1;  // after: the last tag
    auto j = seal::JudgeReleases(bid.header, lot.lot_keys(), ReleasesOf(lot, bid, c.scenario));
    if (!j.ok()) return j.status();
    VerdictInput in;
    in.lot = 1;
    in.bid = 7;
    in.judgement = *j;
    if (j->verdict == seal::Verdict::kOk) {
      const opening_test::ReadOutcome read =
          opening_test::ReadWith(stored, j->secret.bytes(), lot.spec());
      in.decrypt = {.tried = true,
                    .opened = read.opened,
                    .reason = read.reason,
                    .values = read.values,
                    .values_key = read.values_key};
      in.stored_file_matches = crypto::Sha256(stored) == signed_sha256;
      if (!*in.stored_file_matches) in.stored_sha256 = crypto::Sha256(stored);
    }
    in.matched_at_start = at_start;
    if (at_start == false) in.stored_sha256_at_start = crypto::Sha256(stored);
    if (sealed != nullptr) *sealed = bid;
    if (changed != nullptr) *changed = StoredFileChanged(in);
    return DecideVerdict(in);
  }

  // A release at the wrong time: CheckReleaseTime's refusal (never OK here).
  static absl::Status ReleaseRefusal(const OpeningLot& lot, Scenario s) {
    v1::Event created = Created(0, "T-1", 0);
    v1::LotSpec spec = lot.spec();
    *spec.mutable_submission_deadline() = ToProto(kDeadline);
    *spec.mutable_opening_time() = ToProto(kOpening);
    *created.mutable_tender_created()->add_lots() = spec;
    std::vector<v1::Event> events = {created};
    for (int i = 1; i <= 3; ++i) events.push_back(Submitted(i, "T-1", 1));
    auto t = FoldTender(events);
    if (!t.ok()) return t.status();
    if (s == Scenario::kReleaseBeforeOpening)
      return CheckReleaseTime(t->tender, 1, kOpening + absl::Seconds(30));  // not started yet
    auto start = DecideStart(t->tender, 1, {1, 2, 3}, kOpening, false);
    if (!start.ok()) return start.status();
    v1::Event e = EventOf(4, "T-1");
    *e.mutable_time() = ToProto(kOpening);
    *e.mutable_opening_started() = *start;
    if (auto applied = ApplyEvent(e, {.tender = &*t}); !applied.ok()) return applied.status();
    return CheckReleaseTime(t->tender, 1, kOpening + absl::Minutes(31));
  }

  crypto::X25519KeyPair bidder_;
};

// "custodian 3 (…)" in a phrase stands for the custodian's fingerprint.
bool Says(absl::string_view text, absl::string_view phrase) {
  const size_t dots = phrase.find("(…)");
  if (dots == absl::string_view::npos) return absl::StrContains(text, phrase);
  const std::string head(phrase.substr(0, dots));
  const std::string tail(phrase.substr(dots + std::string("(…)").size()));
  for (int i = 0; i < 3; ++i)
    if (absl::StrContains(text, absl::StrCat(head, "(", OpeningLot::CustodianFp(i), ")", tail)))
      return true;
  return false;
}

TEST_F(VerdictMatrixTest, EveryCellGivesItsStatusFaultAndConsequence) {
  for (const Cell& c : kMatrix) {
    const std::string where =
        absl::StrCat(PolicyName(c.policy), " × ", TextOf(c.scenario).label, ": ");
    SealedBid sealed;
    const absl::StatusOr<v1::BidVerdict> v = Run(c, &sealed);
    if (c.status == kRefused) {
      EXPECT_TRUE(StatusIs(v.status(), absl::StatusCode::kFailedPrecondition, {}))
          << where << v.status();
      EXPECT_TRUE(Says(v.status().message(), c.says)) << where << v.status();
      continue;
    }
    ASSERT_TRUE(v.ok()) << where << v.status();
    EXPECT_EQ(v->status(), c.status) << where << v->reason();
    EXPECT_EQ(v->fault(), c.fault) << where << v->reason();
    EXPECT_EQ(v->consequence(), c.consequence) << where << v->reason();
    EXPECT_TRUE(Says(v->reason(), c.says)) << where << v->reason();
    if (v->status() == kOpened) {  // the values as sealed, and they open the header's commitment
      EXPECT_EQ(v->values_size(), 2) << where;
      if (v->values_size() == 2) {
        EXPECT_EQ(v->values(0).name(), "price") << where;
        EXPECT_EQ(v->values(0).value(), "1234.50") << where;
        EXPECT_EQ(v->values(1).value(), "90") << where;
      }
      EXPECT_EQ(v->values_key(), sealed.values_key) << where;
      EXPECT_TRUE(CheckAnnouncedValues(sealed.header_bytes, *v).ok()) << where;
    } else {
      EXPECT_EQ(v->values_size(), 0) << where;
      EXPECT_EQ(v->values_key(), "") << where;
    }
  }
}

// The names a verdict carries beside its status: who did not release, who
// released a wrong key, which shares were bad.
TEST_F(VerdictMatrixTest, VerdictsNameTheCustodiansAndSharesInvolved) {
  const auto names = [&](v1::OpeningPolicy p, Scenario s) {
    auto v = Run({p, s, kOpened, kNone, kOpens, ""});
    EXPECT_TRUE(v.ok()) << v.status();
    if (!v.ok()) return std::string();
    return absl::StrCat("not_released [", absl::StrJoin(v->not_released(), ","), "] wrong_key [",
                        absl::StrJoin(v->wrong_key(), ","), "] bad_shares [",
                        absl::StrJoin(v->bad_shares(), ","), "]");
  };
  for (v1::OpeningPolicy p : {Q, A, X}) {
    EXPECT_EQ(names(p, Scenario::kOneCustodianMissing),
              "not_released [3] wrong_key [] bad_shares []")
        << PolicyName(p);
    EXPECT_EQ(names(p, Scenario::kBadShareAllRelease),
              "not_released [] wrong_key [] bad_shares [3]")
        << PolicyName(p);
    EXPECT_EQ(names(p, Scenario::kBadShareAmongK), "not_released [3] wrong_key [] bad_shares [2]")
        << PolicyName(p);
    // The right key after a wrong one: the wrong one is not held against it.
    EXPECT_EQ(names(p, Scenario::kWrongThenRight), "not_released [3] wrong_key [] bad_shares []")
        << PolicyName(p);
    EXPECT_EQ(names(p, Scenario::kWrongKeyOnly), "not_released [3] wrong_key [1] bad_shares []")
        << PolicyName(p);
  }
  EXPECT_EQ(names(B, Scenario::kEveryoneReleases), "not_released [] wrong_key [] bad_shares []");
}

// If the opening handed JudgeReleases only the custodian keys that matched
// their published key (KeyReleased.accepted), the wrong key would read as
// "not released"; status, fault and consequence stay the same.
TEST_F(VerdictMatrixTest, OnlyAcceptedCustodianKeysGiveTheSameVerdictWithLessSaid) {
  for (v1::OpeningPolicy p : {Q, A, X}) {
    OpeningLot lot(p);
    const SealedBid bid = SealFor(lot, Scenario::kWrongKeyOnly);
    seal::Releases all = ReleasesOf(lot, bid, Scenario::kWrongKeyOnly);
    seal::Releases accepted;
    accepted.custodians.push_back(all.custodians.back());  // custodian 2's key only
    auto with_wrong = seal::JudgeReleases(bid.header, lot.lot_keys(), all);
    auto only_accepted = seal::JudgeReleases(bid.header, lot.lot_keys(), accepted);
    ASSERT_TRUE(with_wrong.ok() && only_accepted.ok());
    EXPECT_EQ(with_wrong->verdict, only_accepted->verdict) << PolicyName(p);
    EXPECT_EQ(only_accepted->wrong_key, std::vector<uint32_t>{}) << PolicyName(p);
    EXPECT_EQ(only_accepted->not_released, (std::vector<uint32_t>{1, 3})) << PolicyName(p);
  }
}

// docs/verdict-matrix.md "Lost releases": the one lost release DecideVerdict
// still takes is a custodian's failed attempt (a wrong key) whose bytes the
// server cannot produce. It changes nothing the cell says (a wrong key opens
// no share): the custodian is named with a wrong key, as the log says, and
// the reason names the seq. (A lost accepted release holds the lot's
// verdicts until it is re-supplied, so it never reaches the rule; no cell
// fails a bid as the platform's without a recovered secret.)
TEST_F(VerdictMatrixTest, ALostWrongKeyIsNamedAsTheLogSaysAndChangesNothing) {
  for (const Cell& c : kMatrix) {
    if (c.scenario != Scenario::kWrongKeyOnly || c.policy == B) continue;  // BIDDER: no custodians
    OpeningLot lot(c.policy);
    const SealedBid bid = SealFor(lot, c.scenario);
    seal::Releases r = ReleasesOf(lot, bid, c.scenario);
    std::erase_if(r.custodians, [](const seal::CustodianKeyRelease& k) { return k.share_x == 1; });
    auto j = seal::JudgeReleases(bid.header, lot.lot_keys(), r);
    ASSERT_TRUE(j.ok()) << j.status();
    VerdictInput in;
    in.lot = 1;
    in.bid = 7;
    in.judgement = *j;
    in.lost_attempts.push_back({.seq = 41, .share_x = 1});
    const v1::BidVerdict v = DecideVerdict(in);
    const std::string where(PolicyName(c.policy));
    EXPECT_EQ(v.status(), c.status) << where << v.reason();
    EXPECT_EQ(v.fault(), c.fault) << where << v.reason();
    EXPECT_EQ(v.consequence(), c.consequence) << where << v.reason();
    EXPECT_EQ(absl::StrJoin(v.wrong_key(), ","), "1") << where;
    EXPECT_EQ(absl::StrJoin(v.not_released(), ","), "3") << where;
    EXPECT_TRUE(absl::StrContains(v.reason(), "failed attempt(s) 41")) << where << v.reason();
  }
  for (const Cell& c : kMatrix) {
    if (c.status == kRefused || c.fault != v1::FAULT_PLATFORM) continue;
    EXPECT_EQ(c.scenario, Scenario::kStoredFileDiffers)
        << PolicyName(c.policy) << ": the platform's fault only for a stored file it altered";
  }
}

// The start's check of the stored file decides it: a file altered before the
// start fails the bid as the platform's whatever happens later (its cell); a
// file that matched at the start and is altered after gives no verdict (the
// lot's verdicts wait); every other cell is the same whichever the check said.
TEST_F(VerdictMatrixTest, TheStartsCheckDecidesAnAlteredStoredFile) {
  for (const Cell& c : kMatrix) {
    if (c.status == kRefused) continue;
    const std::string where =
        absl::StrCat(PolicyName(c.policy), " ", static_cast<int>(c.scenario), ": ");
    const bool altered = c.scenario == Scenario::kStoredFileDiffers;
    bool changed = true;
    absl::StatusOr<v1::BidVerdict> before = Run(c, nullptr, !altered, &changed);
    ASSERT_TRUE(before.ok()) << where << before.status();
    EXPECT_FALSE(changed) << where;
    EXPECT_EQ(before->status(), c.status) << where << before->reason();
    EXPECT_EQ(before->fault(), c.fault) << where << before->reason();
    EXPECT_EQ(before->consequence(), c.consequence) << where << before->reason();
    if (altered && c.fault == v1::FAULT_PLATFORM) {
      EXPECT_TRUE(absl::StrContains(before->reason(), "when the opening started"))
          << where << before->reason();
      EXPECT_FALSE(before->stored_sha256().empty()) << where;
    }
    // Matched at the start, altered when read: no verdict, if the secret was
    // recovered (otherwise the releases decide, as in the cell).
    absl::StatusOr<v1::BidVerdict> after = Run(c, nullptr, true, &changed);
    ASSERT_TRUE(after.ok()) << where << after.status();
    EXPECT_EQ(changed, altered && c.fault == v1::FAULT_PLATFORM) << where;
    if (!changed) {
      EXPECT_EQ(after->status(), c.status) << where;
      EXPECT_EQ(after->fault(), c.fault) << where;
    }
    // Old logs (no check): as before.
    absl::StatusOr<v1::BidVerdict> old = Run(c, nullptr, std::nullopt, &changed);
    ASSERT_TRUE(old.ok()) << where << old.status();
    EXPECT_FALSE(changed) << where;
    EXPECT_EQ(old->fault(), c.fault) << where;
  }
}

// A file found altered at the start is the platform's even if it opens now
// (restored after the values could be known): the start decided it.
TEST(VerdictStartCheckTest, AFileAlteredAtTheStartIsThePlatformsEvenIfItOpensNow) {
  VerdictInput in;
  in.lot = 1;
  in.bid = 7;
  in.judgement.verdict = seal::Verdict::kOk;
  in.decrypt = {.tried = true, .opened = true, .reason = "", .values = {}, .values_key = "rv"};
  in.matched_at_start = false;
  in.stored_sha256_at_start = std::string(32, '\x01');
  EXPECT_FALSE(StoredFileChanged(in));
  const v1::BidVerdict v = DecideVerdict(in);
  EXPECT_EQ(v.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(v.fault(), v1::FAULT_PLATFORM);
  EXPECT_EQ(v.consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_EQ(v.stored_sha256(), std::string(32, '\x01'));
  // Matched at the start, read and not shown to be the signed file (a chunk
  // missing: no SHA-256): no verdict.
  in.matched_at_start = true;
  in.decrypt.opened = false;
  in.stored_file_matches.reset();
  EXPECT_TRUE(StoredFileChanged(in));
  in.stored_file_matches = true;  // restored: the bidder's file that does not open
  EXPECT_FALSE(StoredFileChanged(in));
  EXPECT_EQ(DecideVerdict(in).fault(), v1::FAULT_BIDDER);
}

// (g) under BIDDER: the bidder's key unwraps a secret the header does not
// commit to, so its release is refused when it is made, saying why.
TEST_F(VerdictMatrixTest, ABiddersReleaseOfAnUncommittedSecretIsRefusedSayingWhy) {
  OpeningLot lot(B);
  const SealedBid bid = SealFor(lot, Scenario::kInconsistentPaths);
  EXPECT_TRUE(StatusIs(seal::CheckBidderSecret(bid.header, bid.bidder_release),
                       absl::StatusCode::kDataLoss,
                       {"the bidder's released secret does not match secret_commitment in the "
                        "header"}));
  EXPECT_TRUE(seal::CheckBidderSecret(bid.header, bid.secret).ok());
}

// The matrix as docs/verdict-matrix.md prints it.
std::string MatrixTable() {
  std::string out =
      "| policy | scenario | releases | status | fault | consequence | the reason says |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const Cell& c : kMatrix) {
    const ScenarioText& t = TextOf(c.scenario);
    absl::StrAppend(&out, "| ", PolicyName(c.policy), " | ", t.label, " | ", t.releases, " | ",
                    StatusName(c.status), " | ", FaultText(c.fault), " | ",
                    ConsequenceText(c.consequence), " | ", c.says, " |\n");
  }
  return out;
}

// One cell in few words: "opens", "the bidder's fault: revoked", ….
std::string Short(const Cell& c) {
  if (c.status == kRefused) return "release refused";
  if (c.status == kOpened) return "opens";
  const char* who = c.fault == kBidder       ? "the bidder's"
                    : c.fault == kCustodians ? "the custodians'"
                                             : "the platform's";
  return absl::StrCat(who, " fault: ", c.consequence == kRevoked ? "revoked" : "withdrawn");
}

// Scenarios down, policies across.
std::string SummaryTable() {
  std::string out = "| scenario | BIDDER | QUORUM | ANY | BOTH |\n|---|---|---|---|---|\n";
  for (const ScenarioText& t : kScenarios) {
    absl::StrAppend(&out, "| ", t.label);
    for (v1::OpeningPolicy p : {B, Q, A, X})
      for (const Cell& c : kMatrix)
        if (c.policy == p && c.scenario == t.scenario) absl::StrAppend(&out, " | ", Short(c));
    absl::StrAppend(&out, " |\n");
  }
  return out;
}

TEST(VerdictMatrixDocTest, TheDocsPrintTheMatrixTheTestsCheck) {
  std::ifstream in(BIDOPEN_SOURCE_DIR "/docs/verdict-matrix.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string summary = SummaryTable();
  const std::string table = MatrixTable();
  if (const char* path = std::getenv("BIDOPEN_WRITE_MATRIX"))
    std::ofstream(path) << summary << "\n" << table;
  EXPECT_TRUE(absl::StrContains(doc.str(), summary))
      << "docs/verdict-matrix.md does not hold the summary; it should have:\n"
      << summary;
  EXPECT_TRUE(absl::StrContains(doc.str(), table))
      << "docs/verdict-matrix.md does not hold the matrix; it should have:\n"
      << table;
}

TEST(VerdictMatrixDocTest, EveryPolicyHasOneCellPerScenario) {
  for (const ScenarioText& t : kScenarios)
    for (v1::OpeningPolicy p : {B, Q, A, X}) {
      int cells = 0;
      for (const Cell& c : kMatrix) cells += c.policy == p && c.scenario == t.scenario;
      EXPECT_EQ(cells, 1) << PolicyName(p) << " × " << t.label;
    }
}

}  // namespace
}  // namespace bidopen
