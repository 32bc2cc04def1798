// BidService through its gRPC stubs against a real bidopend: the happy path,
// resuming, every refusal of issue #4's list, and the deadline.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/v1/bid.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "core/bid/receipt.h"
#include "core/bid/statement.h"
#include "core/crypto/certificate.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/seal/stream_reader.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

using Stub = std::unique_ptr<v1::BidService::Stub>;
using Messages = std::vector<v1::UploadRequest>;

struct Sealed {
  std::string bytes;
  std::string sha256;
  std::string header_hash;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class BidUploadTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    for (const char* who : {"bidder1", "bidder2"})
      ASSERT_EQ(Bidctl(who, {"identity", "register-key"}).exit_code, 0);
    tender_ = CreateTender();
  }

  Stub StubOf(const std::string& identity) {
    grpc::SslCredentialsOptions opts;
    opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
    opts.pem_cert_chain = ReadWholeFile(Cert(identity));
    opts.pem_private_key = ReadWholeFile(Key(identity));
    return v1::BidService::NewStub(grpc::CreateChannel(server(), grpc::SslCredentials(opts)));
  }

  std::string Fingerprint(const std::string& identity) {
    return crypto::PartyFromPem(ReadWholeFile(Cert(identity)))->fingerprint();
  }

  // A bid sealed by `who` with bidctl for lot 1 of `tender`, with a document
  // of `doc_size` bytes.
  Sealed Seal(const std::string& who, const std::string& tender, size_t doc_size = 200000,
              const std::string& price = "100.00") {
    const std::string doc = dir_.path() + "/offer.bin";
    std::ofstream(doc, std::ios::binary) << std::string(doc_size, 'x');
    const std::string out = dir_.path() + "/" + who + ".sealed";
    CommandResult r = Bidctl(who, {"bid", "seal", "--tender", tender, "--lot", "1", "--form",
                                   "price=" + price, "--doc", doc, "-o", out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Sealed s;
    s.bytes = ReadWholeFile(out);
    s.sha256 = crypto::Sha256(s.bytes);
    std::istringstream in(s.bytes);
    auto reader = seal::SealReader::Open(in);
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (reader.ok()) s.header_hash = reader->header_hash();
    return s;
  }

  v1::UploadRequest Start(const Sealed& s, const std::string& tender, int lot = 1) {
    v1::UploadRequest m;
    m.mutable_start()->set_tender_id(tender);
    m.mutable_start()->set_lot(lot);
    m.mutable_start()->set_size(s.bytes.size());
    m.mutable_start()->set_ciphertext_sha256(s.sha256);
    return m;
  }

  static v1::UploadRequest Chunk(const std::string& bytes, uint64_t offset, size_t n) {
    v1::UploadRequest m;
    m.mutable_chunk()->set_offset(offset);
    m.mutable_chunk()->set_data(bytes.substr(offset, n));
    return m;
  }

  static void AddChunks(const Sealed& s, uint64_t from, uint64_t to, Messages* out,
                        size_t size = 64 * 1024) {
    for (uint64_t at = from; at < to; at += size)
      out->push_back(Chunk(s.bytes, at, std::min<uint64_t>(size, to - at)));
  }

  // A fresh statement (new nonce) about `s`, acting on the bid `bid_seq`.
  v1::BidStatement StatementOf(const Sealed& s, const std::string& who, const std::string& tender,
                               std::optional<uint64_t> bid_seq = std::nullopt) {
    v1::BidStatement st;
    st.set_purpose(std::string(bid::kSubmitPurpose));
    st.set_tender_id(tender);
    st.set_lot(1);
    st.set_bidder(Fingerprint(who));
    st.set_header_sha256(s.header_hash);
    st.set_ciphertext_sha256(s.sha256);
    st.set_size(s.bytes.size());
    st.set_client_nonce(crypto::RandomBytes(bid::kClientNonceSize));
    if (bid_seq) st.set_bid_seq(*bid_seq);
    return st;
  }

  v1::UploadRequest Commit(const v1::BidStatement& st, const std::string& signer) {
    v1::UploadRequest m;
    const std::string bytes = bid::EncodeStatement(st);
    auto key = crypto::PrivateKeyFromPem(ReadWholeFile(Key(signer)));
    m.mutable_commit()->set_statement(bytes);
    m.mutable_commit()->set_signature(*crypto::Sign(key->get(), bytes));
    return m;
  }

  // The whole upload of `s` by `who`, signed by `who`, replacing `replaces`.
  Messages Whole(const Sealed& s, const std::string& who,
                 std::optional<uint64_t> replaces = std::nullopt) {
    return WithStatement(s, Commit(StatementOf(s, who, tender_, replaces), who));
  }
  Messages WithStatement(const Sealed& s, v1::UploadRequest commit) {
    Messages m = {Start(s, tender_)};
    AddChunks(s, 0, s.bytes.size(), &m);
    m.push_back(std::move(commit));
    return m;
  }
  static uint64_t SeqOf(const v1::Receipt& r) {
    v1::ReceiptBody body;
    EXPECT_TRUE(body.ParseFromString(r.body()));
    return body.seq();
  }

  grpc::Status Send(const std::string& who, const Messages& messages, v1::Receipt* out) {
    Stub stub = StubOf(who);
    grpc::ClientContext ctx;
    auto writer = stub->Upload(&ctx, out);
    for (const auto& m : messages)
      if (!writer->Write(m)) break;
    writer->WritesDone();
    return writer->Finish();
  }

  grpc::Status Send(const std::string& who, const Messages& messages) {
    v1::Receipt ignored;
    return Send(who, messages, &ignored);
  }

  uint64_t Offset(const std::string& who, const Sealed& s) {
    grpc::ClientContext ctx;
    v1::UploadOffset out;
    grpc::Status st = StubOf(who)->GetUploadOffset(&ctx, Start(s, tender_).start(), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.offset();
  }

  // The seq of the caller's live bid in lot 1 of tender_, as the server's fold says.
  uint64_t LiveSeq(const std::string& who) {
    grpc::ClientContext ctx;
    v1::ListMyBidsRequest req;
    req.set_tender_id(tender_);
    v1::ListMyBidsResponse out;
    EXPECT_TRUE(StubOf(who)->ListMyBids(&ctx, req, &out).ok());
    for (const v1::BidEntry& b : out.bids())
      if (b.status() == v1::BID_STATUS_LIVE) return b.seq();
    ADD_FAILURE() << who << " has no live bid";
    return 0;
  }

  int Receipts(const std::string& who, const std::string& tender) {
    grpc::ClientContext ctx;
    v1::ListMyBidsRequest req;
    req.set_tender_id(tender);
    v1::ListMyBidsResponse out;
    grpc::Status st = StubOf(who)->ListMyBids(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.receipts_size();
  }

  grpc::Status Withdraw(const std::string& who, v1::BidStatement st, v1::Receipt* out,
                        const std::string& signer = "") {
    st.set_purpose(std::string(bid::kWithdrawPurpose));
    v1::UploadRequest signed_st = Commit(st, signer.empty() ? who : signer);
    v1::WithdrawRequest req;
    req.set_statement(signed_st.commit().statement());
    req.set_signature(signed_st.commit().signature());
    grpc::ClientContext ctx;
    return StubOf(who)->Withdraw(&ctx, req, out);
  }

  std::string tender_;
};

#define EXPECT_REFUSED(status, code, part)                                      \
  do {                                                                          \
    grpc::Status st_ = (status);                                                \
    EXPECT_EQ(st_.error_code(), grpc::StatusCode::code) << st_.error_message(); \
    EXPECT_TRUE(Has(st_.error_message(), part)) << st_.error_message();         \
  } while (0)

TEST_F(BidUploadTest, AWholeUploadGetsAReceiptThatVerifies) {
  Sealed s = Seal("bidder1", tender_);
  v1::Receipt receipt;
  grpc::Status st = Send("bidder1", Whole(s, "bidder1"), &receipt);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto v = bid::VerifyReceipt(receipt, ReadWholeFile(pki_ + "/ca.crt"));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->statement.ciphertext_sha256(), s.sha256);
  EXPECT_EQ(v->event.tender_id(), tender_);
  EXPECT_FALSE(v->event.has_actor()) << "a bid event must not name its bidder";
  EXPECT_EQ(Receipts("bidder1", tender_), 1);
  EXPECT_EQ(Receipts("bidder2", tender_), 0) << "only the bidder sees its bid";
}

TEST_F(BidUploadTest, AnInterruptedUploadResumesFromTheDurableOffset) {
  Sealed s = Seal("bidder1", tender_);
  Messages first = {Start(s, tender_)};
  AddChunks(s, 0, 100000, &first);
  EXPECT_REFUSED(Send("bidder1", first), CANCELLED, "100000 of");
  EXPECT_EQ(Offset("bidder1", s), 100000u);
  Messages rest = {Start(s, tender_)};
  AddChunks(s, 100000, s.bytes.size(), &rest);
  rest.push_back(Commit(StatementOf(s, "bidder1", tender_), "bidder1"));
  v1::Receipt receipt;
  grpc::Status st = Send("bidder1", rest, &receipt);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(bid::VerifyReceipt(receipt, ReadWholeFile(pki_ + "/ca.crt")).ok());
}

TEST_F(BidUploadTest, UnknownTenderOrLotIsNotFound) {
  Sealed s = Seal("bidder1", tender_, 1000);
  EXPECT_REFUSED(Send("bidder1", {Start(s, "T-0000000000")}), NOT_FOUND, "T-0000000000");
  EXPECT_REFUSED(Send("bidder1", {Start(s, "T-NOSUCHTENDER")}), INVALID_ARGUMENT,
                 "start.tender_id: \"T-NOSUCHTENDER\" is not a tender id");
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_, 9)}), NOT_FOUND, "has no lot 9");
}

