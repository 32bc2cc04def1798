// DecideCreate / DecideAmend / DecideCancel: what an agency gets back for each
// command, and the exact refusal (code, field, offending value) when it is wrong.
#include "core/opening/tender_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/opening/fold.h"
#include "core/opening/lot_rules.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;

const absl::TimeZone kUtc = absl::UTCTimeZone();
// Server time of every test: 2026-03-01T00:00:00Z.
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0), kUtc);
// The valid lot's deadline (2026-03-08T00:00:00Z) and opening (an hour later).
const absl::Time kDeadline = kNow + absl::Hours(7 * 24);
const absl::Time kOpening = kDeadline + absl::Hours(1);

const std::string kCustodianA(64, 'a');
const std::string kCustodianB(64, 'b');
const std::string kCustodianC(64, 'c');
const std::string kCustodianD(64, 'd');
const std::string kCustodianE(64, 'e');
const std::string kStranger(64, 'f');

google::protobuf::Duration DurationOfSeconds(int64_t s) {
  google::protobuf::Duration d;
  d.set_seconds(s);
  return d;
}

v1::LotSpec ValidLot() {
  v1::LotSpec lot;
  lot.set_title("Road resurfacing, section 1");
  *lot.mutable_submission_deadline() = ToProto(kDeadline);
  *lot.mutable_opening_time() = ToProto(kOpening);
  v1::FormField* price = lot.add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  price->set_unit("CNY");
  price->set_required(true);
  lot.add_custodians(kCustodianA);
  lot.add_custodians(kCustodianB);
  lot.add_custodians(kCustodianC);
  lot.set_threshold(2);
  return lot;
}

v1::CreateTenderRequest ValidRequest() {
  v1::CreateTenderRequest req;
  req.set_title("City road works 2026");
  req.set_reference("CW-2026-01");
  *req.add_lots() = ValidLot();
  return req;
}

// Registered custodians, each with `lot_keys` signed per-lot keys
// "<fp[0]>-lot-key-<i>" (signature "sig-<key>", certificate "cert-<fp>").
KeyRegistry Custodians(std::initializer_list<std::string> fingerprints, int lot_keys = 3) {
  KeyRegistry out;
  for (const std::string& fp : fingerprints) {
    v1::RegisteredKey& k = out[fp];
    k.mutable_party()->set_fingerprint(fp);
    k.mutable_party()->set_organization(absl::StrCat("Custodian ", fp.substr(0, 1)));
    k.mutable_party()->set_role(v1::ROLE_CUSTODIAN);
    k.set_certificate_pem("cert-" + fp);
    for (int i = 0; i < lot_keys; ++i) {
      k.add_lot_keys(absl::StrCat(fp.substr(0, 1), "-lot-key-", i));
      k.add_lot_key_signatures("sig-" + k.lot_keys(i));
    }
  }
  return out;
}

class DecideCreateTest : public ::testing::Test {
 protected:
  absl::StatusOr<v1::TenderCreated> Create(const v1::CreateTenderRequest& req) {
    return DecideCreate(req, kNow, custodians_);
  }
  // A valid request whose only lot is changed by `edit`.
  template <typename Edit>
  absl::StatusOr<v1::TenderCreated> CreateWithLot(Edit edit) {
    v1::CreateTenderRequest req = ValidRequest();
    edit(*req.mutable_lots(0));
    return Create(req);
  }

  KeyRegistry custodians_ = Custodians({kCustodianA, kCustodianB, kCustodianC});
};

TEST_F(DecideCreateTest, EachCustodianOfEachLotGetsItsNextUnusedLotKey) {
  v1::CreateTenderRequest req = ValidRequest();  // custodians A, B
  *req.add_lots() = ValidLot();
  custodians_[kCustodianB].set_lot_keys_used(1);  // B's first key went to an earlier tender
  auto created = Create(req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->lots(0).custodian_keys(0), "a-lot-key-0");
  EXPECT_EQ(created->lots(0).custodian_keys(1), "b-lot-key-1");
  EXPECT_EQ(created->lots(1).custodian_keys(0), "a-lot-key-1");
  EXPECT_EQ(created->lots(1).custodian_keys(1), "b-lot-key-2");
}

