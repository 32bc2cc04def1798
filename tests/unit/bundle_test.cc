// Audit bundles and signed heads, checked offline (core/log/bundle.h): every
// tampering is refused, naming the first bad event.
#include "core/log/bundle.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_replace.h"
#include "core/log/memory_tree.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::log {
namespace {

using ::bidopen::testing::LogPki;
using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;
using ::bidopen::testing::SyntheticLog;
constexpr absl::StatusCode kDataLoss = absl::StatusCode::kDataLoss;

// `bytes` with one letter of `word` (a string field's text) changed: the bytes
// still parse, as the same event with other text.
std::string EditInside(std::string bytes, const std::string& word) {
  const size_t at = bytes.find(word);
  EXPECT_NE(at, std::string::npos) << word;
  if (at != std::string::npos) bytes[at] ^= 0x20;  // 'a' <-> 'A'
  return bytes;
}

void EraseEntry(v1::AuditBundle* b, int index) {
  b->mutable_entries()->erase(b->mutable_entries()->begin() + index);
}

std::vector<uint64_t> SeqsOf(const std::vector<v1::Event>& events) {
  std::vector<uint64_t> out;
  for (const v1::Event& e : events) out.push_back(e.seq());
  return out;
}

// In a log of 10: tender-a is 0, 3, 6, 9; tender-b is 1, 4, 7 (audit_fixture.h).
class BundleTest : public ::testing::Test {
 protected:
  absl::Status Verify(const v1::AuditBundle& b) { return VerifyBundle(b, pki_.ca_pem).status(); }
  v1::AuditBundle Tender(uint64_t n = 10) {
    return testing::TenderBundle(pki_, log_, n, "tender-a");
  }
  v1::AuditBundle Whole(uint64_t n = 10) { return testing::WholeLogBundle(pki_, log_, n); }

  LogPki pki_ = testing::MakeLogPki();
  SyntheticLog log_ = testing::MakeSyntheticLog(10);
};

TEST_F(BundleTest, TenderBundleVerifies) {
  const v1::AuditBundle b = Tender();
  ASSERT_EQ(b.entries_size(), 4);
  auto r = VerifyBundle(b, pki_.ca_pem);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(SeqsOf(r->events), (std::vector<uint64_t>{0, 3, 6, 9}));
  EXPECT_TRUE(ProtoEquals(r->events[1], log_.events[3]));
  EXPECT_EQ(r->events[1].tender_prev(), 1u);
  EXPECT_EQ(r->head.origin, "test-log");
  EXPECT_EQ(r->head.size, 10u);
  EXPECT_EQ(r->head.root, log_.tree.Root());
  EXPECT_EQ(r->head.time, testing::HeadTime());
}

TEST_F(BundleTest, TenderBundleAtAnEarlierHeadVerifies) {
  auto r = VerifyBundle(testing::TenderBundle(pki_, log_, 8, "tender-b"), pki_.ca_pem);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(SeqsOf(r->events), (std::vector<uint64_t>{1, 4, 7}));
  EXPECT_EQ(r->head.size, 8u);
  EXPECT_EQ(r->head.root, log_.tree.RootAt(8));
}

TEST_F(BundleTest, WholeLogBundleVerifies) {
  auto r = VerifyBundle(Whole(), pki_.ca_pem);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->events.size(), 10u);
  for (uint64_t i = 0; i < 10; ++i) EXPECT_TRUE(ProtoEquals(r->events[i], log_.events[i])) << i;
  EXPECT_EQ(r->head.size, 10u);
  EXPECT_EQ(r->head.root, log_.tree.Root());
}

