// CheckRequest: control characters and unknown fields are refused at the edge,
// naming the field by its path.
#include "core/request_check.h"

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "bidopen/v1/bid.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/ids.h"
#include "core/opening/limits.h"
#include "core/page_budget.h"
#include "core/quote.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;

TEST(RequestCheckTest, ANulOrControlCharacterAnywhereIsRefusedNamingTheField) {
  v1::GetTenderRequest get;
  get.set_tender_id(std::string("T-X\0y", 5));
  EXPECT_TRUE(InvalidField(CheckRequest(get), "tender_id",
                           {"contains the control character U+0000 at byte 3"}));
  v1::CreateTenderRequest create;
  create.set_title("Roads");
  create.add_lots()->set_title("A");
  create.add_lots()->set_title("B\nC");
  EXPECT_TRUE(InvalidField(CheckRequest(create), "lots[1].title", {"U+000A at byte 1"}));
  create.mutable_lots(1)->set_title("B C");
  create.mutable_lots(0)->add_form()->set_name(
      "pri\x7f"
      "ce");
  EXPECT_TRUE(InvalidField(CheckRequest(create), "lots[0].form[0].name", {"U+007F at byte 3"}));
}

TEST(RequestCheckTest, ControlsThatReorderOrHideTextAreRefusedToo) {
  v1::CreateTenderRequest create;
  create.set_title("price \u202e00.0001");  // RIGHT-TO-LEFT OVERRIDE: shows 1000.00
  EXPECT_TRUE(InvalidField(CheckRequest(create), "title", {"U+202E at byte 6"}));
  create.set_title("a\u2066b");  // LEFT-TO-RIGHT ISOLATE
  EXPECT_TRUE(InvalidField(CheckRequest(create), "title", {"U+2066 at byte 1"}));
  create.set_title("a\u2029b");  // PARAGRAPH SEPARATOR
  EXPECT_TRUE(InvalidField(CheckRequest(create), "title", {"U+2029 at byte 1"}));
  create.set_title("a\u0085b");  // NEXT LINE, a C1 control
  EXPECT_TRUE(InvalidField(CheckRequest(create), "title", {"U+0085 at byte 1"}));
  create.set_title("a\u2014b\u00a0c\u200e");  // em dash, no-break space, LRM: text
  EXPECT_TRUE(CheckRequest(create).ok());
}

TEST(RequestCheckTest, BytesFieldsAndPrintableTextPass) {
  v1::UploadRequest up;
  up.mutable_chunk()->set_data(std::string("\0\x01\n", 3));
  EXPECT_TRUE(CheckRequest(up).ok());
  v1::CreateTenderRequest create;
  create.set_title("道路改造工程 2027 — Lot «A»");
  EXPECT_TRUE(CheckRequest(create).ok());
}

TEST(RequestCheckTest, AFieldThisServerDoesNotKnowIsRefusedNotCopied) {
  v1::CreateTenderRequest create;
  create.set_title("Roads");
  create.GetReflection()->MutableUnknownFields(&create)->AddVarint(99, 1);
  EXPECT_TRUE(InvalidField(CheckRequest(create), "CreateTenderRequest",
                           {"a field this server does not know (number 99)"}));
  v1::CreateTenderRequest nested;
  v1::LotSpec* lot = nested.add_lots();
  lot->GetReflection()->MutableUnknownFields(lot)->AddLengthDelimited(1000, std::string(10, 'x'));
  EXPECT_TRUE(InvalidField(CheckRequest(nested), "lots[0]", {"number 1000"}));
}

TEST(RequestCheckTest, IdsMustHaveTheirDocumentedForm) {
  v1::GetTenderRequest get;
  get.set_tender_id("T-7K2M9Q4XRB");
  EXPECT_TRUE(CheckRequest(get).ok());
  for (const char* bad : {"T-7K2M9Q4XR", "T-7K2M9Q4XRBB", "t-7K2M9Q4XRB", "T-7K2M9Q4XRI",
                          "T-7k2m9q4xrb", "X-7K2M9Q4XRB", "'; DROP TABLE events; --"}) {
    get.set_tender_id(bad);
    EXPECT_TRUE(InvalidField(CheckRequest(get), "tender_id", {"is not a tender id"})) << bad;
  }
  v1::UploadRequest up;
  up.mutable_start()->set_tender_id("T-1");
  EXPECT_TRUE(InvalidField(CheckRequest(up), "start.tender_id", {"\"T-1\" is not a tender id"}));
  v1::ListTendersRequest list;  // an empty id is left to the rules (here: no filter)
  EXPECT_TRUE(CheckRequest(list).ok());
}