// With each key its custodian's signature and certificate; keys from before
// signatures are skipped (bidders refuse them), so they count as none left.
TEST_F(DecideCreateTest, TheLotCarriesEachKeysSignatureAndUnsignedKeysAreSkipped) {
  custodians_[kCustodianA].set_lot_key_signatures(0, "");  // a-lot-key-0 from before
  auto created = Create(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  const v1::LotSpec& lot = created->lots(0);
  EXPECT_EQ(lot.custodian_keys(0), "a-lot-key-1");
  EXPECT_EQ(lot.custodian_key_signatures(0), "sig-a-lot-key-1");
  EXPECT_EQ(lot.custodian_certificates(0), "cert-" + std::string(kCustodianA));
  EXPECT_EQ(lot.custodian_key_signatures(1), "sig-b-lot-key-0");
  for (int i : {1, 2}) custodians_[kCustodianB].set_lot_key_signatures(i, "");
  custodians_[kCustodianB].set_lot_keys_used(1);
  EXPECT_TRUE(StatusIs(Create(ValidRequest()), absl::StatusCode::kFailedPrecondition,
                       {"lots[0].custodians[1]", "no unused per-lot key left"}));
}

TEST_F(DecideCreateTest, ACustodianWithoutAnUnusedLotKeyIsRefused) {
  custodians_[kCustodianB].set_lot_keys_used(3);
  EXPECT_TRUE(
      StatusIs(Create(ValidRequest()), absl::StatusCode::kFailedPrecondition,
               {"lots[0].custodians[1]: custodian Custodian b", "no unused per-lot key left",
                "3 registered, all assigned", "bidctl identity register-key"}));
}

TEST_F(DecideCreateTest, LotKeysAreTheServersToAssign) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.add_custodian_keys("mine"); });
  EXPECT_TRUE(InvalidField(r, "lots[0].custodian_keys", {"set by the server"}));
}

TEST_F(DecideCreateTest, ValidRequestPassesWithDefaultsFilledIn) {
  auto created = Create(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->title(), "City road works 2026");
  EXPECT_EQ(created->reference(), "CW-2026-01");
  EXPECT_EQ(created->time_zone(), "UTC");
  ASSERT_EQ(created->lots_size(), 1);
  const v1::LotSpec& lot = created->lots(0);
  EXPECT_EQ(lot.title(), "Road resurfacing, section 1");
  EXPECT_EQ(FromProto(lot.submission_deadline()), kDeadline);
  EXPECT_EQ(FromProto(lot.opening_time()), kOpening);
  ASSERT_TRUE(lot.has_decryption_window());
  EXPECT_EQ(FromProto(lot.decryption_window()), absl::Minutes(30));
  ASSERT_TRUE(lot.has_min_valid_bids());
  EXPECT_EQ(lot.min_valid_bids(), 3);
  EXPECT_EQ(lot.policy(), v1::OPENING_POLICY_ANY);
  ASSERT_EQ(lot.custodians_size(), 3);
  EXPECT_EQ(lot.custodians(0), kCustodianA);
  EXPECT_EQ(lot.threshold(), 2);
}

TEST_F(DecideCreateTest, GivenValuesAreKeptNotDefaulted) {
  custodians_ = Custodians({kCustodianA, kCustodianB, kCustodianC, kCustodianD, kCustodianE});
  auto created = CreateWithLot([](v1::LotSpec& lot) {
    *lot.mutable_decryption_window() = DurationOfSeconds(24 * 3600);  // the maximum
    lot.set_min_valid_bids(1);
    lot.set_policy(v1::OPENING_POLICY_QUORUM);
    lot.add_custodians(kCustodianD);
    lot.add_custodians(kCustodianE);
    lot.set_threshold(3);
  });
  ASSERT_TRUE(created.ok()) << created.status();
  const v1::LotSpec& lot = created->lots(0);
  EXPECT_EQ(FromProto(lot.decryption_window()), absl::Hours(24));
  EXPECT_EQ(lot.min_valid_bids(), 1);
  EXPECT_EQ(lot.policy(), v1::OPENING_POLICY_QUORUM);
  EXPECT_EQ(lot.threshold(), 3);
}