// Issue 10: a server clock stepped back shows as event times that go back,
// or events after the head that covers them; the bundle is refused even
// though every signature and proof holds.
TEST_F(BundleTest, TimesThatGoBackAreDataLoss) {
  SyntheticLog log = testing::MakeSyntheticLog(6);
  *log.events[4].mutable_time() = ToProto(testing::EventTime(3) - absl::Seconds(60));
  log.bytes[4] = EncodeEvent(log.events[4]);
  log.tree = log::MemoryTree();
  for (const std::string& bytes : log.bytes) log.tree.Append(log::LeafHash(bytes));
  EXPECT_TRUE(StatusIs(Verify(testing::WholeLogBundle(pki_, log, 6)), absl::StatusCode::kDataLoss,
                       {"event 4 is timed", "before event 3", "must never go back"}));
  EXPECT_TRUE(Verify(testing::WholeLogBundle(pki_, log, 4)).ok());  // before the step back
  v1::AuditBundle early = Whole(6);
  *early.mutable_head() = testing::SignHead(pki_, log_.tree, 6, testing::EventTime(2));
  EXPECT_TRUE(StatusIs(Verify(early), absl::StatusCode::kDataLoss,
                       {"event 5 is timed", "after the signed head's time"}));
}

// The head times too: a head signed before the previous one (a clock set back
// between two heads) is refused even though both signatures and the
// consistency proof hold.
TEST_F(BundleTest, AHeadOlderThanThePreviousIsDataLoss) {
  v1::AuditBundle b = Whole(6);
  testing::SetPrevious(pki_, log_.tree, 3, log_.tree, &b);
  EXPECT_TRUE(Verify(b).ok());
  *b.mutable_previous() =
      testing::SignHead(pki_, log_.tree, 3, testing::HeadTime() + absl::Seconds(60));
  EXPECT_TRUE(StatusIs(Verify(b), absl::StatusCode::kDataLoss,
                       {"is older than the previous one", "head time must never go back"}));
}

// Review 3 (Review3Poc.EventsAppendedAfterARememberedHeadMayBeTimedBeforeIt),
// turned around: events 3..5 are not in the remembered head of size 3, so
// they were appended after it was signed; timed before it, they were
// backdated (a bidder's release "before the turn", a start "at the opening
// time"), and the bundle does not verify.
TEST_F(BundleTest, EventsAppendedAfterARememberedHeadTimedBeforeItAreDataLoss) {
  v1::AuditBundle b = Whole(6);
  testing::SetPrevious(pki_, log_.tree, 3, log_.tree, &b);
  const absl::Time remembered = testing::EventTime(5) + absl::Minutes(10);
  ASSERT_LT(remembered, testing::HeadTime());
  *b.mutable_previous() = testing::SignHead(pki_, log_.tree, 3, remembered);
  EXPECT_TRUE(StatusIs(Verify(b), absl::StatusCode::kDataLoss,
                       {"event 3 is timed", "before the previous signed head", "backdated"}));
  // Timed at or after it, they verify.
  *b.mutable_previous() = testing::SignHead(pki_, log_.tree, 3, testing::EventTime(3));
  const auto ok = Verify(b);
  EXPECT_TRUE(ok.ok()) << ok;
}

TEST_F(BundleTest, WrongFormatIsInvalidArgument) {
  v1::AuditBundle b = Tender();
  b.set_format("bidopen-audit-bundle/2");
  EXPECT_TRUE(StatusIs(Verify(b), absl::StatusCode::kInvalidArgument,
                       {"format:", "bidopen-audit-bundle/2", "is not bidopen-audit-bundle/1"}));
}

TEST_F(BundleTest, HeadFromALogCertificateOfAnotherCa) {
  LogPki other = testing::MakeLogPki();
  EXPECT_TRUE(StatusIs(Verify(testing::TenderBundle(other, log_, 10, "tender-a")), kDataLoss,
                       {"tree head: log certificate:", "not issued by the given CA"}));
}

TEST_F(BundleTest, EditedCheckpointNoLongerVerifies) {
  v1::AuditBundle b = Tender();
  b.mutable_head()->set_checkpoint(
      absl::StrReplaceAll(b.head().checkpoint(), {{"\n10\n", "\n11\n"}}));
  ASSERT_NE(b.head().checkpoint(), Tender().head().checkpoint());
  EXPECT_TRUE(
      StatusIs(Verify(b), kDataLoss, {"tree head of size 10", "signature does not verify"}));
}

