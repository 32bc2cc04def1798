// The live hall end to end (docs/opening-hall.md), as its participants drive
// it with bidctl: sign-in, the announcement appended with the verdicts,
// a confirmation signed on the bidder's machine, an objection and its answer,
// the close and its signed record, which `audit verify` recomputes from the
// log; and every refusal with its status.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/crypto/signature.h"
#include "core/opening/confirmation.h"
#include "core/opening/record.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

using HallTest = OpeningTest;

// The number after `label` in `text` (e.g. "its id is 57").
uint64_t NumberAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + label.size()));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Hall : public HallTest {
 protected:
  // A lot of two bids, started, both released, decryption ended early by the
  // agency: the announcement is in the log.
  std::string Announced(const std::string& confirm_window) {
    RegisterAll();
    const std::string id = ShortTender("BIDDER", absl::Seconds(12), "30s",
                                       {"--min-bids", "1", "--confirm-window", confirm_window});
    Submit(id, "bidder1", "1000.00");
    Submit(id, "bidder2", "990.00");
    CommandResult early = Bidctl("bidder1", {"opening", "sign-in", id + "/1"});
    EXPECT_EQ(early.exit_code, 1);
    EXPECT_PRED2(
        Has, early.err,
        std::string("FAILED_PRECONDITION: sign-in to lot 1 of tender ") + id + " opens at");
    WaitForOpeningTime();
    CommandResult in = Bidctl("bidder1", {"opening", "sign-in", id + "/1"});
    EXPECT_EQ(in.exit_code, 0) << in.err;
    EXPECT_PRED2(Has, in.out, std::string("Signed in"));
    CommandResult again = Bidctl("bidder1", {"opening", "sign-in", id + "/1"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_PRED2(Has, again.out, std::string("Already Signed in"));
    EXPECT_TRUE(Start(id).ok());
    v1::ReleaseResult r;
    EXPECT_TRUE(ReleaseBidder(id, "bidder1", BidderSecret(id, "bidder1"), &r).ok());
    EXPECT_TRUE(ReleaseBidder(id, "bidder2", BidderSecret(id, "bidder2"), &r).ok());
    WaitOpened(id, 2);
    const grpc::Status ended = End(id);
    EXPECT_TRUE(ended.ok()) << ended.error_message();
    return id;
  }

  void WaitConfirmUntil(const std::string& id) {
    const v1::OpeningStatus s = Status(id);
    const absl::Time until = absl::FromUnixSeconds(s.lot_state().hall().confirm_until().seconds()) +
                             absl::Nanoseconds(s.lot_state().hall().confirm_until().nanos());
    while (absl::Now() < until + absl::Milliseconds(300)) absl::SleepFor(absl::Milliseconds(100));
  }
};

TEST_F(Hall, AWholeOpeningSignedInAnnouncedConfirmedObjectedAnsweredClosedAndItsRecordVerifies) {
  const std::string id = Announced("8s");
  const std::string lot = id + "/1";
  v1::OpeningStatus s = Status(id);
  EXPECT_EQ(s.status(), v1::LOT_STATUS_CONFIRMING);
  EXPECT_TRUE(s.lot_state().hall().has_announced());
  EXPECT_EQ(s.lot_state().hall().signed_in(), 1u);

  // The announcement, recomputed on the bidder's machine from the verified log.
  CommandResult table = Bidctl("bidder2", {"opening", "announcement", lot});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_PRED2(Has, table.out, std::string("price 1000.00 CNY"));
  EXPECT_PRED2(Has, table.out, std::string("price 990.00 CNY"));

  CommandResult confirmed = Bidctl("bidder1", {"opening", "confirm", lot});
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  EXPECT_PRED2(Has, confirmed.out, std::string("Confirmed"));
  CommandResult twice = Bidctl("bidder1", {"opening", "confirm", lot});
  EXPECT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_PRED2(Has, twice.out, std::string("Already Confirmed"));
  CommandResult stranger = Bidctl("bidder3", {"opening", "confirm", lot});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_PRED2(Has, stranger.err, std::string("PERMISSION_DENIED: you (Gamma Builders Inc"));
  CommandResult no_objection = Bidctl("bidder1", {"opening", "object", lot, "--text", "late"});
  EXPECT_EQ(no_objection.exit_code, 1);
  EXPECT_PRED2(Has, no_objection.err, std::string("a confirmation ends your objections"));

  CommandResult objected = Bidctl(
      "bidder2", {"opening", "object", lot, "--text", "My duration was read as 90 days; check it"});
  ASSERT_EQ(objected.exit_code, 0) << objected.err;
  const uint64_t objection = NumberAfter(objected.out, "its id is ");
  ASSERT_GT(objection, 0u) << objected.out;

  CommandResult early = Bidctl("agency1", {"opening", "close", lot});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_PRED2(Has, early.err,
               std::string("FAILED_PRECONDITION: the confirmation window of lot 1 of tender ") +
                   id + " is open until");
  WaitConfirmUntil(id);
  CommandResult late = Bidctl("bidder2", {"opening", "confirm", lot});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_PRED2(Has, late.err,
               std::string("the confirmation window of lot 1 of tender ") + id + " closed at");
  CommandResult unanswered = Bidctl("agency1", {"opening", "close", lot});
  EXPECT_EQ(unanswered.exit_code, 1);
  EXPECT_PRED2(Has, unanswered.err,
               absl::StrCat("objection ", objection, " by Beta Engineering Ltd"));
  EXPECT_PRED2(Has, unanswered.err, std::string("is unanswered"));

  CommandResult by_bidder =
      Bidctl("bidder1", {"opening", "answer", lot, std::to_string(objection), "--text", "no"});
  EXPECT_EQ(by_bidder.exit_code, 1);
  EXPECT_PRED2(Has, by_bidder.err, std::string("PERMISSION_DENIED"));
  CommandResult unknown =
      Bidctl("agency1", {"opening", "answer", lot, "999999", "--text", "which one?"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_PRED2(
      Has, unknown.err,
      std::string("NOT_FOUND: objection: lot 1 of tender ") + id + " has no objection 999999");
  CommandResult answered =
      Bidctl("agency1", {"opening", "answer", lot, std::to_string(objection), "--text",
                         "The sealed value is 90 days; the announcement shows what you sealed"});
  ASSERT_EQ(answered.exit_code, 0) << answered.err;

  const std::string html = dir_.path() + "/record.html";
  CommandResult closed = Bidctl("agency1", {"opening", "close", lot, "--html", html});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_PRED2(Has, closed.out, std::string("Opening record"));
  EXPECT_PRED2(Has, closed.out, std::string("confirmed 已确认"));
  EXPECT_PRED2(Has, closed.out, std::string("objected 有异议"));
  const std::string page = ReadAll(html);
  EXPECT_PRED2(Has, page, std::string("开标记录表"));
  EXPECT_PRED2(Has, page, std::string("price 990.00 CNY"));
  EXPECT_PRED2(Has, page, std::string("The sealed value is 90 days"));
  CommandResult again = Bidctl("agency1", {"opening", "close", lot});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_PRED2(
      Has, again.err,
      std::string("FAILED_PRECONDITION: the opening of lot 1 of tender ") + id + " was closed at");
  EXPECT_EQ(Status(id).status(), v1::LOT_STATUS_CLOSED);

  // Every participant reads the same record; an auditor's bundle recomputes it.
  CommandResult read = Bidctl("bidder2", {"--json", "opening", "record", lot});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_PRED2(Has, read.out, std::string("\"announcement_sha256\""));
  const std::string bundle = dir_.path() + "/hall-bundle.json";
  CommandResult fetched = Bidctl("auditor1", {"audit", "fetch", lot, "-o", bundle});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  CommandResult verified = Bidctl("auditor1", {"audit", "verify", bundle});
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_PRED2(Has, verified.out, std::string("1 opening records"));
  EXPECT_PRED2(Has, verified.out, std::string("1 confirmations of announcements"));

  // A record the log key signed but the log does not give (the operator
  // turning bidder2's objection into a confirmation) is caught by recomputing.
  v1::AuditBundle b;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadWholeFile(bundle), &b).ok());
  ASSERT_EQ(b.records_size(), 1);
  v1::OpeningRecordBody body;
  ASSERT_TRUE(body.ParseFromString(b.records(0).record()));
  for (v1::RecordBid& bid : *body.mutable_bids()) bid.set_response(v1::HALL_RESPONSE_CONFIRMED);
  auto log_key = crypto::PrivateKeyFromPem(ReadWholeFile(pki_ + "/log.key"));
  ASSERT_TRUE(log_key.ok());
  v1::BundleRecord* forged = b.mutable_records(0);
  forged->set_record(RecordBytes(body));
  forged->set_signature(*crypto::Sign(log_key->get(), RecordSigningInput(forged->record())));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(b, &json).ok());
  const std::string forged_path = WriteFile("forged-bundle.json", json);
  CommandResult caught = Bidctl("auditor1", {"audit", "verify", forged_path});
  EXPECT_EQ(caught.exit_code, 1);
  EXPECT_PRED2(Has, caught.err, std::string("differs from the record the log gives"));
  EXPECT_PRED2(Has, caught.err, std::string("response"));
  forged->set_signature(std::string(64, 's'));  // and one the log key did not sign
  json.clear();
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(b, &json).ok());
  caught = Bidctl("auditor1", {"audit", "verify", WriteFile("unsigned-bundle.json", json)});
  EXPECT_EQ(caught.exit_code, 1);
  EXPECT_PRED2(Has, caught.err, std::string("its signature by the log key"));
}