TEST_F(DecideCreateTest, GivenTimeZoneIsKept) {
  v1::CreateTenderRequest req = ValidRequest();
  req.set_time_zone("Asia/Shanghai");
  auto created = Create(req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->time_zone(), "Asia/Shanghai");
}

TEST_F(DecideCreateTest, EmptyTitleIsRefused) {
  v1::CreateTenderRequest req = ValidRequest();
  req.clear_title();
  EXPECT_TRUE(InvalidField(Create(req), "title", {"required"}));
}

TEST_F(DecideCreateTest, UnknownTimeZoneIsRefused) {
  v1::CreateTenderRequest req = ValidRequest();
  req.set_time_zone("Mars/Olympus");
  EXPECT_TRUE(InvalidField(Create(req), "time_zone", {"\"Mars/Olympus\""}));
}

TEST_F(DecideCreateTest, NoLotsIsRefused) {
  v1::CreateTenderRequest req = ValidRequest();
  req.clear_lots();
  EXPECT_TRUE(InvalidField(Create(req), "lots", {"at least one lot"}));
}

TEST_F(DecideCreateTest, EmptyLotTitleIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.clear_title(); });
  EXPECT_TRUE(InvalidField(r, "lots[0].title", {"required"}));
}

TEST_F(DecideCreateTest, MissingDeadlineIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.clear_submission_deadline(); });
  EXPECT_TRUE(InvalidField(r, "lots[0].submission_deadline", {"required"}));
}

TEST_F(DecideCreateTest, DeadlineInThePastIsRefusedInTheTenderTimeZone) {
  v1::CreateTenderRequest req = ValidRequest();
  req.set_time_zone("Asia/Shanghai");
  *req.mutable_lots(0)->mutable_submission_deadline() = ToProto(kNow - absl::Hours(1));
  EXPECT_TRUE(InvalidField(
      Create(req), "lots[0].submission_deadline",
      {"2026-03-01T07:00:00+08:00 is in the past", "server time 2026-03-01T08:00:00+08:00"}));
}

TEST_F(DecideCreateTest, OpeningBeforeDeadlineIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) {
    *lot.mutable_opening_time() = ToProto(kDeadline - absl::Minutes(1));
  });
  EXPECT_TRUE(InvalidField(r, "lots[0].opening_time",
                           {"2026-03-07T23:59:00+00:00 is before the submission deadline "
                            "2026-03-08T00:00:00+00:00"}));
}

TEST_F(DecideCreateTest, ZeroDecryptionWindowIsRefused) {
  // Absent means the default; present and zero is a mistake.
  auto r = CreateWithLot(
      [](v1::LotSpec& lot) { *lot.mutable_decryption_window() = DurationOfSeconds(0); });
  EXPECT_TRUE(InvalidField(r, "lots[0].decryption_window", {"0.000 s", "(0, 24 h]"}));
}