TEST_F(BundleTest, HeadSignedByAnotherKeyUnderTheLogCertificate) {
  LogPki other = testing::MakeLogPki();
  v1::AuditBundle b = Tender();
  v1::SignedTreeHead forged = testing::SignHead(other, log_.tree, 10);
  b.mutable_head()->set_signature(forged.signature());
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"signature does not verify with the log key"}));
}

TEST_F(BundleTest, HeadSizeFieldDiffersFromTheCheckpoint) {
  v1::AuditBundle b = Tender();
  b.mutable_head()->set_size(9);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"tree head of size 9", "size, root or time differ"}));
}

TEST_F(BundleTest, HeadRootFieldDiffersFromTheCheckpoint) {
  v1::AuditBundle b = Tender();
  b.mutable_head()->mutable_root_hash()->at(0) ^= 0x01;
  EXPECT_TRUE(
      StatusIs(Verify(b), kDataLoss, {"tree head of size 10", "size, root or time differ"}));
}

TEST_F(BundleTest, HeadTimeFieldDiffersFromTheCheckpoint) {
  v1::AuditBundle b = Tender();
  b.mutable_head()->mutable_time()->set_seconds(1);
  EXPECT_TRUE(
      StatusIs(Verify(b), kDataLoss, {"tree head of size 10", "size, root or time differ"}));
}

TEST_F(BundleTest, ChangedEventBytesFailTheInclusionProof) {
  v1::AuditBundle b = Tender();
  // Events 3 and 6 are both changed; the first is named.
  for (int i : {1, 2})
    b.mutable_entries(i)->set_event(EditInside(b.entries(i).event(), "amendment"));
  ASSERT_TRUE(DecodeEvent(b.entries(1).event(), 3).ok());  // still parses
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss,
                       {"event 3: inclusion proof for leaf 3", "does not lead to root"}));
}

TEST_F(BundleTest, ChangedFirstEventOfTheTender) {
  v1::AuditBundle b = Tender();
  b.mutable_entries(0)->set_event(EditInside(b.entries(0).event(), "title"));
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 0: inclusion proof"}));
}

TEST_F(BundleTest, ChangedInclusionPathFails) {
  v1::AuditBundle b = Tender();
  b.mutable_entries(2)->mutable_inclusion_path(1)->at(5) ^= 0x40;
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 6: inclusion proof", "does not lead"}));
}

TEST_F(BundleTest, MissingInclusionPathIsRefused) {
  v1::AuditBundle b = Tender();
  b.mutable_entries(1)->clear_inclusion_path();
  const absl::Status st = Verify(b);
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(absl::StrContains(st.message(), "event 3: proof:")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "has 0 hashes")) << st;
}

TEST_F(BundleTest, BytesThatDoNotParse) {
  v1::AuditBundle b = Tender();
  b.mutable_entries(2)->set_event(std::string("\xff\xff\xff", 3));
  b.mutable_entries(3)->set_event(std::string("\xff\xff\xff", 3));
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 6: the stored bytes do not parse"}));
}

TEST_F(BundleTest, SwappedEventBytesNameTheFirst) {
  v1::AuditBundle b = Tender();
  std::string third = b.entries(1).event();
  b.mutable_entries(1)->set_event(b.entries(2).event());
  b.mutable_entries(2)->set_event(third);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 3: the stored bytes do not parse"}));
}

TEST_F(BundleTest, MiddleEventOfTheTenderRemoved) {
  v1::AuditBundle b = Tender();
  EraseEntry(&b, 1);  // seq 3
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss,
                       {"event 6: its tender's previous event is 3", "the bundle's is 0",
                        "an event of the tender is missing"}));
}

TEST_F(BundleTest, FirstEventOfTheTenderRemoved) {
  v1::AuditBundle b = Tender();
  EraseEntry(&b, 0);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss,
                       {"event 3: its tender's previous event is 0", "the bundle's is none"}));
}

