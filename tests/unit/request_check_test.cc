// CheckRequest: control characters and unknown fields are refused at the edge,
// naming the field by its path.
#include "core/request_check.h"

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "bidopen/v1/bid.pb.h"
#include "bidopen/v1/tender.pb.h"
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

}  // namespace
}  // namespace bidopen