TEST_F(BidUploadTest, ACancelledLotTakesNoBids) {
  Sealed s = Seal("bidder1", tender_, 1000);
  ASSERT_EQ(
      Bidctl("agency1", {"tender", "cancel", tender_, "--reason", "budget withdrawn"}).exit_code,
      0);
  EXPECT_REFUSED(Send("bidder1", Whole(s, "bidder1")), FAILED_PRECONDITION, "is cancelled");
}

TEST_F(BidUploadTest, SizeAndChunkLimits) {
  Sealed s = Seal("bidder1", tender_, 1000);
  v1::UploadRequest huge = Start(s, tender_);
  huge.mutable_start()->set_size(uint64_t{5} << 40);
  EXPECT_REFUSED(Send("bidder1", {huge}), INVALID_ARGUMENT,
                 "start.size: 5497558138880 bytes, more than this server's limit of 4294967296");
  v1::UploadRequest empty = Start(s, tender_);
  empty.mutable_start()->set_size(0);
  EXPECT_REFUSED(Send("bidder1", {empty}), INVALID_ARGUMENT, "start.size: 0");
  v1::UploadRequest big_chunk;
  big_chunk.mutable_chunk()->set_data(std::string((1 << 20) + 1, 'x'));
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_), big_chunk}), INVALID_ARGUMENT,
                 "chunk.data: 1048577 bytes, more than the limit of 1048576");
  EXPECT_REFUSED(Send("bidder1", {Chunk(s.bytes, 0, 10)}), INVALID_ARGUMENT,
                 "the first message of an upload must be `start`");
}