TEST_F(BundleTest, EventOfAnotherTenderSubstituted) {
  v1::AuditBundle b = Tender();
  const v1::AuditBundle other = testing::TenderBundle(pki_, log_, 10, "tender-b");
  *b.mutable_entries(1) = other.entries(1);  // seq 4, with its valid path
  EXPECT_TRUE(
      StatusIs(Verify(b), kDataLoss, {"event 4: belongs to tender tender-b, not tender-a"}));
}

TEST_F(BundleTest, WholeLogWithAnEventRemoved) {
  v1::AuditBundle b = Whole();
  EraseEntry(&b, 4);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 4 is missing from the bundle"}));
}

TEST_F(BundleTest, WholeLogWithTheLastEventRemoved) {
  v1::AuditBundle b = Whole();
  EraseEntry(&b, 9);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 9 is missing from the bundle"}));
}

TEST_F(BundleTest, WholeLogWithOneByteChanged) {
  v1::AuditBundle b = Whole();
  b.mutable_entries(4)->set_event(EditInside(b.entries(4).event(), "amendment"));
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"the 10 events do not hash to the signed root"}));
}

TEST_F(BundleTest, WholeLogWithBytesThatDoNotParse) {
  v1::AuditBundle b = Whole();
  b.mutable_entries(5)->set_event("");  // parses, as seq 0
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 5: the stored bytes do not parse"}));
}

TEST_F(BundleTest, EntryBeyondTheSignedTree) {
  v1::AuditBundle b = Tender(9);  // 0, 3, 6 under a head of 9
  auto* extra = b.add_entries();
  extra->set_seq(9);
  extra->set_event(log_.bytes[9]);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 9: beyond the signed tree of 9 events"}));
}

TEST_F(BundleTest, WholeLogEntryBeyondTheSignedTree) {
  v1::AuditBundle b = Whole(9);
  auto* extra = b.add_entries();
  extra->set_seq(9);
  extra->set_event(log_.bytes[9]);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 9: beyond the signed tree of 9 events"}));
}

TEST_F(BundleTest, EntriesOutOfOrder) {
  v1::AuditBundle b = Tender();
  b.mutable_entries()->SwapElements(1, 2);  // 0, 6, 3, 9
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 3: out of order in the bundle"}));
}

TEST_F(BundleTest, DuplicatedEntry) {
  v1::AuditBundle b = Whole();
  *b.mutable_entries()->Add() = b.entries(9);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"event 9: out of order in the bundle"}));
}

// --- CheckExtends, and bundles that carry the previous head. ---

// The first `from` events of `base`, then those of `other`: a history that
// forks at `from`.
MemoryTree Fork(const SyntheticLog& base, const SyntheticLog& other, uint64_t from) {
  MemoryTree tree;
  for (uint64_t i = 0; i < base.bytes.size(); ++i)
    tree.Append(LeafHash(i < from ? base.bytes[i] : other.bytes[i]));
  return tree;
}

class ExtendsTest : public BundleTest {
 protected:
  v1::SignedTreeHead Head(uint64_t n) { return testing::SignHead(pki_, log_.tree, n); }
  SyntheticLog alt_ = testing::MakeSyntheticLog(10, " (rewritten)");
};

TEST_F(ExtendsTest, EveryEarlierHeadIsExtended) {
  for (uint64_t m = 1; m <= 10; ++m)
    EXPECT_TRUE(CheckExtends(Head(m), Head(10), testing::Consistency(log_.tree, m, 10)).ok()) << m;
  EXPECT_TRUE(CheckExtends(Head(3), Head(7), testing::Consistency(log_.tree, 3, 7)).ok());
}

TEST_F(ExtendsTest, EqualHeadsWithAnEmptyProof) {
  EXPECT_TRUE(CheckExtends(Head(6), Head(6), {}).ok());
}

