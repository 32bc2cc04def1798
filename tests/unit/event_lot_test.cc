// EventLot (core/opening/event_lot.h): every event kind is named, so a new
// kind with a lot that Watch does not route to its lot's watchers fails here.
#include "core/opening/event_lot.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

namespace bidopen {
namespace {

// Every kind of the Event oneof, set through reflection; a body with a `lot`
// field gets lot 2.
TEST(EventLotTest, EveryKindWithALotIsRoutedToItAndTheOthersAreNamed) {
  const auto* body = v1::Event::descriptor()->FindOneofByName("body");
  ASSERT_NE(body, nullptr);
  for (int i = 0; i < body->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = body->field(i);
    v1::Event e;
    e.set_tender_id("T-1");
    google::protobuf::Message* m = e.GetReflection()->MutableMessage(&e, f);
    const google::protobuf::FieldDescriptor* lot = m->GetDescriptor()->FindFieldByName("lot");
    if (lot != nullptr && lot->type() == google::protobuf::FieldDescriptor::TYPE_INT32) {
      m->GetReflection()->SetInt32(m, lot, 2);
      EXPECT_EQ(EventLot(e), 2) << f->name();
      EXPECT_TRUE(ShownToLotWatcher(e, "T-1", 2)) << f->name();
      EXPECT_FALSE(ShownToLotWatcher(e, "T-1", 3)) << f->name();
      EXPECT_FALSE(ShownToLotWatcher(e, "T-2", 2)) << f->name();
      continue;
    }
    const std::string& name = f->name();
    if (name == "tender_created" || name == "lot_keys_registered") {
      EXPECT_EQ(EventLot(e), 0) << name;
      EXPECT_TRUE(ShownToLotWatcher(e, "T-1", 3)) << name;
    } else {
      EXPECT_TRUE(name == "key_registered" || name == "certificate_revoked") << name;
      EXPECT_EQ(EventLot(e), -1) << name;
    }
  }
  // A cancellation of the whole tender (lot 0) reaches every lot's watchers.
  v1::Event all;
  all.set_tender_id("T-1");
  all.mutable_tender_cancelled()->set_lot(0);
  EXPECT_TRUE(ShownToLotWatcher(all, "T-1", 5));
}

}  // namespace
}  // namespace bidopen