TEST_F(DecideCreateTest, TheHallsSettingsAreFilledInAndKept) {
  auto created = Create(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  const v1::LotSpec& lot = created->lots(0);
  EXPECT_EQ(FromProto(lot.sign_in_lead()), absl::Minutes(30));
  EXPECT_EQ(FromProto(lot.confirmation_window()), absl::Minutes(10));
  ASSERT_TRUE(lot.has_objection_limit());
  EXPECT_EQ(lot.objection_limit(), 2000);
  auto given = CreateWithLot([](v1::LotSpec& lot) {
    *lot.mutable_sign_in_lead() = DurationOfSeconds(0);  // sign-in from the opening time
    *lot.mutable_confirmation_window() = DurationOfSeconds(3 * 60);
    lot.set_objection_limit(500);
  });
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(FromProto(given->lots(0).sign_in_lead()), absl::ZeroDuration());
  EXPECT_EQ(FromProto(given->lots(0).confirmation_window()), absl::Minutes(3));
  EXPECT_EQ(given->lots(0).objection_limit(), 500);
}

TEST_F(DecideCreateTest, TheHallsSettingsOutOfRangeAreRefused) {
  EXPECT_TRUE(InvalidField(CreateWithLot([](v1::LotSpec& lot) {
                             *lot.mutable_confirmation_window() = DurationOfSeconds(0);
                           }),
                           "lots[0].confirmation_window", {"0.000 s is outside (0, 24 h]"}));
  EXPECT_TRUE(InvalidField(CreateWithLot([](v1::LotSpec& lot) {
                             *lot.mutable_sign_in_lead() = DurationOfSeconds(25 * 3600);
                           }),
                           "lots[0].sign_in_lead", {"25 h is outside [0, 24 h]"}));
  EXPECT_TRUE(InvalidField(CreateWithLot([](v1::LotSpec& lot) { lot.set_objection_limit(2001); }),
                           "lots[0].objection_limit",
                           {"2001 characters is outside 1..2000 (this server's cap)"}));
  EXPECT_TRUE(InvalidField(CreateWithLot([](v1::LotSpec& lot) { lot.set_objection_limit(0); }),
                           "lots[0].objection_limit", {"0 characters is outside 1..2000"}));
}

TEST_F(DecideCreateTest, NegativeDecryptionWindowIsRefused) {
  auto r = CreateWithLot(
      [](v1::LotSpec& lot) { *lot.mutable_decryption_window() = DurationOfSeconds(-5); });
  EXPECT_TRUE(InvalidField(r, "lots[0].decryption_window", {"-5.000 s", "(0, 24 h]"}));
}

TEST_F(DecideCreateTest, DecryptionWindowOver24HoursIsRefused) {
  auto r = CreateWithLot(
      [](v1::LotSpec& lot) { *lot.mutable_decryption_window() = DurationOfSeconds(25 * 3600); });
  EXPECT_TRUE(InvalidField(r, "lots[0].decryption_window", {"25 h is outside", "(0, 24 h]"}));
}

TEST_F(DecideCreateTest, ZeroMinValidBidsIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.set_min_valid_bids(0); });
  EXPECT_TRUE(InvalidField(r, "lots[0].min_valid_bids", {"0 is outside 1..1000"}));
}

TEST_F(DecideCreateTest, NoFormFieldsIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.clear_form(); });
  EXPECT_TRUE(InvalidField(r, "lots[0].form", {"at least one opening-form field"}));
}

TEST_F(DecideCreateTest, DuplicateFormFieldNameIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) {
    v1::FormField* again = lot.add_form();
    again->set_name("price");
    again->set_type(v1::FIELD_TYPE_INT);
  });
  EXPECT_TRUE(InvalidField(r, "lots[0].form[1].name", {"duplicate field \"price\""}));
}

TEST_F(DecideCreateTest, CapitalisedFormFieldNameIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.mutable_form(0)->set_name("Price"); });
  EXPECT_TRUE(InvalidField(r, "lots[0].form[0].name", {"\"Price\" is not a field name", "[a-z]"}));
}

TEST_F(DecideCreateTest, UnspecifiedFieldTypeIsRefused) {
  auto r = CreateWithLot(
      [](v1::LotSpec& lot) { lot.mutable_form(0)->set_type(v1::FIELD_TYPE_UNSPECIFIED); });
  EXPECT_TRUE(InvalidField(r, "lots[0].form[0].type",
                           {"unknown type 0 for field \"price\"", "decimal, int, text or date"}));
}

TEST_F(DecideCreateTest, OutOfRangeFieldTypeIsRefused) {
  auto r = CreateWithLot(
      [](v1::LotSpec& lot) { lot.mutable_form(0)->set_type(static_cast<v1::FieldType>(42)); });
  EXPECT_TRUE(InvalidField(r, "lots[0].form[0].type", {"unknown type 42 for field \"price\""}));
}

TEST_F(DecideCreateTest, ZeroThresholdIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.set_threshold(0); });
  EXPECT_TRUE(InvalidField(r, "lots[0].threshold", {"0 is outside 2..3"}));
}

