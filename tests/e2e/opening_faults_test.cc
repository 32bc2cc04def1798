// The opening against an insider and a crash: (1) everything the server side
// holds before the opening (a full pg_dump, the server's key directory, its
// working files) opens no bid, nor does a dump alone taken during the window
// after the releases; (2) bidopend killed with SIGKILL right after
// the releases, during decryption, loses nothing and gives each bid exactly
// one verdict after a restart, and the log still verifies; (3) bidopend down
// at an auto-start lot's opening time and at its window's end catches up;
// (4) racing twin releases, and the agency racing the server's auto-start.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "bidopen/fold/opened.pb.h"
#include "core/crypto/kdf.h"
#include "core/crypto/x25519.h"
#include "server/opening/at_rest.h"
#include "server/store/pg.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

const std::map<std::string, std::string> kThreePrices = {
    {"bidder1", "8123.45"}, {"bidder2", "9234.56"}, {"bidder3", "7345.67"}};

// The newest pg_dump installed (a newer one dumps an older server).
std::string PgDump() {
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string bin = e.path().string() + "/bin/pg_dump";
    int version = std::atoi(e.path().filename().c_str());
    if (std::filesystem::exists(bin) && version > best_version) {
      best = bin;
      best_version = version;
    }
  }
  return best.empty() ? "pg_dump" : best;
}

// Every run of at least 64 hex digits in `text`, decoded from its first digit
// (an odd last digit dropped): bytea values in a plain dump are "\x" + hex.
std::vector<std::string> HexRuns(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && absl::ascii_isxdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i >= 64) out.push_back(absl::HexStringToBytes(text.substr(i, (j - i) & ~size_t{1})));
    i = j;
  }
  return out;
}

// The DER of every PEM block in `text`.
std::vector<std::string> PemBodies(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex block("-----BEGIN [A-Z ]+-----([^-]*)-----END [A-Z ]+-----");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), block);
       it != std::sregex_iterator(); ++it) {
    std::string der;
    if (absl::Base64Unescape((*it)[1].str(), &der)) out.push_back(der);
  }
  return out;
}

// The raw private key of a PEM private key: the scalar of an EC key (padded to
// 32 bytes), or the raw bytes of an X25519/Ed25519 key. Empty if none.
std::string RawPrivateKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return "";
  std::string out;
  BIGNUM* bn = nullptr;
  size_t len = 0;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1 && BN_num_bytes(bn) <= 32) {
    out.resize(32);
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), 32);
  } else if (EVP_PKEY_get_raw_private_key(key, nullptr, &len) == 1 && len == 32) {
    out.resize(32);
    EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char*>(out.data()), &len);
  }
  BN_free(bn);
  EVP_PKEY_free(key);
  return out;
}

// 32-byte candidates, deduplicated, remembering which came from key files.
struct Candidates {
  absl::flat_hash_set<std::string> seen;
  // Whole values of 32 bytes (a hex string of 64 digits, a raw private key):
  // the likeliest keys, each tried through the unwraps themselves.
  absl::flat_hash_set<std::string> prime;
  std::vector<std::string> all;
  size_t windows = 0;
  void Add(std::string c) {
    if (seen.insert(c).second) all.push_back(std::move(c));
  }
  void AddPrime(const std::string& c) {
    prime.insert(c);
    Add(c);
  }
  void AddWindows(const std::string& bytes) {
    if (bytes.size() == 32) prime.insert(bytes);
    for (size_t i = 0; i + 32 <= bytes.size(); ++i, ++windows) Add(bytes.substr(i, 32));
  }
};

// What opens a bid: the bid secret s (secret_commitment under ANY), or an
// X25519 private key of one of its recipients.
struct Target {
  std::string who;
  v1::SealedHeader header;
};

class InsiderCheck {
 public:
  explicit InsiderCheck(std::vector<Target> targets) : targets_(std::move(targets)) {
    for (const Target& t : targets_)
      for (const v1::Recipient& r : t.header.recipients()) recipient_keys_.insert(r.public_key());
  }