TEST_F(BidUploadTest, OutOfOrderOverlappingAndOverlongChunksAreOutOfRange) {
  Sealed s = Seal("bidder1", tender_, 1000);
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_), Chunk(s.bytes, 10, 10)}), OUT_OF_RANGE,
                 "chunk.offset: 10, but the durable offset of this upload is 0");
  EXPECT_REFUSED(
      Send("bidder1", {Start(s, tender_), Chunk(s.bytes, 0, 100), Chunk(s.bytes, 50, 100)}),
      OUT_OF_RANGE, "chunk.offset: 50, but the durable offset of this upload is 100");
  v1::UploadRequest past = Chunk(s.bytes + "extra", 100, s.bytes.size());
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_), past}), OUT_OF_RANGE,
                 absl::StrCat("go past the declared size ", s.bytes.size()));
  EXPECT_EQ(Offset("bidder1", s), 100u) << "the good chunk stays durable";
}

TEST_F(BidUploadTest, BytesThatDoNotHashToTheDeclaredHashAreRefusedAndDiscarded) {
  Sealed s = Seal("bidder1", tender_, 1000);
  Sealed lie = s;
  lie.sha256 = crypto::Sha256("something else");
  Messages m = {Start(lie, tender_)};
  AddChunks(s, 0, s.bytes.size(), &m);
  m.push_back(Commit(StatementOf(lie, "bidder1", tender_), "bidder1"));
  EXPECT_REFUSED(Send("bidder1", m), INVALID_ARGUMENT, "the uploaded bytes hash to");
  EXPECT_EQ(Offset("bidder1", lie), 0u);
  EXPECT_EQ(Receipts("bidder1", tender_), 0);
}