TEST_F(DecideCreateTest, ThresholdOneIsRefusedBecauseOneCustodianCouldReadEveryBid) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.set_threshold(1); });
  EXPECT_TRUE(
      InvalidField(r, "lots[0].threshold", {"1 is outside 2..3", "one custodian read every bid"}));
}

TEST_F(DecideCreateTest, ASingleCustodianIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_QUORUM);
    lot.clear_custodians();
    lot.add_custodians(kCustodianA);
    lot.set_threshold(1);
  });
  EXPECT_TRUE(InvalidField(r, "lots[0].custodians",
                           {"policy QUORUM needs at least 2 custodians (1 given)"}));
}

TEST_F(DecideCreateTest, ThresholdAboveCustodianCountIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_QUORUM);
    lot.set_threshold(4);
  });
  EXPECT_TRUE(InvalidField(r, "lots[0].threshold", {"4 is outside 2..3"}));
}

// Review 3 F7: with n custodians and threshold k, n - k + 1 of them block the
// lot; fewer than k of those, with the operator, would read every value and
// then choose. So n >= 2k - 1. Review 5 S6: with n >= 2k two groups of k with
// no custodian in common each open every bid, each shown its own log. So
// n = 2k - 1, for every policy with custodians.
TEST_F(DecideCreateTest, AThresholdThatLetsFewerThanItBlockTheLotIsRefused) {
  for (v1::OpeningPolicy policy :
       {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_BOTH, v1::OPENING_POLICY_ANY}) {
    auto three = CreateWithLot([policy](v1::LotSpec& lot) {
      lot.set_policy(policy);
      lot.set_threshold(3);
    });
    EXPECT_TRUE(InvalidField(three, "lots[0].threshold",
                             {"3 of 3 custodians lets 1 custodian (fewer than the threshold) block "
                              "the lot; with 3 custodians the threshold is 2 (n = 2k - 1)"}))
        << three.status();
  }
  auto two = CreateWithLot([](v1::LotSpec& lot) { lot.mutable_custodians()->RemoveLast(); });
  EXPECT_TRUE(InvalidField(two, "lots[0].threshold",
                           {"2 of 2 custodians lets 1 custodian (fewer than the threshold) block "
                            "the lot; with 2 custodians no threshold fits: name an odd number of "
                            "custodians (2 of 3, 3 of 5, ...)"}))
      << two.status();
  custodians_ = Custodians({kCustodianA, kCustodianB, kCustodianC, kCustodianD});
  auto four = CreateWithLot([](v1::LotSpec& lot) {
    lot.add_custodians(kCustodianD);
    lot.set_threshold(3);
  });
  EXPECT_TRUE(InvalidField(four, "lots[0].threshold",
                           {"3 of 4 custodians lets 2 custodians (fewer than the threshold) "
                            "block the lot; with 4 custodians no threshold fits"}))
      << four.status();
}

// Under BOTH the custodians release from 5 s after the turn (review 8 V4): a
// window under 30 s leaves one side no time.
TEST_F(DecideCreateTest, UnderBothAWindowUnderThirtySecondsIsRefused) {
  auto short_window = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_BOTH);
    *lot.mutable_decryption_window() = DurationOfSeconds(8);
  });
  EXPECT_TRUE(InvalidField(short_window, "lots[0].decryption_window",
                           {"8.000 s under policy BOTH; at least 30.000 s"}))
      << short_window.status();
  auto any = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_ANY);
    *lot.mutable_decryption_window() = DurationOfSeconds(8);
  });
  EXPECT_TRUE(any.ok()) << any.status();
  auto thirty = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_BOTH);
    *lot.mutable_decryption_window() = DurationOfSeconds(30);
  });
  EXPECT_TRUE(thirty.ok()) << thirty.status();
}