  // How many ways `c` opens something, by every check. `full`: also through
  // the unwrap functions themselves (X25519 + HKDF + AES-GCM per recipient);
  // otherwise the X25519 public key of `c` against every recipient's key,
  // which is what those unwraps need.
  int Opens(const std::string& c, bool full) const {
    int n = 0;
    for (const Target& t : targets_) n += seal::CheckBidderSecret(t.header, c).ok() ? 1 : 0;
    auto pub = crypto::X25519PublicFromPrivate(c);
    if (pub.ok() && recipient_keys_.contains(*pub)) ++n;
    if (!full) return n;
    for (const Target& t : targets_)
      for (const v1::Recipient& r : t.header.recipients()) {
        if (r.share_x() == 0)
          n += seal::UnwrapBidderSecret(t.header, c).ok() ? 1 : 0;
        else
          n += seal::UnwrapShare(t.header, r.share_x(), c).ok() ? 1 : 0;
      }
    return n;
  }

 private:
  std::vector<Target> targets_;
  absl::flat_hash_set<std::string> recipient_keys_;
};

// A full plain-format dump of the test's database, as the cluster's superuser.
std::string Dump(const TestDatabase& db, const std::string& path) {
  CommandResult dumped =
      RunCommand({PgDump(), "--dbname", db.conninfo(), "--file", path, "--no-owner"});
  EXPECT_EQ(dumped.exit_code, 0) << dumped.err;
  return ReadWholeFile(path);
}

// What trying every candidate found.
struct Tried {
  size_t opened = 0;
  size_t full = 0;    // also through the unwraps themselves
  size_t stride = 1;  // one window in `stride` went through them
  double seconds = 0;
};

// Every candidate as s and (by its public key) as an X25519 key; the unwraps
// themselves for every whole 32-byte value and private key, and one window
// in `stride` (every one if few).
Tried TryAll(const InsiderCheck& check, const Candidates& c) {
  constexpr size_t kFullSample = 1500;
  const absl::Time began = absl::Now();
  Tried t;
  t.stride = std::max<size_t>(1, c.all.size() / kFullSample);
  for (size_t i = 0; i < c.all.size(); ++i) {
    const bool unwrap = c.prime.contains(c.all[i]) || i % t.stride == 0;
    t.full += unwrap ? 1 : 0;
    if (const int n = check.Opens(c.all[i], unwrap); n > 0) {
      ++t.opened;
      ADD_FAILURE() << "candidate " << i << " (" << crypto::Hex(c.all[i]) << ") opens " << n;
    }
  }
  t.seconds = absl::ToDoubleSeconds(absl::Now() - began);
  return t;
}