TEST_F(BidUploadTest, SignaturesMustBeTheCallersOwn) {
  Sealed s = Seal("bidder1", tender_, 1000);
  Messages by_other_key = Whole(s, "bidder1");
  by_other_key.back() = Commit(StatementOf(s, "bidder1", tender_), "bidder2");
  EXPECT_REFUSED(Send("bidder1", by_other_key), INVALID_ARGUMENT,
                 "commit.signature: does not verify");
  // The bytes stay durable: later attempts only start and commit again.
  EXPECT_EQ(Offset("bidder1", s), s.bytes.size());
  v1::UploadRequest garbage = Commit(StatementOf(s, "bidder1", tender_), "bidder1");
  garbage.mutable_commit()->set_signature("not a signature");
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_), garbage}), INVALID_ARGUMENT,
                 "commit.signature");
  EXPECT_REFUSED(
      Send("bidder1", {Start(s, tender_), Commit(StatementOf(s, "bidder2", tender_), "bidder2")}),
      PERMISSION_DENIED, "commit.statement.bidder");
  v1::BidStatement wrong_size = StatementOf(s, "bidder1", tender_);
  wrong_size.set_size(1);
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_), Commit(wrong_size, "bidder1")}),
                 INVALID_ARGUMENT, "commit.statement.size: 1");
  EXPECT_EQ(Receipts("bidder1", tender_), 0);
  EXPECT_TRUE(
      Send("bidder1", {Start(s, tender_), Commit(StatementOf(s, "bidder1", tender_), "bidder1")})
          .ok());
}

TEST_F(BidUploadTest, AnotherBiddersSealedFileIsRefusedAtItsHeader) {
  Sealed s = Seal("bidder1", tender_, 1000);
  EXPECT_REFUSED(Send("bidder2", Whole(s, "bidder2")), FAILED_PRECONDITION, "bidder");
  Sealed plain;
  plain.bytes = std::string(5000, 'p');
  plain.sha256 = crypto::Sha256(plain.bytes);
  EXPECT_REFUSED(Send("bidder1", {Start(plain, tender_), Chunk(plain.bytes, 0, 5000)}),
                 INVALID_ARGUMENT, "sealed bid");
}