TEST(RequestCheckTest, FingerprintsAreLowerCaseHexSha256) {
  EXPECT_TRUE(IsFingerprint(std::string(64, 'a')));
  EXPECT_FALSE(IsFingerprint(std::string(64, 'A')));
  EXPECT_FALSE(IsFingerprint(std::string(63, 'a')));
  EXPECT_FALSE(IsFingerprint(std::string(63, 'a') + "g"));
  EXPECT_TRUE(CheckIdForm("party.fingerprint", "fingerprint", std::string(64, '0')).ok());
  EXPECT_TRUE(InvalidField(CheckIdForm("party.fingerprint", "fingerprint", "abc"),
                           "party.fingerprint", {"is not a certificate fingerprint"}));
}

TEST(RequestCheckTest, ATextFieldLongerThanTheLimitIsRefusedBeforeTheRules) {
  v1::CreateTenderRequest create;
  create.set_title(std::string(limits::kMaxStringField, 'a'));
  EXPECT_TRUE(CheckRequest(create).ok());
  create.set_title(std::string(limits::kMaxStringField + 1, 'a'));
  EXPECT_TRUE(InvalidField(CheckRequest(create), "title",
                           {"8193 bytes; no text field of a request may exceed 8192 bytes"}));
}

// Found by a try-out: nanos = 2e9 in a deadline was stored, then every
// `--json tender list` printed broken JSON.
TEST(RequestCheckTest, TimestampsAndDurationsOutOfTheirRangeAreRefused) {
  v1::CreateTenderRequest create;
  v1::LotSpec* lot = create.add_lots();
  lot->mutable_submission_deadline()->set_seconds(1800000000);
  lot->mutable_decryption_window()->set_seconds(1800);
  EXPECT_TRUE(CheckRequest(create).ok());
  lot->mutable_submission_deadline()->set_nanos(2000000000);
  EXPECT_TRUE(InvalidField(CheckRequest(create), "lots[0].submission_deadline",
                           {"seconds 1800000000, nanos 2000000000 is not a valid Timestamp"}));
  lot->mutable_submission_deadline()->set_nanos(-5);
  EXPECT_FALSE(CheckRequest(create).ok());
  lot->mutable_submission_deadline()->set_nanos(0);
  lot->mutable_submission_deadline()->set_seconds(253402300800);  // year 10000
  EXPECT_FALSE(CheckRequest(create).ok());
  lot->mutable_submission_deadline()->set_seconds(1800000000);
  lot->mutable_decryption_window()->set_nanos(-1);  // the sign of seconds is +
  EXPECT_TRUE(
      InvalidField(CheckRequest(create), "lots[0].decryption_window", {"is not a valid Duration"}));
}

TEST(QuoteTest, LongInputIsQuotedOnlyInPartAndCutAtACharacterBoundary) {
  EXPECT_EQ(Quote("abc"), "\"abc\"");
  std::string long_input(1000, 'x');
  std::string q = Quote(long_input);
  EXPECT_LT(q.size(), 100u);
  EXPECT_NE(q.find("(1000 bytes)"), std::string::npos) << q;
  std::string chinese;
  for (int i = 0; i < 30; ++i) chinese += "标";  // 3 bytes each: byte 64 is inside one
  q = Quote(chinese);
  EXPECT_EQ(q.substr(1, 63), chinese.substr(0, 63)) << q;
  EXPECT_NE(q.find("…\" (90 bytes)"), std::string::npos) << q;
}

TEST(PageBudgetTest, TheFirstItemAlwaysFitsAndThePageStopsAtTheFirstThatDoesNot) {
  PageBudget budget(100);
  EXPECT_TRUE(budget.Take(150));  // the first, though larger than the budget
  EXPECT_FALSE(budget.Take(1));
  EXPECT_TRUE(budget.full());
  PageBudget b2(100);
  EXPECT_TRUE(b2.Take(60));
  EXPECT_TRUE(b2.Take(40));
  EXPECT_FALSE(b2.Take(1));
  EXPECT_FALSE(b2.Take(0));  // once full, stays full: pages never skip an item
  EXPECT_EQ(b2.taken(), 2u);
}

}  // namespace
}  // namespace bidopen
