// The server's edges against a hostile client (issue 10 items 1 and 3): rate
// limits on appending calls, requests bounded in size and fields, and every
// list and event response bounded in bytes and paged.
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/time_util.h>

#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "core/crypto/certificate.h"
#include "core/crypto/x25519.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

using google::protobuf::util::TimeUtil;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

grpc::Status RegisterFreshKey(v1::IdentityService::Stub& stub) {
  auto pair = crypto::GenerateX25519();
  EXPECT_TRUE(pair.ok());
  v1::RegisterKeyRequest req;
  req.set_x25519_public_key(pair->public_key);
  v1::RegisteredKey out;
  grpc::ClientContext ctx;
  return stub.RegisterKey(&ctx, req, &out);
}

uint64_t LogSize(v1::AuditService::Stub& stub) {
  grpc::ClientContext ctx;
  v1::SignedTreeHead head;
  EXPECT_TRUE(stub.GetTreeHead(&ctx, v1::GetTreeHeadRequest(), &head).ok());
  return head.size();
}

// The attack: one bidder appended 7,875 permanent key events in 5 s.
TEST_F(E2eTest, RegisterKeySpamIsRefusedWithWhenToRetryAndAppendsNothing) {
  auto stub = v1::IdentityService::NewStub(Channel("bidder1"));
  auto audit = v1::AuditService::NewStub(Channel("auditor1"));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(RegisterFreshKey(*stub).ok()) << i;
  absl::SleepFor(absl::Milliseconds(500));  // a head covering the five
  const uint64_t size = LogSize(*audit);
  for (int i = 0; i < 50; ++i) {
    grpc::Status st = RegisterFreshKey(*stub);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << i << st.error_message();
    EXPECT_TRUE(Has(st.error_message(),
                    "RegisterKey: at most 5 key registrations at once and then "
                    "one every 10m per certificate; retry in "))
        << st.error_message();
  }
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(LogSize(*audit), size);
  // Another identity has its own budget.
  auto other = v1::IdentityService::NewStub(Channel("bidder2"));
  EXPECT_TRUE(RegisterFreshKey(*other).ok());
  // bidctl shows the refusal as it is.
  CommandResult r = Bidctl("bidder1", {"identity", "register-key", "--rotate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "RESOURCE_EXHAUSTED: RegisterKey: at most 5")) << r.err;
}

// Found by a try-out: `register-key --rotate` wrote the new private key over
// the kept one before the server answered, so a refused rotation (here the
// rate limit) left the bidder without the key the server holds.
TEST_F(E2eTest, ARefusedKeyRotationKeepsTheRegisteredKey) {
  const std::string fp = crypto::PartyFromPem(ReadWholeFile(Cert("bidder1")))->fingerprint();
  const std::string key = dir_.path() + "/config/keys/" + fp + ".x25519";
  ASSERT_EQ(Bidctl("bidder1", {"identity", "register-key"}).exit_code, 0);
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(Bidctl("bidder1", {"identity", "register-key", "--rotate"}).exit_code, 0) << i;
  const std::string kept = ReadWholeFile(key);
  CommandResult refused = Bidctl("bidder1", {"identity", "register-key", "--rotate"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Has(refused.err, "RESOURCE_EXHAUSTED: RegisterKey: at most 5")) << refused.err;
  EXPECT_EQ(ReadWholeFile(key), kept);
  EXPECT_FALSE(std::filesystem::exists(key + ".pending"));
}

// Found by a try-out: a request that does not parse (invalid UTF-8 in a
// string) made protobuf log a line each, so any client could grow the log.
TEST_F(E2eTest, RequestsThatDoNotParseAreRefusedAndLogBoundedly) {
  auto stub = v1::TenderService::NewStub(Channel("bidder1"));
  for (int i = 0; i < 40; ++i) {
    v1::GetTenderRequest req;
    req.set_tender_id("T-CX21ZVW0J\xff");
    grpc::ClientContext ctx;
    v1::Tender out;
    EXPECT_FALSE(stub->GetTender(&ctx, req, &out).ok()) << i;
  }
  const std::string log = ServerLog();
  size_t lines = 0;
  for (size_t at = log.find("[libprotobuf"); at != std::string::npos;
       at = log.find("[libprotobuf", at + 1))
    ++lines;
  EXPECT_GE(lines, 1u) << log;
  EXPECT_LE(lines, 10u) << log;
  EXPECT_EQ(Bidctl("bidder1", {"tender", "list"}).exit_code, 0);
}

class AppendLimitTest : public E2eTest {
 protected:
  AppendLimitTest() { server_flags_ = {"--append-burst", "3", "--append-interval", "3600"}; }
};

TEST_F(AppendLimitTest, TenderSpamSpendsTheAppendBudget) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(CreateTender().empty()) << i;
  CommandResult r =
      Bidctl("agency1", {"tender", "create", "--title", "One too many", "--deadline", InDays(30),
                         "--field", "price:decimal:CNY", "--policy", "BIDDER"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err,
                  "RESOURCE_EXHAUSTED: CreateTender: at most 3 calls that append to the "
                  "log at once and then one every 1h per certificate; retry in "))
      << r.err;
  // Reads are not limited.
  EXPECT_EQ(Bidctl("agency1", {"tender", "list"}).exit_code, 0);
}

v1::CreateTenderRequest ValidCreate() {
  v1::CreateTenderRequest req;
  req.set_title("Edge");
  req.set_time_zone("UTC");
  v1::LotSpec* lot = req.add_lots();
  lot->set_title("Lot 1");
  *lot->mutable_submission_deadline() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 30)));
  *lot->mutable_opening_time() = lot->submission_deadline();
  lot->set_policy(v1::OPENING_POLICY_BIDDER);
  v1::FormField* price = lot->add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  price->set_unit("CNY");
  return req;
}