// A client that skips bidctl's checks: a file cut or extended by one byte is
// refused at the chunk that holds its header, naming both sizes; no receipt.
TEST_F(BidUploadTest, AFileWhoseLengthIsNotTheHeadersIsRefusedAtItsHeader) {
  const Sealed good = Seal("bidder1", tender_, 1000);
  for (const std::string& bytes : {good.bytes.substr(0, good.bytes.size() - 1), good.bytes + "x"}) {
    Sealed s = good;
    s.bytes = bytes;
    s.sha256 = crypto::Sha256(bytes);
    EXPECT_REFUSED(
        Send("bidder1", Whole(s, "bidder1")), INVALID_ARGUMENT,
        absl::StrCat("sealed bid: size: the file is ", bytes.size(), " bytes but its header"));
    EXPECT_REFUSED(Send("bidder1", Whole(s, "bidder1")), INVALID_ARGUMENT,
                   absl::StrCat("makes it ", good.bytes.size(), " bytes"));
  }
  EXPECT_EQ(Receipts("bidder1", tender_), 0);
}

// Issue 10: a NUL byte in an id ("T-X\0y") would be cut by libpq, so SQL would
// find T-X while the log names T-X\0y and every later `audit verify` of the
// tender fails. Refused at the edge, on every call that takes an id; the
// tender's log still verifies.
TEST_F(BidUploadTest, AnIdWithANulByteIsRefusedOnEveryCallAndTheLogStillVerifies) {
  const std::string nul_id = tender_ + std::string("\0y", 2);
  Sealed s = Seal("bidder1", tender_, 1000);
  v1::UploadRequest start = Start(s, nul_id);
  EXPECT_REFUSED(Send("bidder1", {start}), INVALID_ARGUMENT,
                 absl::StrCat("start.tender_id: contains the control character U+0000 at byte ",
                              tender_.size()));
  auto tenders = [&](const std::string& who) {
    grpc::SslCredentialsOptions opts;
    opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
    opts.pem_cert_chain = ReadWholeFile(Cert(who));
    opts.pem_private_key = ReadWholeFile(Key(who));
    return v1::TenderService::NewStub(grpc::CreateChannel(server(), grpc::SslCredentials(opts)));
  };
  v1::Tender out;
  {
    grpc::ClientContext ctx;
    v1::GetTenderRequest req;
    req.set_tender_id(nul_id);
    EXPECT_REFUSED(tenders("bidder1")->GetTender(&ctx, req, &out), INVALID_ARGUMENT,
                   "tender_id: contains the control character U+0000");
  }
  {
    grpc::ClientContext ctx;
    v1::AmendLotRequest req;
    req.set_tender_id(nul_id);
    req.set_lot(1);
    req.set_reason("addendum");
    EXPECT_REFUSED(tenders("agency1")->AmendLot(&ctx, req, &out), INVALID_ARGUMENT,
                   "tender_id: contains the control character U+0000");
  }
  {
    grpc::ClientContext ctx;
    v1::CancelTenderRequest req;
    req.set_tender_id(tender_);
    req.set_reason(std::string("budget\0 withdrawn", 17));
    EXPECT_REFUSED(tenders("agency1")->CancelTender(&ctx, req, &out), INVALID_ARGUMENT,
                   "reason: contains the control character U+0000 at byte 6");
  }
  EXPECT_EQ(Receipts("bidder1", tender_), 0);
  const std::string bundle = dir_.path() + "/bundle.json";
  ASSERT_EQ(Bidctl("auditor1", {"audit", "fetch", tender_, "-o", bundle}).exit_code, 0);
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(BidUploadTest, OnlyBiddersUpload) {
  Sealed s = Seal("bidder1", tender_, 1000);
  EXPECT_REFUSED(Send("agency1", Whole(s, "agency1")), PERMISSION_DENIED, "role bidder");
}

TEST_F(BidUploadTest, TheSameFileTwiceIsAlreadyExistsAndANewOneReplaces) {
  Sealed s = Seal("bidder1", tender_, 1000);
  v1::Receipt first;
  ASSERT_TRUE(Send("bidder1", Whole(s, "bidder1"), &first).ok());
  EXPECT_REFUSED(Send("bidder1", Whole(s, "bidder1")), ALREADY_EXISTS,
                 "this sealed file is already your bid");
  Sealed second = Seal("bidder1", tender_, 1000, "90.00");
  EXPECT_REFUSED(Send("bidder1", Whole(second, "bidder1")), FAILED_PRECONDITION,
                 "commit.statement.bid_seq: the statement replaces no bid, but your live bid");
  v1::Receipt receipt;  // the refused commit left the upload complete: commit it again
  ASSERT_TRUE(Send("bidder1",
                   {Start(second, tender_),
                    Commit(StatementOf(second, "bidder1", tender_, SeqOf(first)), "bidder1")},
                   &receipt)
                  .ok());
  auto v = bid::VerifyReceipt(receipt, ReadWholeFile(pki_ + "/ca.crt"));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->event.bid_submitted().has_replaces());
  EXPECT_EQ(Receipts("bidder1", tender_), 2);
}