TEST_F(DecideCreateTest, AThresholdThatLetsTwoGroupsWithNoCustodianInCommonOpenIsRefused) {
  for (v1::OpeningPolicy policy :
       {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_BOTH, v1::OPENING_POLICY_ANY}) {
    custodians_ = Custodians({kCustodianA, kCustodianB, kCustodianC, kCustodianD});
    auto two_of_four = CreateWithLot([policy](v1::LotSpec& lot) {
      lot.set_policy(policy);
      lot.add_custodians(kCustodianD);
      lot.set_threshold(2);
    });
    EXPECT_TRUE(InvalidField(two_of_four, "lots[0].threshold",
                             {"2 of 4 custodians lets two groups of 2 with no custodian in common "
                              "each open every bid",
                              "a split view", "with 4 custodians no threshold fits"}))
        << two_of_four.status();
  }
  custodians_ = Custodians({kCustodianA, kCustodianB, kCustodianC, kCustodianD, kCustodianE});
  auto two_of_five = CreateWithLot([](v1::LotSpec& lot) {
    lot.add_custodians(kCustodianD);
    lot.add_custodians(kCustodianE);
    lot.set_threshold(2);
  });
  EXPECT_TRUE(InvalidField(two_of_five, "lots[0].threshold",
                           {"2 of 5 custodians lets two groups of 2",
                            "with 5 custodians the threshold is 3 (n = 2k - 1)"}))
      << two_of_five.status();
  auto three_of_five = CreateWithLot([](v1::LotSpec& lot) {
    lot.add_custodians(kCustodianD);
    lot.add_custodians(kCustodianE);
    lot.set_threshold(3);
  });
  EXPECT_TRUE(three_of_five.ok()) << three_of_five.status();
  EXPECT_EQ(QuorumShapeProblem(3, 2), "");
  EXPECT_EQ(QuorumShapeProblem(7, 4), "");
  EXPECT_NE(QuorumShapeProblem(6, 3), "");
}

TEST_F(DecideCreateTest, ADeadlineCloserThanTheMinimumLeadIsRefusedNamingTheFlag) {
  v1::CreateTenderRequest req = ValidRequest();  // deadline 7 days ahead
  EXPECT_TRUE(DecideCreate(req, kNow, custodians_, absl::Hours(24 * 7)).ok());
  auto r = DecideCreate(req, kNow, custodians_, absl::Hours(24 * 7 + 1));
  EXPECT_TRUE(InvalidField(
      r, "lots[0].submission_deadline",
      {"2026-03-08T00:00:00+00:00 is only 168 h ahead", "at least 169 h", "--min-lead-time"}));
}

TEST_F(DecideCreateTest, UnregisteredCustodianIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.set_custodians(0, kStranger); });
  EXPECT_TRUE(InvalidField(r, "lots[0].custodians[0]",
                           {absl::StrCat("unknown custodian \"", kStranger, "\"")}));
}

TEST_F(DecideCreateTest, DuplicateCustodianIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.add_custodians(kCustodianA); });
  EXPECT_TRUE(InvalidField(r, "lots[0].custodians[3]",
                           {absl::StrCat("duplicate custodian ", kCustodianA)}));
}

TEST_F(DecideCreateTest, PolicyAnyWithoutCustodiansIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_ANY);
    lot.clear_custodians();
    lot.clear_threshold();
  });
  EXPECT_TRUE(
      InvalidField(r, "lots[0].custodians", {"policy ANY needs at least 2 custodians (0 given)"}));
}

TEST_F(DecideCreateTest, PolicyBidderWithCustodiansIsRefused) {
  auto r = CreateWithLot([](v1::LotSpec& lot) { lot.set_policy(v1::OPENING_POLICY_BIDDER); });
  EXPECT_TRUE(InvalidField(r, "lots[0].custodians", {"policy BIDDER", "give no custodians"}));
}

TEST_F(DecideCreateTest, PolicyBidderWithoutCustodiansPasses) {
  auto created = CreateWithLot([](v1::LotSpec& lot) {
    lot.set_policy(v1::OPENING_POLICY_BIDDER);
    lot.clear_custodians();
    lot.clear_threshold();
  });
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->lots(0).policy(), v1::OPENING_POLICY_BIDDER);
}

