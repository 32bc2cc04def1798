// Authorization fails closed: every method of every service bidopend serves
// has a rule, and a table missing one stops the start naming the method.
// (No database: it sits with the server-linked tests.)
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "bidopen/v1/audit.grpc.pb.h"
#include "bidopen/v1/bid.grpc.pb.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/evaluation.grpc.pb.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "server/auth/policy.h"
#include "tests/unit/assertions.h"

namespace bidopen::testing {
namespace {

// The services server/server.cc registers, the UNIMPLEMENTED ones included.
const std::vector<std::string> kServed = {
    v1::TenderService::service_full_name(),    v1::IdentityService::service_full_name(),
    v1::BidService::service_full_name(),       v1::OpeningService::service_full_name(),
    v1::CustodyService::service_full_name(),   v1::AuditService::service_full_name(),
    v1::EvaluationService::service_full_name()};

// Links each API file's generated code (and so its descriptors) into this
// test, as constructing the services does in bidopend.
class MethodRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto* d :
         {v1::LotRef::descriptor(), v1::ReleaseLotKeyRequest::descriptor(),
          v1::ReportRequest::descriptor(), v1::Tender::descriptor(), v1::Party::descriptor(),
          v1::Receipt::descriptor(), v1::SignedTreeHead::descriptor()})
      ASSERT_NE(d, nullptr);
  }
};

TEST_F(MethodRulesTest, EveryServedMethodHasARule) {
  EXPECT_TRUE(auth::CheckEveryMethodHasARule(kServed).ok());
}

TEST_F(MethodRulesTest, AMethodWithoutARuleStopsTheStartNamingIt) {
  auth::MethodRules missing = auth::Rules();
  missing.erase("/bidopen.v1.CustodyService/ReleaseLotKey");
  EXPECT_TRUE(StatusIs(auth::CheckEveryMethodHasARule(kServed, missing),
                       absl::StatusCode::kFailedPrecondition,
                       {"method /bidopen.v1.CustodyService/ReleaseLotKey has no authorization "
                        "rule"}));
}

TEST_F(MethodRulesTest, AServiceWhoseDescriptorIsUnknownStopsTheStart) {
  const std::vector<std::string> unknown = {"bidopen.v1.NoSuchService"};
  EXPECT_TRUE(StatusIs(auth::CheckEveryMethodHasARule(unknown),
                       absl::StatusCode::kFailedPrecondition, {"bidopen.v1.NoSuchService"}));
}

TEST_F(MethodRulesTest, DeclaredButUnbuiltMethodsAllowNoRole) {
  for (v1::Role role : {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR,
                        v1::ROLE_AUDITOR, v1::ROLE_OPERATOR})
    EXPECT_FALSE(auth::Allowed(auth::Action::kNotBuilt, role)) << role;
  EXPECT_TRUE(auth::Allowed(auth::Action::kRevokeCertificate, v1::ROLE_OPERATOR));
  EXPECT_FALSE(auth::Allowed(auth::Action::kRevokeCertificate, v1::ROLE_AGENCY));
}

// The live hall's rows of the table (docs/opening-hall.md): bidders sign in,
// confirm and object; the agency answers and closes; the record is for the
// lot's participants watch it live; the record, a function of the log that
// every role reads, is for every role.
TEST_F(MethodRulesTest, TheHallsRowsAllowExactlyTheirRoles) {
  using auth::Action;
  const std::vector<std::pair<Action, std::vector<v1::Role>>> rows = {
      {Action::kSignIn, {v1::ROLE_BIDDER}},
      {Action::kRespond, {v1::ROLE_BIDDER}},
      {Action::kAnswer, {v1::ROLE_AGENCY}},
      {Action::kCloseOpening, {v1::ROLE_AGENCY}},
      {Action::kReadRecord,
       {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR,
        v1::ROLE_OPERATOR}},
  };
  for (const auto& [action, allowed] : rows)
    for (v1::Role role : {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR,
                          v1::ROLE_AUDITOR, v1::ROLE_OPERATOR}) {
      const bool expected = std::find(allowed.begin(), allowed.end(), role) != allowed.end();
      EXPECT_EQ(auth::Allowed(action, role), expected)
          << "action " << static_cast<int>(action) << ", role " << role;
    }
  EXPECT_EQ(auth::Rules().at("/bidopen.v1.OpeningService/Confirm"), Action::kRespond);
  EXPECT_EQ(auth::Rules().at("/bidopen.v1.OpeningService/Object"), Action::kRespond);
  EXPECT_EQ(auth::Rules().at("/bidopen.v1.OpeningService/GetRecord"), Action::kReadRecord);
  EXPECT_EQ(auth::Rules().at("/bidopen.v1.OpeningService/Rate"), Action::kNotBuilt);
}

// Review 4 R5: only a bidder puts back its sealed file, and the call appends
// (BidFileRestored), so it spends the caller's rate limit.
TEST_F(MethodRulesTest, OnlyABidderResuppliesItsSealedFile) {
  using auth::Action;
  EXPECT_EQ(auth::Rules().at("/bidopen.v1.OpeningService/ResupplyBid"), Action::kResupplyBid);
  for (v1::Role role : {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR,
                        v1::ROLE_AUDITOR, v1::ROLE_OPERATOR})
    EXPECT_EQ(auth::Allowed(Action::kResupplyBid, role), role == v1::ROLE_BIDDER) << role;
  EXPECT_TRUE(auth::AppendsToLog(Action::kResupplyBid));
}

}  // namespace
}  // namespace bidopen::testing