// Issue 11: a database administrator's full dump taken once every bid is in
// and before the opening, with every file of the server's key directory and
// the server's own working files, opens no bid.
TEST_F(OpeningTest, InsiderWithDumpAndServerKeysOpensNoBid) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "30s");
  const std::map<std::string, std::string> prices = kThreePrices;
  std::vector<Target> targets;
  std::map<std::string, std::string> secrets;
  for (const auto& [who, header] : SubmitAndReadHeaders(id, prices, &secrets)) {
    ASSERT_EQ(header.recipients_size(), 4) << "the bidder and three custodians";
    ASSERT_EQ(secrets[who].size(), 32u);
    targets.push_back({who, header});
  }
  ASSERT_FALSE(Status(id).lot_state().has_opening());

  // The dump, as the cluster's superuser.
  const std::string dump = Dump(db_, dir_.path() + "/insider.sql");
  ASSERT_TRUE(absl::StrContains(dump, "COPY public.releases")) << "a full dump of the schema";
  ASSERT_TRUE(absl::StrContains(dump, id)) << "the dump holds the tender";

  Candidates c;
  size_t dump_bytes = 0;
  std::string decoded_dump;  // every bytea / hex value, concatenated
  for (const std::string& bytes : HexRuns(dump)) {
    dump_bytes += bytes.size();
    decoded_dump += bytes;
    decoded_dump += '\0';
    c.AddWindows(bytes);
  }
  const size_t from_dump = c.all.size();
  const size_t dump_windows = c.windows;

  // The server's key directory and its working files (not bidctl's config
  // directory, nor the bidders' own files, which share the test's directory).
  std::vector<std::string> key_files;
  std::string release_key;
  std::set<std::string> key_scalars;
  for (const auto& e : std::filesystem::directory_iterator(pki_)) {
    if (!e.is_regular_file()) continue;
    key_files.push_back(e.path().filename().string());
    const std::string text = ReadWholeFile(e.path().string());
    for (const std::string& bytes : HexRuns(text)) c.AddWindows(bytes);
    for (const std::string& der : PemBodies(text)) c.AddWindows(der);
    if (std::string raw = RawPrivateKey(text); !raw.empty()) {
      key_scalars.insert(raw);
      c.AddPrime(raw);
    }
    if (e.path().filename() == "release.key")
      release_key = absl::HexStringToBytes(absl::StripAsciiWhitespace(text));
  }
  for (const char* name : {"bidopend.log", "port"}) {
    const std::string text = ReadWholeFile(dir_.path() + "/" + name);
    for (const std::string& bytes : HexRuns(text)) c.AddWindows(bytes);
    c.AddWindows(text);
  }
  // The extraction finds what it must: the at-rest key and the EC scalars.
  ASSERT_EQ(release_key.size(), 32u);
  EXPECT_TRUE(c.seen.contains(release_key));
  EXPECT_GE(key_scalars.size(), 3u) << "ca.key, server.key, log.key at least";
  for (const std::string& k : key_scalars) EXPECT_TRUE(c.seen.contains(k));

  // What a user would see leak: no secret, no price, no document, in clear
  // or as hex.
  for (const auto& [who, s] : secrets) {
    EXPECT_FALSE(absl::StrContains(decoded_dump, s)) << who << "'s secret in the dump";
    EXPECT_FALSE(absl::StrContains(dump, crypto::Hex(s))) << who << "'s secret (hex) in the dump";
    EXPECT_FALSE(c.seen.contains(s)) << who << "'s secret among the candidates";
  }
  for (const auto& [who, price] : prices) {
    EXPECT_FALSE(absl::StrContains(dump, price)) << price;
    EXPECT_FALSE(absl::StrContains(decoded_dump, price)) << price;
    EXPECT_FALSE(absl::StrContains(decoded_dump, "Offer of " + who)) << who << "'s document";
  }

  // The check opens what it should: a bidder's real key, its secret, a
  // custodian's per-lot key (so a candidate that opened would be seen).
  const InsiderCheck check(targets);
  EXPECT_GT(check.Opens(PrivateKey("bidder1"), true), 0);
  EXPECT_GT(check.Opens(PrivateKey("bidder1"), false), 0);
  EXPECT_GT(check.Opens(secrets["bidder2"], false), 0);
  EXPECT_GT(check.Opens(LotPrivateKey(id, "custodian3"), true), 0);

  const Tried tried = TryAll(check, c);
  EXPECT_EQ(tried.opened, 0u);
  std::cout << "insider: dump " << dump.size() << " bytes, " << dump_bytes
            << " bytes of bytea/hex values, " << dump_windows << " windows; key files "
            << absl::StrJoin(key_files, ",") << " (" << key_scalars.size()
            << " private keys) and bidopend.log, port; " << c.all.size() << " distinct candidates ("
            << from_dump << " from the dump) each tried as s against " << targets.size()
            << " bids and as an X25519 key against " << 4 * targets.size()
            << " recipients (public key); " << tried.full << " (" << c.prime.size()
            << " whole 32-byte values and keys, the rest 1 window in " << tried.stride
            << ") also through UnwrapBidderSecret/UnwrapShare; none opens; " << tried.seconds
            << " s\n";
}

