// bidctl audit head|fetch|verify|replay against a real bidopend, and offline.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <fstream>

#include "bidopen/v1/audit.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class AuditTest : public E2eTest {
 protected:
  // A tender with an amendment: two events of its own in the log.
  std::string TenderWithHistory() {
    std::string id = CreateTender();
    CommandResult r = Bidctl(
        "agency1", {"tender", "amend", id, "--deadline", InDays(40), "--reason", "addendum 1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return id;
  }
  std::string Bundle() const { return dir_.path() + "/bundle.json"; }
};

TEST_F(AuditTest, BundleFetchedOnlineVerifiesOfflineWithNoServer) {
  std::string id = TenderWithHistory();
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", id, "-o", Bundle()});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_TRUE(Has(fetch.err, "wrote 2 events of tender " + id)) << fetch.err;
  KillServer();
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", Bundle()});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(Has(verify.out, "OK: 2 events verified against the signed head")) << verify.out;
}

TEST_F(AuditTest, ReplayOfTheBundleEqualsWhatTheServerShows) {
  std::string id = TenderWithHistory();
  ASSERT_EQ(Bidctl("auditor1", {"audit", "fetch", id, "-o", Bundle()}).exit_code, 0);
  CommandResult shown = Bidctl("auditor1", {"--json", "tender", "show", id});
  CommandResult replayed = Bidctl("auditor1", {"--json", "audit", "replay", Bundle()});
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_EQ(replayed.out, shown.out);
}

TEST_F(AuditTest, LotBundleReplaysThatLot) {
  std::string id = TenderWithHistory();
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", id + "/1", "-o", Bundle()});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_TRUE(Has(fetch.err, "of tender " + id + " (for lot 1)")) << fetch.err;
  CommandResult replayed = Bidctl("auditor1", {"audit", "replay", Bundle()});
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_TRUE(Has(replayed.out, "Lot 1  Road resurfacing  [POSTPONED]")) << replayed.out;
  CommandResult bad = Bidctl("auditor1", {"audit", "fetch", id + "/x", "-o", Bundle()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Has(bad.err, "INVALID_ARGUMENT: \"" + id + "/x\": write TENDER, TENDER/LOT"))
      << bad.err;
  CommandResult missing = Bidctl("auditor1", {"audit", "fetch", id + "/4", "-o", Bundle()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Has(missing.err, "NOT_FOUND: tender " + id + " has no lot 4")) << missing.err;
}

TEST_F(AuditTest, WholeLogBundleVerifies) {
  TenderWithHistory();
  ASSERT_EQ(Bidctl("custodian1", {"identity", "register-key"}).exit_code, 0);
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", "all", "-o", Bundle()});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", Bundle()});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(Has(verify.out, "OK: 4 events")) << verify.out;  // tender, amendment, key, lot keys
}

TEST_F(AuditTest, EditedBundleFailsNamingTheEvent) {
  std::string id = TenderWithHistory();
  ASSERT_EQ(Bidctl("auditor1", {"audit", "fetch", id, "-o", Bundle()}).exit_code, 0);
  // Swap the two entries' inclusion paths: neither fits; the first is named.
  std::string json = ReadWholeFile(Bundle());
  auto first = json.find("\"inclusion_path\"");
  auto second = json.find("\"inclusion_path\"", first + 1);
  ASSERT_NE(second, std::string::npos);
  std::string a = json.substr(first, json.find(']', first) - first);
  std::string b = json.substr(second, json.find(']', second) - second);
  json.replace(second, b.size(), a);
  json.replace(first, a.size(), b);
  std::ofstream(Bundle()) << json;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", Bundle()});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(Has(verify.err, "DATA_LOSS: event 0: inclusion proof for leaf 0 in tree of size 2"))
      << verify.err;
}

TEST_F(AuditTest, HeadsAreRememberedAndARewrittenHistoryIsReported) {
  TenderWithHistory();
  CommandResult first = Bidctl("auditor1", {"audit", "head"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(Has(first.out, "first head seen from this log")) << first.out;
  CreateTender();
  CommandResult second = Bidctl("auditor1", {"audit", "head"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(Has(second.out, "consistent with the head of size 2")) << second.out;

  // The operator replaces the database with another history of the same
  // length and more, signed with the same log key.
  KillServer();
  TestDatabase other;
  StartServer(&other);
  for (int i = 0; i < 4; ++i) CreateTender();
  CommandResult head = Bidctl("auditor1", {"audit", "head"});
  EXPECT_EQ(head.exit_code, 1);
  EXPECT_TRUE(Has(head.err,
                  "DATA_LOSS: history was rewritten: the signed head of size 4 is "
                  "not consistent with the earlier signed head of size 3"))
      << head.err;
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", "all", "-o", Bundle()});
  EXPECT_EQ(fetch.exit_code, 1);
  EXPECT_TRUE(Has(fetch.err, "history was rewritten")) << fetch.err;
  KillServer();
}

}  // namespace
}  // namespace bidopen::testing

namespace bidopen::testing {
namespace {

class AuditRpcTest : public E2eTest {
 protected:
  std::unique_ptr<v1::AuditService::Stub> Stub() {
    grpc::SslCredentialsOptions opts;
    opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
    opts.pem_cert_chain = ReadWholeFile(Cert("auditor1"));
    opts.pem_private_key = ReadWholeFile(Key("auditor1"));
    return v1::AuditService::NewStub(grpc::CreateChannel(server(), grpc::SslCredentials(opts)));
  }
};

TEST_F(AuditRpcTest, BadProofRequestsNameTheValue) {
  CreateTender();  // log size 1
  auto stub = Stub();
  {
    grpc::ClientContext ctx;
    v1::GetInclusionProofRequest req;
    req.set_index(0);
    req.set_tree_size(5);
    v1::InclusionProof out;
    grpc::Status st = stub->GetInclusionProof(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::OUT_OF_RANGE);
    EXPECT_EQ(st.error_message(), "tree_size: 5 is beyond the log's size 1");
  }
  {
    grpc::ClientContext ctx;
    v1::GetInclusionProofRequest req;
    req.set_index(3);
    req.set_tree_size(1);
    v1::InclusionProof out;
    grpc::Status st = stub->GetInclusionProof(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("index: leaf 3 is not in a tree of size 1"),
              std::string::npos)
        << st.error_message();
  }
  {
    grpc::ClientContext ctx;
    v1::GetConsistencyProofRequest req;
    req.set_first(2);
    req.set_second(1);
    v1::ConsistencyProof out;
    grpc::Status st = stub->GetConsistencyProof(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("first: tree size 2 is larger than second tree size 1"),
              std::string::npos)
        << st.error_message();
  }
  {
    grpc::ClientContext ctx;
    v1::GetEventsRequest req;
    req.set_end(9);
    v1::GetEventsResponse out;
    grpc::Status st = stub->GetEvents(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::OUT_OF_RANGE);
    EXPECT_EQ(st.error_message(), "end: 9 is beyond the log's size 1");
  }
  {
    grpc::ClientContext ctx;
    v1::GetEventsRequest req;
    req.set_tender_id("T-0000000000");
    v1::GetEventsResponse out;
    grpc::Status st = stub->GetEvents(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(st.error_message(), "tender T-0000000000 has no events");
  }
}

}  // namespace
}  // namespace bidopen::testing