TEST_F(DecideCreateTest, ErrorInSecondLotNamesLotOne) {
  v1::CreateTenderRequest req = ValidRequest();
  v1::LotSpec* second = req.add_lots();
  *second = ValidLot();
  second->set_title("Street lighting");
  second->mutable_form(0)->set_name("Price");
  EXPECT_TRUE(InvalidField(Create(req), "lots[1].form[0].name", {"\"Price\""}));
}

// --- Amend and cancel, on a tender folded from its events. ---

v1::Party Agency(char fingerprint_digit, absl::string_view organization) {
  v1::Party p;
  p.set_fingerprint(std::string(64, fingerprint_digit));
  p.set_organization(std::string(organization));
  p.set_common_name("clerk");
  p.set_role(v1::ROLE_AGENCY);
  return p;
}

const v1::Party kOwner = Agency('1', "City Works Bureau");
const v1::Party kOtherAgency = Agency('2', "Harbour Authority");

v1::Event EventOf(uint64_t seq, absl::Time time, const v1::Party& actor) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(time);
  *e.mutable_actor() = actor;
  e.set_tender_id("T-1");
  return e;
}

class TenderChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created =
        DecideCreate(ValidRequest(), kNow, Custodians({kCustodianA, kCustodianB, kCustodianC}));
    ASSERT_TRUE(created.ok()) << created.status();
    v1::Event e = EventOf(0, kNow, kOwner);
    *e.mutable_tender_created() = *created;
    events_.push_back(e);
  }

  void AppendCancel(int lot) {
    v1::Event e = EventOf(events_.size(), kNow + absl::Minutes(10), kOwner);
    e.mutable_tender_cancelled()->set_lot(lot);
    e.mutable_tender_cancelled()->set_reason("budget withdrawn");
    events_.push_back(e);
  }

  fold::Tender Tender() const {
    auto t = FoldTender(events_);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? t->tender : fold::Tender();
  }

  std::vector<v1::Event> events_;
};

class DecideAmendTest : public TenderChangeTest {
 protected:
  // Moves lot 1 two days later, an hour after the tender was created.
  static v1::AmendLotRequest Postpone() {
    v1::AmendLotRequest req;
    req.set_tender_id("T-1");
    req.set_lot(1);
    *req.mutable_submission_deadline() = ToProto(kDeadline + absl::Hours(48));
    *req.mutable_opening_time() = ToProto(kOpening + absl::Hours(48));
    req.set_reason("clarification on drawings issued");
    return req;
  }
  absl::StatusOr<v1::LotAmended> Amend(const v1::AmendLotRequest& req,
                                       const v1::Party& actor = kOwner,
                                       absl::Time now = kNow + absl::Hours(1)) {
    return DecideAmend(Tender(), req, actor, now);
  }
};

TEST_F(DecideAmendTest, OwnerMayPostponeBeforeTheDeadline) {
  auto amended = Amend(Postpone());
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->lot(), 1);
  EXPECT_EQ(FromProto(amended->submission_deadline()), kDeadline + absl::Hours(48));
  EXPECT_EQ(FromProto(amended->opening_time()), kOpening + absl::Hours(48));
  EXPECT_EQ(amended->reason(), "clarification on drawings issued");
}

TEST_F(DecideAmendTest, AbsentOpeningTimeKeepsTheCurrentOne) {
  v1::AmendLotRequest req = Postpone();
  *req.mutable_submission_deadline() = ToProto(kDeadline + absl::Minutes(30));
  req.clear_opening_time();
  auto amended = Amend(req);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(FromProto(amended->opening_time()), kOpening);
}

TEST_F(DecideAmendTest, OtherAgencyIsDenied) {
  EXPECT_TRUE(StatusIs(Amend(Postpone(), kOtherAgency), absl::StatusCode::kPermissionDenied,
                       {"tender T-1", "(City Works Bureau)", "may amend it"}));
}

TEST_F(DecideAmendTest, UnknownLotIsNotFound) {
  v1::AmendLotRequest req = Postpone();
  req.set_lot(7);
  EXPECT_TRUE(
      StatusIs(Amend(req), absl::StatusCode::kNotFound, {"tender T-1 has no lot 7", "lots 1..1"}));
}

