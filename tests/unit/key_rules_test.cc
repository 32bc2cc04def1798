// DecideKeyRegistration: which events a key registration appends, and its refusals.
#include "core/opening/key_rules.h"

#include <gtest/gtest.h>

#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;

v1::Party Custodian() {
  v1::Party p;
  p.set_fingerprint(std::string(64, 'c'));
  p.set_role(v1::ROLE_CUSTODIAN);
  return p;
}

v1::RegisterKeyRequest Request(int lot_keys) {
  v1::RegisterKeyRequest r;
  r.set_x25519_public_key(std::string(32, 'k'));
  for (int i = 0; i < lot_keys; ++i) r.add_lot_keys(std::string(31, 'l') + static_cast<char>(i));
  return r;
}

TEST(KeyRulesTest, ANewKeyAndLotKeysAreTwoEventsAndTheSameKeyNone) {
  auto first = DecideKeyRegistration(Request(2), Custodian(), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].has_key_registered());
  EXPECT_EQ((*first)[1].lot_keys_registered().public_keys_size(), 2);
  v1::RegisteredKey existing;
  existing.set_x25519_public_key(std::string(32, 'k'));
  auto again = DecideKeyRegistration(Request(0), Custodian(), existing);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST(KeyRulesTest, BadLotKeysAreRefusedNamingTheKey) {
  v1::RegisterKeyRequest shorter = Request(1);
  shorter.set_lot_keys(0, "short");
  EXPECT_TRUE(InvalidField(DecideKeyRegistration(shorter, Custodian(), std::nullopt).status(),
                           "lot_keys[0]", {"must be 32 bytes, got 5"}));
  EXPECT_TRUE(InvalidField(DecideKeyRegistration(Request(101), Custodian(), std::nullopt).status(),
                           "lot_keys", {"101 keys; at most 100 per call"}));
  v1::RegisterKeyRequest twice = Request(1);
  twice.add_lot_keys(twice.lot_keys(0));
  EXPECT_TRUE(InvalidField(DecideKeyRegistration(twice, Custodian(), std::nullopt).status(),
                           "lot_keys[1]", {"registered before"}));
  v1::Party bidder = Custodian();
  bidder.set_role(v1::ROLE_BIDDER);
  EXPECT_TRUE(StatusIs(DecideKeyRegistration(Request(1), bidder, std::nullopt),
                       absl::StatusCode::kPermissionDenied, {"only custodians"}));
}

}  // namespace
}  // namespace bidopen