TEST_F(BidUploadTest, AWithdrawalNeedsTheLiveBidsFileAndTheBiddersSignature) {
  Sealed s = Seal("bidder1", tender_, 1000);
  ASSERT_TRUE(Send("bidder1", Whole(s, "bidder1")).ok());
  v1::Receipt out;
  Sealed other = s;
  other.sha256 = crypto::Sha256("another file");
  EXPECT_REFUSED(Withdraw("bidder1", StatementOf(other, "bidder1", tender_, 0), &out),
                 FAILED_PRECONDITION, "names the sealed file");
  EXPECT_REFUSED(Withdraw("bidder1", StatementOf(s, "bidder1", tender_, 0), &out, "bidder2"),
                 INVALID_ARGUMENT, "signature: does not verify");
  EXPECT_REFUSED(Withdraw("bidder2", StatementOf(s, "bidder2", tender_, 0), &out), NOT_FOUND,
                 "you have no live bid in lot 1");
  EXPECT_REFUSED(Withdraw("bidder1", StatementOf(s, "bidder1", tender_), &out), INVALID_ARGUMENT,
                 "statement.bid_seq: required");
  v1::UploadRequest submission = Commit(StatementOf(s, "bidder1", tender_), "bidder1");
  v1::WithdrawRequest replayed;
  replayed.set_statement(submission.commit().statement());
  replayed.set_signature(submission.commit().signature());
  grpc::ClientContext ctx;
  EXPECT_REFUSED(StubOf("bidder1")->Withdraw(&ctx, replayed, &out), INVALID_ARGUMENT,
                 "statement.purpose: \"bidopen/submit/v2\"");
  EXPECT_REFUSED(
      Withdraw("bidder1", StatementOf(s, "bidder1", tender_, LiveSeq("bidder1") + 100), &out),
      FAILED_PRECONDITION, "statement.bid_seq: the statement withdraws your bid at");

  ASSERT_TRUE(
      Withdraw("bidder1", StatementOf(s, "bidder1", tender_, LiveSeq("bidder1")), &out).ok());
  auto v = bid::VerifyReceipt(out, ReadWholeFile(pki_ + "/ca.crt"));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->body.kind(), v1::RECEIPT_KIND_WITHDRAWN);
  EXPECT_FALSE(v->event.has_actor());
  EXPECT_EQ(Receipts("bidder1", tender_), 2);
  EXPECT_REFUSED(Withdraw("bidder1", StatementOf(s, "bidder1", tender_, 0), &out), NOT_FOUND,
                 "no live bid");
  EXPECT_TRUE(Send("bidder1", Whole(s, "bidder1")).ok()) << "the same file may be sent again";
}