// The dump alone, taken during the window once bidders 1 and 2 and custodians
// 1 and 2 released and every bid was decrypted (values not yet announced),
// opens nothing and shows no released secret, key or value: they are in it
// only sealed under the server's at-rest key (--release-key, a file outside
// the database), which does open them.
TEST_F(OpeningTest, DumpDuringTheWindowAloneOpensNothingTheAtRestKeyHoldsTheReleases) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "30s");
  const std::map<std::string, std::string> prices = kThreePrices;
  std::vector<Target> targets;
  std::map<std::string, std::string> secrets;
  for (const auto& [who, header] : SubmitAndReadHeaders(id, prices, &secrets))
    targets.push_back({who, header});
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  std::set<std::string> released;
  for (const char* who : {"bidder1", "bidder2"}) {
    ASSERT_TRUE(ReleaseBidder(id, who, secrets[who]).ok());
    released.insert(secrets[who]);
  }
  for (const char* who : {"custodian1", "custodian2"}) {
    const std::string key = LotPrivateKey(id, who);
    ASSERT_TRUE(ReleaseCustodian(id, who, key).ok());
    released.insert(key);
  }
  WaitOpened(id, 3);
  ASSERT_FALSE(Status(id).lot_state().opening().has_ended());

  const std::string dump = Dump(db_, dir_.path() + "/window.sql");
  ASSERT_TRUE(absl::StrContains(dump, "COPY public.releases")) << "a full dump of the schema";
  Candidates c;
  std::string decoded_dump;
  for (const std::string& bytes : HexRuns(dump)) {
    decoded_dump += bytes;
    decoded_dump += '\0';
    c.AddWindows(bytes);
  }
  for (const std::string& m : released) {
    EXPECT_FALSE(absl::StrContains(decoded_dump, m)) << crypto::Hex(m) << " in the dump";
    EXPECT_FALSE(absl::StrContains(dump, crypto::Hex(m))) << crypto::Hex(m) << " (hex) in the dump";
  }
  for (const auto& [who, price] : prices) {
    EXPECT_FALSE(absl::StrContains(dump, price)) << price;
    EXPECT_FALSE(absl::StrContains(decoded_dump, price)) << price;
    EXPECT_FALSE(absl::StrContains(decoded_dump, "Offer of " + who)) << who << "'s document";
  }
  const InsiderCheck check(targets);
  EXPECT_GT(check.Opens(secrets["bidder1"], true), 0) << "the check opens with a released secret";
  const Tried tried = TryAll(check, c);
  EXPECT_EQ(tried.opened, 0u);
  std::cout << "dump during the window: " << dump.size() << " bytes, " << c.windows << " windows, "
            << c.all.size() << " distinct candidates, " << tried.full
            << " through the unwraps; none opens; " << tried.seconds << " s\n";

  // With the at-rest key, the same rows give every release back, and what
  // the server read of each bid.
  auto key = opening::AtRestKey::Load(pki_ + "/release.key");
  ASSERT_TRUE(key.ok()) << key.status();
  auto conn = store::Conn::Open(db_.conninfo());
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto rows = (*conn)->Query("SELECT seq, sealed FROM releases ORDER BY seq");
  ASSERT_TRUE(rows.ok()) << rows.status();
  std::set<std::string> unsealed;
  for (int i = 0; i < rows->rows(); ++i) {
    auto m = key->Open(opening::kReleaseLabel, static_cast<uint64_t>(rows->Int64(i, 0)),
                       rows->Bytes(i, 1));
    ASSERT_TRUE(m.ok()) << m.status();
    unsealed.insert(*m);
  }
  EXPECT_EQ(unsealed, released);
  auto opened = (*conn)->Query("SELECT seq, sealed FROM opened_bids ORDER BY seq");
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_EQ(opened->rows(), 3);
  std::set<std::string> read;
  for (int i = 0; i < opened->rows(); ++i) {
    auto m = key->Open(opening::kOpenedLabel, static_cast<uint64_t>(opened->Int64(i, 0)),
                       opened->Bytes(i, 1));
    ASSERT_TRUE(m.ok()) << m.status();
    fold::OpenedBid bid;
    ASSERT_TRUE(bid.ParseFromString(*m));
    for (const v1::FormValue& v : bid.manifest().values())
      if (v.name() == "price") read.insert(v.value());
  }
  EXPECT_EQ(read, (std::set<std::string>{"8123.45", "9234.56", "7345.67"}));
}