// The attack: unknown fields were copied into events, 2.5 MB each, until
// `tender list` failed for everyone.
TEST_F(E2eTest, UnknownFieldsAndOversizedRequestsStoreNothing) {
  auto stub = v1::TenderService::NewStub(Channel("agency1"));
  auto audit = v1::AuditService::NewStub(Channel("auditor1"));
  {
    v1::CreateTenderRequest req = ValidCreate();
    req.GetReflection()->MutableUnknownFields(&req)->AddLengthDelimited(99, std::string(1000, 'x'));
    grpc::ClientContext ctx;
    v1::Tender out;
    grpc::Status st = stub->CreateTender(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(Has(st.error_message(), "a field this server does not know (number 99)"))
        << st.error_message();
  }
  {
    v1::CreateTenderRequest req = ValidCreate();
    req.GetReflection()->MutableUnknownFields(&req)->AddLengthDelimited(99,
                                                                        std::string(2500000, 'x'));
    grpc::ClientContext ctx;
    v1::Tender out;
    grpc::Status st = stub->CreateTender(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
  }
  EXPECT_EQ(LogSize(*audit), 0u);
  grpc::ClientContext ctx;
  Sign(&ctx, "agency1", "/bidopen.v1.TenderService/CreateTender", ValidCreate());
  v1::Tender ok;
  grpc::Status created = stub->CreateTender(&ctx, ValidCreate(), &ok);
  ASSERT_TRUE(created.ok()) << created.error_message();
  CommandResult list = Bidctl("bidder1", {"tender", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Has(list.out, ok.id())) << list.out;
}

class PagedTest : public E2eTest {
 protected:
  static constexpr size_t kLimit = 4096;
  PagedTest() { server_flags_ = {"--max-response-bytes", absl::StrCat(kLimit)}; }
};

// Review 4 R2 at the edge: an action the log keeps signed (docs/protocol.md
// "Signed actions") without its maker's signature, signed with another key,
// over another request, or replayed, is refused and appends nothing; the
// signed ones verify in `audit verify`.
TEST_F(E2eTest, AnUnsignedOrMissignedActionIsRefusedAndNothingIsAppended) {
  constexpr char kCreate[] = "/bidopen.v1.TenderService/CreateTender";
  constexpr char kAmend[] = "/bidopen.v1.TenderService/AmendLot";
  auto stub = v1::TenderService::NewStub(Channel("agency1"));
  auto audit = v1::AuditService::NewStub(Channel("auditor1"));
  v1::Tender out;
  auto refused = [&](const std::string& metadata, const v1::CreateTenderRequest& req,
                     const std::string& expected) {
    grpc::ClientContext ctx;
    if (!metadata.empty()) ctx.AddMetadata("bidopen-action-bin", metadata);
    grpc::Status st = stub->CreateTender(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_TRUE(Has(st.error_message(), expected)) << st.error_message();
  };
  const v1::CreateTenderRequest req = ValidCreate();
  refused("", req,
          "bidopen-action-bin: required: /bidopen.v1.TenderService/CreateTender is an "
          "action the log keeps signed");
  refused(SignedAction("bidder1", kCreate, req), req,
          "bidopen-action-bin: the signature over the /bidopen.v1.TenderService/CreateTender "
          "request");
  v1::CreateTenderRequest other = req;
  other.set_title("Another title");
  refused(SignedAction("agency1", kCreate, other), req, "the signature over the");
  refused(SignedAction("agency1", kAmend, req), req, "the signature over the");
  refused("not a SignedAction", req, "does not parse as a bidopen.v1.SignedAction");
  EXPECT_EQ(LogSize(*audit), 0u);

  grpc::ClientContext ctx;
  ctx.AddMetadata("bidopen-action-bin", SignedAction("agency1", kCreate, req));
  ASSERT_TRUE(stub->CreateTender(&ctx, req, &out).ok());
  auto amend_to = [&](int days) {
    v1::AmendLotRequest amend;
    amend.set_tender_id(out.id());
    amend.set_lot(1);
    *amend.mutable_submission_deadline() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * days)));
    amend.set_reason("addendum");
    return amend;
  };
  auto call = [&](const v1::AmendLotRequest& amend, const std::string& metadata) {
    grpc::ClientContext c;
    c.AddMetadata("bidopen-action-bin", metadata);
    return stub->AmendLot(&c, amend, &out);
  };
  const v1::AmendLotRequest first = amend_to(40);
  const std::string signed_first = SignedAction("agency1", kAmend, first);
  ASSERT_TRUE(call(first, signed_first).ok());
  const v1::AmendLotRequest second = amend_to(50);
  ASSERT_TRUE(call(second, SignedAction("agency1", kAmend, second)).ok());
  // The first request again, which would move the deadline back: used once.
  grpc::Status replayed = call(first, signed_first);
  EXPECT_EQ(replayed.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << replayed.error_message();
  EXPECT_TRUE(Has(replayed.error_message(), "a signed request is used once"))
      << replayed.error_message();
  EXPECT_EQ(LogSize(*audit), 3u);
  const std::string bundle = dir_.path() + "/bundle.json";
  ASSERT_EQ(Bidctl("auditor1", {"audit", "fetch", out.id(), "-o", bundle}).exit_code, 0);
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(Has(verify.out, "3 actions of agencies and bidders")) << verify.out;
}

// Every GetEvents response, with and without a tender filter, stays within
// the limit; following next_start gives every entry once, in order.
TEST_F(PagedTest, EventsArePagedByBytesWithAndWithoutATenderFilter) {
  std::string id = CreateTender();
  for (int i = 0; i < 12; ++i) {
    CommandResult r = Bidctl("agency1", {"tender", "amend", id, "--deadline", InDays(40 + i),
                                         "--reason", std::string(1000, 'a' + i)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CreateTender();  // an event of another tender in between
  auto stub = v1::AuditService::NewStub(Channel("auditor1"));
  absl::SleepFor(absl::Milliseconds(500));
  const uint64_t size = LogSize(*stub);
  for (const std::string& filter : {std::string(), id}) {
    v1::GetEventsRequest req;
    req.set_tender_id(filter);
    std::vector<uint64_t> seqs;
    int pages = 0;
    for (;;) {
      grpc::ClientContext ctx;
      v1::GetEventsResponse page;
      ASSERT_TRUE(stub->GetEvents(&ctx, req, &page).ok());
      ++pages;
      ASSERT_GT(page.entries_size(), 0);
      size_t bytes = 0;
      for (const auto& e : page.entries()) bytes += e.ByteSizeLong();
      EXPECT_TRUE(bytes <= kLimit || page.entries_size() == 1) << bytes;
      for (const auto& e : page.entries()) seqs.push_back(e.seq());
      if (page.next_start() == 0) break;
      req.set_start(page.next_start());
    }
    EXPECT_GT(pages, 2) << "filter '" << filter << "'";
    EXPECT_EQ(seqs.size(), filter.empty() ? size : size - 1);
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
    EXPECT_EQ(std::set<uint64_t>(seqs.begin(), seqs.end()).size(), seqs.size());
  }
  // bidctl follows the pages: the bundle has all 13 events and verifies.
  const std::string bundle = dir_.path() + "/bundle.json";
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", id, "-o", bundle});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_TRUE(Has(fetch.err, "wrote 13 events of tender " + id)) << fetch.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST_F(PagedTest, TenderAndKeyListsArePagedByBytes) {
  std::set<std::string> created;
  for (int i = 0; i < 12; ++i)
    created.insert(CreateTender({{"--title", std::string(290, 'a' + i)}}));
  auto stub = v1::TenderService::NewStub(Channel("bidder1"));
  v1::ListTendersRequest req;
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    grpc::ClientContext ctx;
    v1::ListTendersResponse page;
    ASSERT_TRUE(stub->ListTenders(&ctx, req, &page).ok());
    ++pages;
    EXPECT_TRUE(page.ByteSizeLong() <= kLimit + 64 || page.tenders_size() == 1)
        << page.ByteSizeLong();
    for (const auto& t : page.tenders()) EXPECT_TRUE(seen.insert(t.id()).second) << t.id();
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_GT(pages, 1);
  EXPECT_EQ(seen, created);

  for (const char* who : {"bidder1", "bidder2", "bidder3", "custodian1", "custodian2"})
    ASSERT_EQ(Bidctl(who, {"identity", "register-key"}).exit_code, 0) << who;
  auto keys = v1::IdentityService::NewStub(Channel("auditor1"));
  v1::ListKeysRequest kreq;
  std::set<std::string> parties;
  pages = 0;
  for (;;) {
    grpc::ClientContext ctx;
    v1::ListKeysResponse page;
    ASSERT_TRUE(keys->ListKeys(&ctx, kreq, &page).ok());
    ++pages;
    EXPECT_TRUE(page.ByteSizeLong() <= kLimit + 128 || page.keys_size() == 1)
        << page.ByteSizeLong();
    for (const auto& k : page.keys()) parties.insert(k.party().fingerprint());
    if (page.next_page_token().empty()) break;
    kreq.set_page_token(page.next_page_token());
  }
  EXPECT_GT(pages, 1);
  EXPECT_EQ(parties.size(), 5u);
  CommandResult r = Bidctl("auditor1", {"identity", "keys"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "custodian")) << r.out;
  {
    v1::ListTendersRequest bad;
    bad.set_page_token(" 46");  // SimpleAtoi alone would take it
    grpc::ClientContext ctx;
    v1::ListTendersResponse page;
    grpc::Status st = stub->ListTenders(&ctx, bad, &page);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(st.error_message(), "page_token: \" 46\" is not a token this server issued");
  }
  kreq.set_page_token("not-a-token");
  grpc::ClientContext ctx;
  v1::ListKeysResponse page;
  grpc::Status st = keys->ListKeys(&ctx, kreq, &page);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "page_token: \"not-a-token\" is not a token this server issued");
}

}  // namespace
}  // namespace bidopen::testing