TEST_F(Hall, BadHallRequestsGetPreciseErrors) {
  const std::string id = Announced("30s");
  // A confirmation whose signature is not over the announcement.
  v1::ConfirmRequest req;
  *req.mutable_lot() = Lot(id);
  req.set_announcement_sha256(Status(id).lot_state().hall().announcement_sha256());
  req.set_signature("not a signature");
  v1::HallResult out;
  {
    grpc::ClientContext ctx;
    grpc::Status st = Opening("bidder1")->Confirm(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("signature: does not verify"));
  }
  {  // the hash of something else
    req.set_announcement_sha256(std::string(32, 'x'));
    grpc::ClientContext ctx;
    grpc::Status st = Opening("bidder1")->Confirm(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("announcement_sha256: "));
  }
  {  // an objection longer than the lot takes
    v1::ObjectRequest o;
    *o.mutable_lot() = Lot(id);
    o.set_text(std::string(2001, 'a'));
    grpc::ClientContext ctx;
    Sign(&ctx, "bidder2", "/bidopen.v1.OpeningService/Object", o);
    grpc::Status st = Opening("bidder2")->Object(&ctx, o, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(),
                 std::string("text: 2001 characters; lot 1 of tender ") + id +
                     " takes objections of at most 2000");
  }
  {  // sign-in once decryption ended
    grpc::ClientContext ctx;
    Sign(&ctx, "bidder2", "/bidopen.v1.OpeningService/SignIn", Lot(id));
    grpc::Status st = Opening("bidder2")->SignIn(&ctx, Lot(id), &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("closed when decryption ended at"));
  }
  {  // a bidder without a bid in the lot
    grpc::ClientContext ctx;
    Sign(&ctx, "bidder3", "/bidopen.v1.OpeningService/SignIn", Lot(id));
    grpc::Status st = Opening("bidder3")->SignIn(&ctx, Lot(id), &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
  {  // the record before the close
    v1::OpeningRecord rec;
    grpc::ClientContext ctx;
    grpc::Status st = Opening("supervisor1")->GetRecord(&ctx, Lot(id), &rec);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("has not closed: it has no record yet"));
  }
  {  // the lot's cancellation while its hall is open
    CommandResult cancel =
        Bidctl("agency1", {"tender", "cancel", id, "--lot", "1", "--reason", "budget cut"});
    EXPECT_EQ(cancel.exit_code, 1);
    EXPECT_PRED2(Has, cancel.err, std::string("were announced and its opening is not closed"));
  }
  {  // a bidder may not close
    v1::OpeningRecord rec;
    grpc::ClientContext ctx;
    Sign(&ctx, "bidder1", "/bidopen.v1.OpeningService/CloseOpening", Lot(id));
    grpc::Status st = Opening("bidder1")->CloseOpening(&ctx, Lot(id), &rec);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
}

}  // namespace
}  // namespace bidopen::testing