// SIGKILL of bidopend right after every release, while it decrypts three
// multi-megabyte bids: after a restart on the same database the opening goes
// on; no release lost or repeated, each bid one verdict, the log verifies.
TEST_F(OpeningTest, KillDuringDecryptionLosesNothing) {
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) RegisterKey(who);
  const std::string id = ShortTender("BIDDER", absl::Seconds(25), "60s");
  std::map<std::string, std::string> docs;
  std::mt19937_64 gen(11);
  const std::map<std::string, size_t> sizes = {
      {"bidder1", 2u << 20}, {"bidder2", 3u << 20}, {"bidder3", 5u << 20}};
  for (const auto& [who, size] : sizes) {
    std::string bytes(size, '\0');
    for (char& b : bytes) b = static_cast<char>(gen());
    docs[who] = bytes;
    SubmitWithDoc(id, who, who == std::string("bidder2") ? "2000.00" : "3000.00", bytes);
  }
  std::map<std::string, std::string> secrets;
  for (const auto& [who, size] : sizes) secrets[who] = BidderSecret(id, who);
  ASSERT_LT(absl::Now(), opening_time_) << "sealing took longer than the lead time";
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  for (const auto& [who, s] : secrets) {
    v1::ReleaseResult r;
    ASSERT_TRUE(ReleaseBidder(id, who, s, &r).ok()) << who;
    ASSERT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  // First kill: right after the releases, the opener at most begun reading.
  KillServer();
  StartServer();
  std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kKeyReleased), 3) << "every release kept, none repeated";
  const uint32_t after_first = Status(id).lot_state().opening().opened();

  // Second kill: once the restarted opener opened a bid, while it reads the
  // next (it decrypts one bid at a time).
  uint32_t before_second = after_first;
  for (int i = 0; i < 2000 && before_second < 1; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    before_second = Status(id).lot_state().opening().opened();
  }
  KillServer();
  StartServer();
  const uint32_t after_second = Status(id).lot_state().opening().opened();
  std::cout << "bids opened: after the first kill " << after_first << ", seen before the second "
            << before_second << ", after it " << after_second << " (of 3)\n";
  EXPECT_GE(after_second, before_second) << "an opened bid stays opened";
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 3);
  WaitOpened(id, 3);
  v1::OpeningStatus ended;
  ASSERT_TRUE(End(id, &ended).ok()) << ServerLog();
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  for (const v1::BidEntry& b : ended.lot_state().bids())
    EXPECT_EQ(b.status(), v1::BID_STATUS_DECRYPTED) << b.seq() << ": " << b.opening().verdict();

  events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kKeyReleased), 3);
  EXPECT_EQ(CountOf(events, v1::Event::kDecryptionEnded), 1);
  std::map<uint64_t, int> verdicts, opened;
  for (const v1::Event& e : events) {
    if (e.has_bid_verdict()) ++verdicts[e.bid_verdict().bid()];
    if (e.has_bid_decrypted() && e.bid_decrypted().opened()) ++opened[e.bid_decrypted().bid()];
  }
  ASSERT_EQ(verdicts.size(), 3u);
  for (const auto& [bid, n] : verdicts) EXPECT_EQ(n, 1) << "bid " << bid << " verdicts";
  ASSERT_EQ(opened.size(), 3u);
  for (const auto& [bid, n] : opened) EXPECT_EQ(n, 1) << "bid " << bid << " opened";

  // The largest bid's document comes back whole.
  const v1::BidEntry* gamma = BidOf(ended, "Gamma Builders Inc");
  ASSERT_NE(gamma, nullptr);
  grpc::ClientContext fctx;
  v1::BidRef ref;
  *ref.mutable_lot() = Lot(id);
  ref.set_bid(gamma->seq());
  auto reader = Opening("agency1")->FetchBid(&fctx, ref);
  v1::BidContent piece;
  std::string doc;
  while (reader->Read(&piece))
    if (piece.has_piece()) doc += piece.piece().data();
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(doc.size(), docs["bidder3"].size());
  EXPECT_TRUE(doc == docs["bidder3"]);

  const std::string bundle = dir_.path() + "/bundle.json";
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", id, "-o", bundle});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_PRED2(Has, verify.out, absl::StrCat("OK: ", events.size(), " events verified"));
}