TEST_F(DecideAmendTest, AfterTheDeadlineIsTooLate) {
  auto r = Amend(Postpone(), kOwner, kDeadline + absl::Minutes(5));
  EXPECT_TRUE(StatusIs(r, absl::StatusCode::kFailedPrecondition,
                       {"submission deadline 2026-03-08T00:00:00+00:00", "passed 5 min ago"}));
}

TEST_F(DecideAmendTest, EmptyReasonIsRefused) {
  v1::AmendLotRequest req = Postpone();
  req.clear_reason();
  EXPECT_TRUE(InvalidField(Amend(req), "reason", {"required"}));
}

TEST_F(DecideAmendTest, NewOpeningBeforeNewDeadlineIsRefused) {
  v1::AmendLotRequest req = Postpone();
  *req.mutable_opening_time() = ToProto(kDeadline + absl::Hours(47));
  EXPECT_TRUE(InvalidField(Amend(req), "opening_time",
                           {"2026-03-09T23:00:00+00:00 is before the submission deadline "
                            "2026-03-10T00:00:00+00:00"}));
}

TEST_F(DecideAmendTest, LaterDeadlineAloneLeavingOpeningBeforeItIsRefused) {
  v1::AmendLotRequest req = Postpone();
  req.clear_opening_time();  // the current opening, 2026-03-08T01:00Z, stays
  EXPECT_TRUE(InvalidField(Amend(req), "opening_time",
                           {"2026-03-08T01:00:00+00:00 is before the submission deadline "
                            "2026-03-10T00:00:00+00:00"}));
}

TEST_F(DecideAmendTest, UnchangedTimesAreRefused) {
  v1::AmendLotRequest req = Postpone();
  *req.mutable_submission_deadline() = ToProto(kDeadline);
  *req.mutable_opening_time() = ToProto(kOpening);
  EXPECT_TRUE(InvalidField(Amend(req), "submission_deadline", {"equal the current ones"}));
}

TEST_F(DecideAmendTest, NoNewTimesAreRefused) {
  v1::AmendLotRequest req = Postpone();
  req.clear_submission_deadline();
  req.clear_opening_time();
  EXPECT_TRUE(InvalidField(Amend(req), "submission_deadline", {"give a new submission deadline"}));
}

TEST_F(DecideAmendTest, CancelledTenderCannotBeAmended) {
  AppendCancel(0);
  EXPECT_TRUE(StatusIs(Amend(Postpone()), absl::StatusCode::kFailedPrecondition,
                       {"lot 1 of tender T-1 is cancelled"}));
}

class DecideCancelTest : public TenderChangeTest {
 protected:
  static v1::CancelTenderRequest CancelAll() {
    v1::CancelTenderRequest req;
    req.set_tender_id("T-1");
    req.set_lot(0);
    req.set_reason("budget withdrawn");
    return req;
  }
};

TEST_F(DecideCancelTest, OwnerMayCancel) {
  auto cancelled = DecideCancel(Tender(), CancelAll(), kOwner);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->lot(), 0);
  EXPECT_EQ(cancelled->reason(), "budget withdrawn");
}

TEST_F(DecideCancelTest, EmptyReasonIsRefused) {
  v1::CancelTenderRequest req = CancelAll();
  req.clear_reason();
  EXPECT_TRUE(InvalidField(DecideCancel(Tender(), req, kOwner), "reason", {"required"}));
}

TEST_F(DecideCancelTest, AlreadyCancelledIsRefused) {
  AppendCancel(0);
  EXPECT_TRUE(StatusIs(DecideCancel(Tender(), CancelAll(), kOwner),
                       absl::StatusCode::kFailedPrecondition, {"tender T-1 is already cancelled"}));
}

TEST_F(DecideCancelTest, OtherAgencyIsDenied) {
  EXPECT_TRUE(StatusIs(DecideCancel(Tender(), CancelAll(), kOtherAgency),
                       absl::StatusCode::kPermissionDenied,
                       {"tender T-1", "(City Works Bureau)", "may cancel it"}));
}

}  // namespace
}  // namespace bidopen