TEST_F(ExtendsTest, EqualSizesWithDifferentRoots) {
  EXPECT_TRUE(StatusIs(CheckExtends(testing::SignHead(pki_, alt_.tree, 6), Head(6), {}), kDataLoss,
                       {"history was rewritten", "have different roots"}));
}

TEST_F(ExtendsTest, HeadOfAnotherHistory) {
  const v1::SignedTreeHead older = testing::SignHead(pki_, alt_.tree, 4);
  EXPECT_TRUE(StatusIs(
      CheckExtends(older, Head(10), testing::Consistency(log_.tree, 4, 10)), kDataLoss,
      {"history was rewritten: the signed head of size 10", "earlier signed head of size 4"}));
}

TEST_F(ExtendsTest, HistoryForkedAfterTheSharedPrefix) {
  const MemoryTree fork = Fork(log_, alt_, 5);
  ASSERT_EQ(fork.RootAt(5), log_.tree.RootAt(5));
  const v1::SignedTreeHead older = testing::SignHead(pki_, fork, 7);
  EXPECT_TRUE(StatusIs(CheckExtends(older, Head(10), testing::Consistency(log_.tree, 7, 10)),
                       kDataLoss, {"history was rewritten", "size 7"}));
  // The shared prefix itself is still consistent.
  EXPECT_TRUE(CheckExtends(testing::SignHead(pki_, fork, 5), Head(10),
                           testing::Consistency(log_.tree, 5, 10))
                  .ok());
}

TEST_F(ExtendsTest, OlderLargerThanNewer) {
  EXPECT_TRUE(StatusIs(CheckExtends(Head(10), Head(4), {}), kDataLoss,
                       {"history was rewritten", "smaller than the earlier head"}));
}

TEST_F(ExtendsTest, TamperedOrTruncatedProof) {
  std::vector<Hash> proof = testing::Consistency(log_.tree, 3, 10);
  ASSERT_FALSE(proof.empty());
  proof[0][0] ^= 0x01;
  EXPECT_TRUE(
      StatusIs(CheckExtends(Head(3), Head(10), proof), kDataLoss, {"history was rewritten"}));
  proof = testing::Consistency(log_.tree, 3, 10);
  proof.pop_back();
  EXPECT_TRUE(StatusIs(CheckExtends(Head(3), Head(10), proof), kDataLoss,
                       {"history was rewritten", "hashes, expected"}));
}

TEST_F(ExtendsTest, BundleExtendingThePreviousHead) {
  v1::AuditBundle b = Tender();
  testing::SetPrevious(pki_, log_.tree, 6, log_.tree, &b);
  auto r = VerifyBundle(b, pki_.ca_pem);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->head.size, 10u);

  v1::AuditBundle whole = Whole();
  testing::SetPrevious(pki_, log_.tree, 3, log_.tree, &whole);
  EXPECT_TRUE(Verify(whole).ok()) << Verify(whole);
}

TEST_F(ExtendsTest, BundleWhosePreviousHeadIsOfAnotherHistory) {
  v1::AuditBundle b = Tender();
  testing::SetPrevious(pki_, alt_.tree, 6, log_.tree, &b);
  EXPECT_TRUE(StatusIs(
      Verify(b), kDataLoss,
      {"history was rewritten: the signed head of size 10", "earlier signed head of size 6"}));
}

TEST_F(ExtendsTest, BundleWhosePreviousHeadIsLarger) {
  v1::AuditBundle b = Tender(7);
  *b.mutable_previous() = Head(9);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"history was rewritten", "smaller"}));
}

TEST_F(ExtendsTest, BundleWhosePreviousHeadIsFromAnotherCa) {
  v1::AuditBundle b = Tender();
  LogPki other = testing::MakeLogPki();
  testing::SetPrevious(other, log_.tree, 6, log_.tree, &b);
  EXPECT_TRUE(StatusIs(Verify(b), kDataLoss, {"tree head: log certificate:"}));
}

}  // namespace
}  // namespace bidopen::log