// bidopend is down at an auto-start lot's opening time and again when its
// window ends: on each restart it catches up by itself. The opening starts
// late, by the server; the verdicts come once it is back, after the window,
// as if it had been up: the bid released before opens, the other is the
// bidder's fault.
TEST_F(OpeningTest, ServerDownAtOpeningTimeAndAtWindowEndCatchesUpOnRestart) {
  RegisterKey("bidder1");
  RegisterKey("bidder2");
  const std::string id = AutoStartTender(absl::Seconds(8), "10s");
  ASSERT_FALSE(id.empty());
  Submit(id, "bidder1", "111.00");
  Submit(id, "bidder2", "222.00");
  const std::string s1 = BidderSecret(id, "bidder1");
  const std::string s2 = BidderSecret(id, "bidder2");

  KillServer();
  while (absl::Now() < opening_time_ + absl::Milliseconds(1500))
    absl::SleepFor(absl::Milliseconds(100));
  StartServer();
  v1::OpeningStatus s = Status(id);
  for (int i = 0; i < 100 && !s.lot_state().has_opening(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    s = Status(id);
  }
  ASSERT_TRUE(s.lot_state().has_opening()) << "not started after the restart\n" << ServerLog();
  const v1::LotOpening& o = s.lot_state().opening();
  EXPECT_TRUE(o.auto_started());
  EXPECT_EQ(o.started_by().role(), v1::ROLE_UNSPECIFIED);
  const absl::Time started = absl::FromUnixSeconds(o.started().time().seconds()) +
                             absl::Nanoseconds(o.started().time().nanos());
  EXPECT_GE(started, opening_time_ + absl::Milliseconds(1500)) << "started late, once back";
  EXPECT_EQ(o.revealed(), 2u);
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  WaitOpened(id, 1);

  const google::protobuf::Timestamp end = Status(id).lot_state().opening().window_end();
  const absl::Time window_end =
      absl::FromUnixSeconds(end.seconds()) + absl::Nanoseconds(end.nanos());
  ASSERT_GT(window_end, absl::Now()) << "the window ended before the second kill";
  KillServer();
  while (absl::Now() < window_end + absl::Seconds(1)) absl::SleepFor(absl::Milliseconds(100));
  StartServer();
  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(10));
  const absl::Time at = absl::FromUnixSeconds(ended.lot_state().opening().ended().time().seconds());
  EXPECT_GE(at, absl::FromUnixSeconds(absl::ToUnixSeconds(window_end)));
  EXPECT_FALSE(ended.lot_state().opening().ended_early());
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  const v1::BidEntry* alpha = BidOf(ended, "Alpha Construction Co");
  const v1::BidEntry* beta = BidOf(ended, "Beta Engineering Ltd");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(alpha->status(), v1::BID_STATUS_DECRYPTED) << alpha->opening().verdict();
  EXPECT_EQ(alpha->opening().values_size(), 2);
  EXPECT_EQ(beta->status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(beta->opening().fault(), v1::FAULT_BIDDER) << beta->opening().verdict();
  EXPECT_EQ(beta->opening().consequence(), v1::CONSEQUENCE_REVOKED);
  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kOpeningStarted), 1);
  EXPECT_EQ(CountOf(events, v1::Event::kBidVerdict), 2);
  EXPECT_EQ(CountOf(events, v1::Event::kDecryptionEnded), 1);

  grpc::Status late = ReleaseBidder(id, "bidder2", s2);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();
  EXPECT_PRED2(Has, late.error_message(), std::string("ended at"));
}

