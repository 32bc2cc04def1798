// bidctl bid seal against a real bidopend: online, offline from the cache, and
// the sealed file opened again with core/seal and the bidder's private key.
#include <fstream>
#include <map>

#include "absl/strings/escaping.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/stream_reader.h"
#include "tests/e2e/bid_fixture.h"

namespace bidopen::testing {
namespace {

// Collects what an opened bid holds.
class CollectingSink : public seal::BidSink {
 public:
  absl::Status OnDocumentBegin(int, const v1::Document& doc) override {
    names.push_back(doc.name());
    return absl::OkStatus();
  }
  absl::Status OnDocumentData(int, absl::string_view bytes) override {
    documents[names.back()].append(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  absl::Status Commit(const v1::BidManifest&) override {
    committed = true;
    return absl::OkStatus();
  }
  bool committed = false;
  std::vector<std::string> names;
  std::map<std::string, std::string> documents;
};

using BidSealTest = BidTest;

TEST_F(BidSealTest, SealsTwoDocumentsThatOpenWithTheBiddersKey) {
  RegisterKey("bidder1");
  std::string id = PriceAndDuration();
  ASSERT_FALSE(id.empty());
  std::string offer(200 * 1024, '\0');
  for (size_t i = 0; i < offer.size(); ++i) offer[i] = static_cast<char>(i * 7 + 3);
  std::string a = WriteFile("offer.pdf", offer);
  std::string b = WriteFile("licence.txt", "business licence no. 91310000\n");
  CommandResult r = Seal(id, {"--form", "price=1234.50", "--form", "duration_days=180", "--doc", a,
                              "--doc", b, "-o", out()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Exists(out()));
  EXPECT_FALSE(Exists(out() + ".tmp"));
  EXPECT_TRUE(Has(r.out, "bid id")) << r.out;
  EXPECT_TRUE(Has(r.out, "keep this for your records")) << r.out;
  EXPECT_TRUE(Has(r.out, "price = 1234.50 CNY")) << r.out;
  EXPECT_TRUE(Has(r.out, "+08:00 (in 30 d ")) << r.out;  // kUntilDeadline

  std::ifstream in(out(), std::ios::binary);
  auto reader = seal::SealReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->header().tender_id(), id);
  EXPECT_EQ(reader->header().bidder(), Fingerprint("bidder1"));
  ASSERT_EQ(reader->header().recipients_size(), 1);
  auto key = reader->SecretFrom(PrivateKey("bidder1"));
  ASSERT_TRUE(key.ok()) << key.status();
  CollectingSink sink;
  auto manifest = seal::ReadBid(*reader, key->view(), &sink);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_TRUE(Has(r.out, crypto::Hex(reader->header().bid_id()))) << r.out;
  EXPECT_TRUE(sink.committed);
  ASSERT_EQ(manifest->values_size(), 2);
  EXPECT_EQ(manifest->values(0).name(), "price");
  EXPECT_EQ(manifest->values(0).value(), "1234.50");
  EXPECT_EQ(manifest->values(1).name(), "duration_days");
  EXPECT_EQ(manifest->values(1).value(), "180");
  EXPECT_EQ(sink.names, (std::vector<std::string>{"offer.pdf", "licence.txt"}));
  EXPECT_TRUE(sink.documents["offer.pdf"] == offer);
  EXPECT_EQ(sink.documents["licence.txt"], "business licence no. 91310000\n");
}

TEST_F(BidSealTest, JsonOutputNamesTheHashes) {
  RegisterKey("bidder1");
  std::string id = PriceAndDuration();
  CommandResult r =
      Seal(id, {"--json", "--form", "price=99", "--form", "duration_days=30", "-o", out()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* field : {"\"bid_id\"", "\"header_hash\"", "\"ciphertext_size\"", "\"file\""})
    EXPECT_TRUE(Has(r.out, field)) << field << "\n" << r.out;
}

TEST_F(BidSealTest, SealsOfflineFromTheCacheAfterTheServerIsGone) {
  RegisterKey("bidder1");
  std::string shown = PriceAndDuration(), sealed = PriceAndDuration(), never = PriceAndDuration();
  ASSERT_EQ(Bidctl("bidder1", {"tender", "show", shown}).exit_code, 0);
  std::vector<std::string> form = {"--form", "price=10", "--form", "duration_days=1"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), form.begin(), form.end());
    return extra;
  };
  ASSERT_EQ(Seal(sealed, with({"-o", out()})).exit_code, 0);
  KillServer();

  CommandResult flag = Seal(shown, with({"--offline", "-o", out() + "1"}));
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_TRUE(Has(flag.out, "offline: check for amendments")) << flag.out;
  CommandResult unreachable = Seal(sealed, with({"-o", out() + "2"}));
  EXPECT_EQ(unreachable.exit_code, 0) << unreachable.err;
  EXPECT_TRUE(Has(unreachable.err, "sealing offline with tender " + sealed)) << unreachable.err;
  EXPECT_TRUE(Exists(out() + "1") && Exists(out() + "2"));

  CommandResult no_cache = Seal(never, with({"-o", out() + "3"}));
  EXPECT_EQ(no_cache.exit_code, 1);
  EXPECT_TRUE(Has(no_cache.err,
                  "FAILED_PRECONDITION: tender " + never + " was never fetched; run once online"))
      << no_cache.err;
  EXPECT_FALSE(Exists(out() + "3"));
}

TEST_F(BidSealTest, RefusesValuesThatDontFitTheForm) {
  RegisterKey("bidder1");
  std::string id = PriceAndDuration();
  CommandResult type =
      Seal(id, {"--form", "price=12.5", "--form", "duration_days=half a year", "-o", out()});
  EXPECT_EQ(type.exit_code, 1);
  EXPECT_TRUE(Has(type.err, "INVALID_ARGUMENT: form.duration_days")) << type.err;
  CommandResult unknown = Seal(id, {"--form", "price=12.5", "--form", "duration_days=3", "--form",
                                    "colour=red", "-o", out()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Has(unknown.err, "INVALID_ARGUMENT: form.colour")) << unknown.err;
  CommandResult missing = Seal(id, {"--form", "duration_days=3", "-o", out()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Has(missing.err, "form.price")) << missing.err;
  CommandResult no_eq = Seal(id, {"--form", "price", "-o", out()});
  EXPECT_EQ(no_eq.exit_code, 1);
  EXPECT_TRUE(Has(no_eq.err, "INVALID_ARGUMENT: --form \"price\": expected name=value"))
      << no_eq.err;
  EXPECT_FALSE(Exists(out()));
  EXPECT_FALSE(Exists(out() + ".tmp"));
}

TEST_F(BidSealTest, RefusesMissingDocumentsUnknownLotsAndCancelledTenders) {
  RegisterKey("bidder1");
  std::string id = PriceAndDuration();
  std::vector<std::string> form = {"--form", "price=1", "--form", "duration_days=1"};
  std::string gone = dir_.path() + "/no-such-offer.pdf";
  std::vector<std::string> args = form;
  args.insert(args.end(), {"--doc", gone, "-o", out()});
  CommandResult missing = Seal(id, args);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Has(missing.err, "NOT_FOUND")) << missing.err;
  EXPECT_TRUE(Has(missing.err, gone)) << missing.err;
  EXPECT_FALSE(Exists(out()));
  EXPECT_FALSE(Exists(out() + ".tmp"));

  args = form;
  args.insert(args.end(), {"--lot", "9", "-o", out()});
  CommandResult lot = Seal(id, args);
  EXPECT_EQ(lot.exit_code, 1);
  EXPECT_TRUE(Has(lot.err, "NOT_FOUND: tender " + id + " has no lot 9; its lots are 1..1"))
      << lot.err;

  ASSERT_EQ(Bidctl("agency1", {"tender", "cancel", id, "--reason", "budget cut"}).exit_code, 0);
  args = form;
  args.insert(args.end(), {"-o", out()});
  CommandResult cancelled = Seal(id, args);
  EXPECT_EQ(cancelled.exit_code, 1);
  EXPECT_TRUE(Has(cancelled.err, "FAILED_PRECONDITION: tender " + id + " is cancelled"))
      << cancelled.err;
  EXPECT_FALSE(Exists(out()));
}

TEST_F(BidSealTest, WithoutARegisteredKeyTellsToRegisterOne) {
  std::string id = PriceAndDuration();
  CommandResult r =
      Seal(id, {"--form", "price=1", "--form", "duration_days=1", "-o", out()}, "bidder2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "run `bidctl identity register-key`")) << r.err;
  EXPECT_FALSE(Exists(out()));
}

TEST_F(BidSealTest, ALocalKeyThatIsNotTheRegisteredOneIsRefused) {
  RegisterKey("bidder1");
  std::string id = PriceAndDuration();
  std::ofstream(dir_.path() + "/config/keys/" + Fingerprint("bidder1") + ".x25519", std::ios::trunc)
      << std::string(64, 'a') << "\n";
  CommandResult r = Seal(id, {"--form", "price=1", "--form", "duration_days=1", "-o", out()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err,
                  "differs from the one registered for you on the server; run `bidctl "
                  "identity register-key`"))
      << r.err;
  EXPECT_FALSE(Exists(out()));
}

// From a second computer (no local key) register-key would silently replace
// the key the server holds; it is refused unless --rotate.
TEST_F(BidSealTest, RegisteringWithoutTheLocalKeyDoesNotSilentlyReplaceTheServers) {
  RegisterKey("bidder1");
  const std::string key = dir_.path() + "/config/keys/" + Fingerprint("bidder1") + ".x25519";
  ASSERT_TRUE(Exists(key));
  std::filesystem::rename(key, key + ".elsewhere");
  CommandResult r = Bidctl("bidder1", {"identity", "register-key"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "FAILED_PRECONDITION: the server already holds an X25519 key for you"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "register-key --rotate")) << r.err;
  EXPECT_FALSE(Exists(key));
  CommandResult rotated = Bidctl("bidder1", {"identity", "register-key", "--rotate"});
  EXPECT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_TRUE(Exists(key));
}

TEST_F(BidSealTest, PolicyAnySealsToTheBidderAndEveryCustodian) {
  for (const char* who : {"bidder1", "custodian1", "custodian2", "custodian3"}) RegisterKey(who);
  std::string id =
      Tender({"--field", "price:decimal:CNY", "--custodian", "Custodian One", "--custodian",
              "Custodian Two", "--custodian", "Custodian Three", "--threshold", "2"});
  ASSERT_FALSE(id.empty());
  CommandResult r = Seal(id, {"--form", "price=880000", "-o", out()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "opening policy       ANY")) << r.out;
  std::ifstream in(out(), std::ios::binary);
  auto reader = seal::SealReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const v1::SealedHeader& h = reader->header();
  EXPECT_EQ(h.policy(), v1::OPENING_POLICY_ANY);
  EXPECT_EQ(h.threshold(), 2);
  ASSERT_EQ(h.recipients_size(), 4);
  EXPECT_EQ(h.recipients(0).kind(), v1::RECIPIENT_KIND_BIDDER_KEY);
  EXPECT_EQ(h.recipients(0).fingerprint(), Fingerprint("bidder1"));
  EXPECT_EQ(h.recipients(1).fingerprint(), Fingerprint("custodian1"));
  EXPECT_EQ(h.recipients(2).fingerprint(), Fingerprint("custodian2"));
  EXPECT_EQ(h.recipients(2).share_x(), 2u);
  // Shares are wrapped to the custodians' per-lot keys from the tender, whose
  // private halves bidctl keeps per lot, never to their long-term keys.
  CommandResult shown = Bidctl("bidder1", {"--json", "tender", "show", id});
  for (int i : {1, 2}) {
    const std::string who = i == 1 ? "custodian1" : "custodian2";
    const std::string lot_key = h.recipients(i).public_key();
    EXPECT_TRUE(Has(shown.out, absl::Base64Escape(lot_key))) << i << "\n" << shown.out;
    EXPECT_NE(lot_key, crypto::X25519PublicFromPrivate(PrivateKey(who)).value()) << who;
    EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/config/keys/" + Fingerprint(who) + ".lot/" +
                                        crypto::Hex(lot_key) + ".x25519"))
        << who;
  }
}

// Review finding 1: the operator serves the lot keys, so bidctl seals only to
// keys their custodian signed. A key swapped in the tender as bidctl got it
// (here: its cached copy, edited) is refused and nothing is written.
TEST_F(BidSealTest, ALotKeyItsCustodianDidNotSignIsRefusedBeforeSealing) {
  for (const char* who : {"bidder1", "custodian1", "custodian2", "custodian3"}) RegisterKey(who);
  std::string id =
      Tender({"--field", "price:decimal:CNY", "--custodian", "Custodian One", "--custodian",
              "Custodian Two", "--custodian", "Custodian Three", "--threshold", "2"});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Seal(id, {"--form", "price=880000", "-o", out()}).exit_code, 0);
  std::filesystem::remove(out());
  const std::string cache = dir_.path() + "/config/tenders/" + id + ".json";
  std::string text = ReadWholeFile(cache);
  const size_t at = text.find("\"custodianKeys\"");
  ASSERT_NE(at, std::string::npos) << text;
  const size_t quote = text.find('"', text.find('[', at)) + 1;
  const std::string minted = absl::Base64Escape(crypto::GenerateX25519()->public_key);
  text.replace(quote, text.find('"', quote) - quote, minted);
  std::ofstream(cache, std::ios::trunc) << text;
  CommandResult r = Seal(id, {"--offline", "--form", "price=880000", "-o", out()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "custodian_keys[0] of custodian " + Fingerprint("custodian1"))) << r.err;
  EXPECT_TRUE(Has(r.err, "its signature is not the custodian's over this key")) << r.err;
  EXPECT_FALSE(Exists(out()));
}

// Review finding 3: under ANY the lot keys released at the opening open a
// withdrawn bid too; `bid withdraw` says so.
TEST_F(BidSealTest, WithdrawingUnderAnySaysTheLotKeysWillOpenItToo) {
  for (const char* who : {"bidder1", "custodian1", "custodian2", "custodian3"}) RegisterKey(who);
  std::string id =
      Tender({"--field", "price:decimal:CNY", "--custodian", "Custodian One", "--custodian",
              "Custodian Two", "--custodian", "Custodian Three", "--threshold", "2"});
  ASSERT_EQ(Seal(id, {"--form", "price=880000", "-o", out()}).exit_code, 0);
  ASSERT_EQ(Bidctl("bidder1", {"bid", "submit", out()}).exit_code, 0);
  CommandResult w = Bidctl("bidder1", {"bid", "withdraw", "--tender", id});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_TRUE(Has(w.out, "Note: this lot opens with the custodians' per-lot keys (policy ANY)"))
      << w.out;
  EXPECT_TRUE(Has(w.out, "Under policies BIDDER and BOTH a withdrawn")) << w.out;
  EXPECT_TRUE(Has(w.out, "the server stored them")) << w.out;
}

TEST_F(BidSealTest, ASecondTenderGivesTheCustodiansFreshLotKeys) {
  for (const char* who : {"custodian1", "custodian2", "custodian3"}) RegisterKey(who);
  auto lot_keys = [&](const std::string& id) {
    CommandResult r = Bidctl("bidder1", {"--json", "tender", "show", id});
    const size_t at = r.out.find("\"custodian_keys\"");
    EXPECT_NE(at, std::string::npos) << r.out;
    return at == std::string::npos ? std::string() : r.out.substr(at, 120);
  };
  const std::vector<std::string> flags = {
      "--field",       "price:decimal", "--custodian",     "Custodian One", "--custodian",
      "Custodian Two", "--custodian",   "Custodian Three", "--threshold",   "2"};
  const std::string first = Tender(flags), second = Tender(flags);
  ASSERT_FALSE(first.empty() || second.empty());
  EXPECT_NE(lot_keys(first), lot_keys(second));
}

}  // namespace
}  // namespace bidopen::testing