// Issue 8: the operator (or anyone holding them) replaying a bidder's genuine
// signed statements: a replaced bid's old submission after a withdrawal, and a
// withdrawal against a later submission of the same file.
TEST_F(BidUploadTest, SignedStatementsActOnce) {
  Sealed s = Seal("bidder1", tender_, 1000);
  const v1::UploadRequest first_submission = Commit(StatementOf(s, "bidder1", tender_), "bidder1");
  v1::Receipt first;
  ASSERT_TRUE(Send("bidder1", WithStatement(s, first_submission), &first).ok());
  const v1::BidStatement withdrawal = StatementOf(s, "bidder1", tender_, SeqOf(first));
  v1::Receipt out;
  ASSERT_TRUE(Withdraw("bidder1", withdrawal, &out).ok());
  EXPECT_REFUSED(Send("bidder1", WithStatement(s, first_submission)), ALREADY_EXISTS,
                 "commit.statement: this signed statement was already used (log index");
  v1::Receipt again;  // the bidder's own new statement for the stored upload
  ASSERT_TRUE(Send("bidder1",
                   {Start(s, tender_), Commit(StatementOf(s, "bidder1", tender_), "bidder1")},
                   &again)
                  .ok());
  EXPECT_REFUSED(Withdraw("bidder1", withdrawal, &out), ALREADY_EXISTS,
                 "statement: this signed statement was already used");
  EXPECT_EQ(LiveSeq("bidder1"), SeqOf(again)) << "the resubmission stands";
}

TEST_F(BidUploadTest, TwoConcurrentUploadsToOneLotByOneBidderAreRefused) {
  Sealed s = Seal("bidder1", tender_, 1000);
  Stub stub = StubOf("bidder1");
  grpc::ClientContext ctx;
  v1::Receipt out;
  auto first = stub->Upload(&ctx, &out);
  ASSERT_TRUE(first->Write(Start(s, tender_)));
  ASSERT_TRUE(first->Write(Chunk(s.bytes, 0, 100)));
  for (int i = 0; i < 100 && Offset("bidder1", s) < 100; ++i)
    absl::SleepFor(absl::Milliseconds(20));  // the first stream holds the slot
  EXPECT_REFUSED(Send("bidder1", {Start(s, tender_)}), ABORTED, "another upload of yours to lot 1");
  first->WritesDone();
  EXPECT_EQ(first->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(BidUploadTest, ACommitAfterTheDeadlineIsRefusedAndPartialUploadsAreDiscarded) {
  ASSERT_EQ(Bidctl("bidder3", {"identity", "register-key"}).exit_code, 0);
  const absl::Time deadline = absl::Now() + absl::Seconds(4);
  const std::string tender = CreateTender(
      {{"--deadline", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", deadline, absl::UTCTimeZone())}});
  Sealed s = Seal("bidder1", tender, 1000);
  Sealed partial = Seal("bidder2", tender, 1000);
  Sealed on_time = Seal("bidder3", tender, 1000);
  tender_ = tender;
  ASSERT_TRUE(Send("bidder3", Whole(on_time, "bidder3")).ok());
  Stub stub = StubOf("bidder1");
  grpc::ClientContext ctx;
  v1::Receipt out;
  auto late = stub->Upload(&ctx, &out);
  ASSERT_TRUE(late->Write(Start(s, tender)));
  ASSERT_TRUE(late->Write(Chunk(s.bytes, 0, s.bytes.size())));
  ASSERT_EQ(Send("bidder2", {Start(partial, tender), Chunk(partial.bytes, 0, 100)}).error_code(),
            grpc::StatusCode::CANCELLED);
  absl::SleepFor(deadline - absl::Now() + absl::Milliseconds(300));

  ASSERT_TRUE(late->Write(Commit(StatementOf(s, "bidder1", tender), "bidder1")));
  late->WritesDone();
  EXPECT_REFUSED(late->Finish(), FAILED_PRECONDITION, "the bid was not accepted");
  EXPECT_EQ(Receipts("bidder1", tender), 0);
  EXPECT_REFUSED(Send("bidder2", {Start(partial, tender)}), FAILED_PRECONDITION,
                 "your partial upload (100 of");
  EXPECT_REFUSED(Withdraw("bidder3", StatementOf(on_time, "bidder3", tender, 1), &out),
                 FAILED_PRECONDITION, "a bid can no longer be withdrawn");
  EXPECT_EQ(Receipts("bidder3", tender), 1) << "the bid made in time stands";
}

}  // namespace
}  // namespace bidopen::testing