// Releases racing: every bidder and custodian of an ANY lot sends its
// release twice at once, all twelve calls together. Each is accepted once and
// recorded once; its twin is answered "already" and appends nothing; no call
// fails (no serialization error reaches a user).
TEST_F(OpeningTest, TwinReleasesAtOnceAreRecordedOnce) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "30s");
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  std::map<std::string, std::string> material;
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) material[who] = BidderSecret(id, who);
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  for (const char* who : {"custodian1", "custodian2", "custodian3"})
    material[who] = LotPrivateKey(id, who);

  struct Call {
    std::string who;
    grpc::Status status;
    v1::ReleaseResult result;
  };
  std::vector<Call> calls;
  for (const auto& [who, m] : material)
    for (int twin = 0; twin < 2; ++twin) calls.push_back({who, {}, {}});
  std::vector<std::thread> threads;
  for (Call& call : calls)
    threads.emplace_back([&, &call = call] {
      const std::string& m = material[call.who];
      call.status = absl::StartsWith(call.who, "bidder")
                        ? ReleaseBidder(id, call.who, m, &call.result)
                        : ReleaseCustodian(id, call.who, m, &call.result);
    });
  for (std::thread& t : threads) t.join();

  std::map<std::string, int> fresh;
  for (const Call& call : calls) {
    ASSERT_TRUE(call.status.ok()) << call.who << ": " << call.status.error_code() << " "
                                  << call.status.error_message();
    EXPECT_TRUE(call.result.accepted()) << call.who << ": " << call.result.message();
    fresh[call.who] += call.result.already() ? 0 : 1;
  }
  for (const auto& [who, n] : fresh) EXPECT_EQ(n, 1) << who << ": releases recorded";
  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kKeyReleased), 6);
  WaitOpened(id, 3);
  v1::OpeningStatus ended;
  ASSERT_TRUE(End(id, &ended).ok());
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  EXPECT_EQ(ended.lot_state().opening().custodians_size(), 3);
  for (const v1::CustodianRelease& c : ended.lot_state().opening().custodians())
    EXPECT_EQ(c.attempts(), 1u) << "custodian " << c.share_x();
  for (const v1::BidEntry& b : ended.lot_state().bids())
    EXPECT_EQ(b.opening().bidder_attempts(), 1u) << b.seq();
}

// An auto-start lot whose agency also presses start at the opening time, from
// two clients: the opening starts exactly once, by whichever came first; every
// other call is refused with a reason (not yet, or already started).
TEST_F(OpeningTest, AgencyAndTheServerStartingAtOnceStartOnce) {
  for (const char* who : {"bidder1", "bidder2"}) RegisterKey(who);
  const std::string id = AutoStartTender(absl::Seconds(8), "30s");
  ASSERT_FALSE(id.empty());
  Submit(id, "bidder1", "111.00");
  Submit(id, "bidder2", "222.00");

  std::atomic<int> ok{0};
  std::mutex mu;
  std::vector<std::string> unexpected;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&] {
      auto stub = Opening("agency1");
      // 2 x 24 calls: under the per-certificate limit on appending calls.
      for (absl::Time at = opening_time_ - absl::Milliseconds(100);
           at < opening_time_ + absl::Milliseconds(1100); at += absl::Milliseconds(50)) {
        absl::SleepFor(at - absl::Now());
        grpc::ClientContext ctx;
        Sign(&ctx, "agency1", "/bidopen.v1.OpeningService/StartOpening", Lot(id));
        v1::OpeningStatus out;
        grpc::Status st = stub->StartOpening(&ctx, Lot(id), &out);
        if (st.ok()) {
          ++ok;
          continue;
        }
        const std::string& m = st.error_message();
        if (st.error_code() != grpc::StatusCode::FAILED_PRECONDITION ||
            (!absl::StrContains(m, "already started at") &&
             !absl::StrContains(m, "cannot start before its opening time"))) {
          std::lock_guard<std::mutex> lock(mu);
          unexpected.push_back(absl::StrCat(st.error_code(), " ", m));
        }
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");
  EXPECT_LE(ok.load(), 1);
  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kOpeningStarted), 1);
  EXPECT_EQ(CountOf(events, v1::Event::kBidRevealed), 2);
  const v1::LotOpening o = Status(id).lot_state().opening();
  EXPECT_EQ(o.auto_started(), ok.load() == 0) << "the agency's start is not an auto-start";
  std::cout << "started by " << (ok.load() == 1 ? "the agency" : "the server") << "\n";
}

}  // namespace
}  // namespace bidopen::testing
