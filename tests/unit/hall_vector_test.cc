// The announcement table's bytes and hash, and a bidder's confirmation
// signature (docs/opening-hall.md), as a known-answer vector for the
// independent check tests/vectors/hall_check.py; and the signature check an
// auditor runs with the CA (CheckConfirmationSignature), with its refusals.
// BIDOPEN_WRITE_HALL_VECTORS=FILE writes tests/vectors/hall_vectors.txt anew
// (with a fresh CA, certificate and signature; the rest is fixed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/opening/announcement.h"
#include "core/opening/confirmation.h"
#include "core/opening/record.h"
#include "core/seal/format.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using crypto::Hex;
using testing::StatusIs;

constexpr char kTender[] = "T-7K2M9Q4XRB";
constexpr char kVectorPath[] = BIDOPEN_SOURCE_DIR "/tests/vectors/hall_vectors.txt";

// What is random in the vector: the CA, the bidder's certificate, its signature.
struct Signer {
  std::string ca_pem;
  std::string certificate_pem;
  std::string signature;
  std::string record_signature;  // over RecordSigningInput(RecordOfVector(...))
};

v1::AnnouncedBid Failed(uint64_t seq, absl::string_view seed, absl::string_view org, v1::Fault f,
                        v1::Consequence c, absl::string_view reason) {
  v1::AnnouncedBid b;
  b.set_bid(seq);
  b.mutable_bidder()->set_fingerprint(Hex(crypto::Sha256(seed)));
  b.mutable_bidder()->set_organization(std::string(org));
  b.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  b.set_fault(f);
  b.set_consequence(c);
  b.set_reason(std::string(reason));
  return b;
}

// A lot of three bids: one announced with its values (by the signer), one
// failed by its bidder's fault, one by the custodians'.
v1::AnnouncementTable Table(absl::string_view signer_fingerprint) {
  v1::AnnouncementTable t;
  t.set_tender_id(kTender);
  t.set_lot(1);
  t.set_lot_title("道路工程 Road works");
  for (auto [name, type, unit] : {std::tuple{"price", v1::FIELD_TYPE_DECIMAL, "CNY"},
                                  std::tuple{"duration_days", v1::FIELD_TYPE_INT, ""}}) {
    v1::FormField* f = t.add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_unit(unit);
  }
  v1::AnnouncedBid* b = t.add_bids();
  b->set_bid(7);
  b->mutable_bidder()->set_fingerprint(std::string(signer_fingerprint));
  b->mutable_bidder()->set_organization("第一建设有限公司 Builder One");
  b->set_status(v1::BID_STATUS_DECRYPTED);
  b->set_fault(v1::FAULT_NONE);
  b->set_consequence(v1::CONSEQUENCE_NONE);
  for (auto [name, value] : {std::pair{"price", "1234.50"}, std::pair{"duration_days", "90"}}) {
    v1::FormValue* v = b->add_values();
    v->set_name(name);
    v->set_value(value);
  }
  *t.add_bids() = Failed(9, "second", "Second Works", v1::FAULT_BIDDER, v1::CONSEQUENCE_REVOKED,
                         "the bidder released no key");
  *t.add_bids() = Failed(12, "third", "Third Works", v1::FAULT_CUSTODIANS,
                         v1::CONSEQUENCE_WITHDRAWN, "1 of 2 custodians released");
  return t;
}

// A small opening record body carrying the table (its bytes are what the log
// key signs; a record's own content is checked against the log, not here).
std::string RecordOfVector(absl::string_view signer_fingerprint) {
  v1::OpeningRecordBody r;
  r.set_tender_id(kTender);
  r.set_lot(1);
  *r.mutable_announcement() = Table(signer_fingerprint);
  r.set_announcement_sha256(AnnouncementHash(r.announcement()));
  r.mutable_closing_head()->set_size(42);
  return RecordBytes(r);
}

absl::string_view TypeName(v1::FieldType t) { return t == v1::FIELD_TYPE_INT ? "int" : "decimal"; }

// The vector's lines, in the order hall_check.py reads them.
std::vector<std::pair<std::string, std::string>> Lines(const Signer& s) {
  const std::string fp = crypto::PartyFromPem(s.certificate_pem)->fingerprint();
  const v1::AnnouncementTable t = Table(fp);
  std::vector<std::pair<std::string, std::string>> out = {
      {"tender_id", t.tender_id()}, {"lot", absl::StrCat(t.lot())}, {"lot_title", t.lot_title()}};
  for (const v1::FormField& f : t.form())
    out.emplace_back("field", absl::StrCat(f.name(), "|", TypeName(f.type()), "|", f.unit()));
  out.emplace_back("failure", t.failure());
  const char* status[] = {"", "", "", "", "decrypted", "decrypt_failed"};
  const char* fault[] = {"", "none", "bidder", "custodians", "platform"};
  const char* consequence[] = {"", "none", "revoked", "withdrawn"};
  for (const v1::AnnouncedBid& b : t.bids()) {
    out.emplace_back("bid", absl::StrCat(b.bid()));
    out.emplace_back("fingerprint", b.bidder().fingerprint());
    out.emplace_back("organization", b.bidder().organization());
    out.emplace_back("status", status[b.status()]);
    out.emplace_back("fault", fault[b.fault()]);
    out.emplace_back("consequence", consequence[b.consequence()]);
    out.emplace_back("reason", b.reason());
    for (const v1::FormValue& v : b.values())
      out.emplace_back("value", absl::StrCat(v.name(), "=", v.value()));
  }
  const std::string hash = AnnouncementHash(t);
  out.emplace_back("table", Hex(AnnouncementBytes(t)));
  out.emplace_back("announcement_sha256", Hex(hash));
  out.emplace_back("confirm_message", Hex(ConfirmationMessage(kTender, 1, hash)));
  out.emplace_back("ca_pem", Hex(s.ca_pem));
  out.emplace_back("certificate_pem", Hex(s.certificate_pem));
  out.emplace_back("signature", Hex(s.signature));
  const std::string record = RecordOfVector(fp);
  out.emplace_back("record", Hex(record));
  out.emplace_back("record_signing_input", Hex(RecordSigningInput(record)));
  out.emplace_back("record_signature", Hex(s.record_signature));
  return out;
}

std::string Text(const std::vector<std::pair<std::string, std::string>>& lines) {
  std::string out;
  for (const auto& [key, value] : lines) absl::StrAppend(&out, key, " ", value, "\n");
  return out;
}

Signer NewSigner() {
  crypto::PkeyPtr ca_key = testing::NewP256Key();
  crypto::X509Ptr ca = testing::MakeCertificate(ca_key.get(), testing::kTestCaName, nullptr,
                                                ca_key.get(), /*is_ca=*/true, 1);
  crypto::PkeyPtr key = testing::NewP256Key();
  crypto::X509Ptr cert = testing::MakeCertificate(key.get(), "Builder One", ca.get(), ca_key.get(),
                                                  /*is_ca=*/false, 2, "bidder");
  Signer s{testing::PemOf(ca.get()), testing::PemOf(cert.get()), "", ""};
  const std::string fp = crypto::PartyFromPem(s.certificate_pem)->fingerprint();
  const std::string message = ConfirmationMessage(kTender, 1, AnnouncementHash(Table(fp)));
  s.signature = *crypto::Sign(key.get(), message);
  s.record_signature = *crypto::Sign(key.get(), RecordSigningInput(RecordOfVector(fp)));
  return s;
}

std::map<std::string, std::string> Stored() {
  std::ifstream in(kVectorPath);
  std::map<std::string, std::string> out;
  for (std::string line; std::getline(in, line);) {
    const size_t space = line.find(' ');
    if (space != std::string::npos) out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

Signer StoredSigner() {
  std::map<std::string, std::string> v = Stored();
  return {absl::HexStringToBytes(v["ca_pem"]), absl::HexStringToBytes(v["certificate_pem"]),
          absl::HexStringToBytes(v["signature"]), absl::HexStringToBytes(v["record_signature"])};
}

v1::AnnouncementConfirmed ConfirmationBy(const Signer& s) {
  const std::string fp = crypto::PartyFromPem(s.certificate_pem)->fingerprint();
  v1::AnnouncementConfirmed c;
  c.set_lot(1);
  c.set_bid(7);
  c.set_announcement_sha256(AnnouncementHash(Table(fp)));
  c.set_signature(s.signature);
  c.set_bidder_certificate_pem(s.certificate_pem);
  return c;
}

v1::Party PartyOf(const Signer& s) { return *crypto::PartyFromPem(s.certificate_pem); }

TEST(HallVectorTest, TheStoredVectorIsReproducedAndItsSignatureChecks) {
  if (const char* path = std::getenv("BIDOPEN_WRITE_HALL_VECTORS")) {
    std::ofstream(path) << Text(Lines(NewSigner()));
    return;
  }
  const Signer s = StoredSigner();
  ASSERT_FALSE(s.certificate_pem.empty()) << "no vector at " << kVectorPath;
  std::ifstream in(kVectorPath);
  std::stringstream stored;
  stored << in.rdbuf();
  EXPECT_EQ(stored.str(), Text(Lines(s)));
  // The stored certificate has expired since (test certificates live an
  // hour): the signature alone; the CA's part is checked with fresh ones below.
  const v1::AnnouncementConfirmed c = ConfirmationBy(s);
  EXPECT_TRUE(crypto::VerifySignature(s.certificate_pem,
                                      ConfirmationMessage(kTender, 1, c.announcement_sha256()),
                                      s.signature)
                  .ok());
}

TEST(HallVectorTest, AFreshConfirmationChecksWithTheCa) {
  const Signer s = NewSigner();
  EXPECT_TRUE(CheckConfirmationSignature(ConfirmationBy(s), PartyOf(s), kTender, s.ca_pem).ok());
}

TEST(HallVectorTest, TheHashIsTheLabelledHashOfTheBytesAndAnyChangeChangesIt) {
  v1::AnnouncementTable t = Table("ab");
  const std::string hash = AnnouncementHash(t);
  EXPECT_EQ(hash, seal::LabelledHash("bidopen/v1/announcement", {AnnouncementBytes(t)}));
  t.mutable_bids(0)->mutable_values(0)->set_value("1234.49");
  EXPECT_NE(AnnouncementHash(t), hash);
  t = Table("ab");
  t.mutable_bids(1)->set_fault(v1::FAULT_PLATFORM);
  EXPECT_NE(AnnouncementHash(t), hash);
  EXPECT_EQ(
      ConfirmationMessage(kTender, 1, hash),
      absl::StrCat(std::string("\0\0\0\x12", 4), "bidopen/v1/confirm", std::string("\0\0\0\x0c", 4),
                   kTender, std::string("\0\0\0\x01", 4), std::string("\0\0\0\x20", 4), hash));
}

TEST(HallVectorTest, ASignatureByAnotherKeyOverAnotherHashOrFromAnotherCaIsRefused) {
  const Signer s = NewSigner();
  v1::AnnouncementConfirmed other_hash = ConfirmationBy(s);
  other_hash.set_announcement_sha256(std::string(32, 'x'));
  EXPECT_TRUE(StatusIs(CheckConfirmationSignature(other_hash, PartyOf(s), kTender, s.ca_pem),
                       absl::StatusCode::kDataLoss,
                       {"the confirmation for bid 7: its signature: "}));
  EXPECT_TRUE(
      StatusIs(CheckConfirmationSignature(ConfirmationBy(s), PartyOf(s), "T-OTHERTENDR", s.ca_pem),
               absl::StatusCode::kDataLoss, {"its signature: "}));
  const Signer stranger = NewSigner();
  v1::AnnouncementConfirmed forged = ConfirmationBy(s);
  forged.set_signature(stranger.signature);
  EXPECT_TRUE(StatusIs(CheckConfirmationSignature(forged, PartyOf(s), kTender, s.ca_pem),
                       absl::StatusCode::kDataLoss, {"its signature: "}));
  EXPECT_TRUE(
      StatusIs(CheckConfirmationSignature(ConfirmationBy(s), PartyOf(s), kTender, stranger.ca_pem),
               absl::StatusCode::kDataLoss, {"its certificate: "}));
  EXPECT_TRUE(StatusIs(
      CheckConfirmationSignature(ConfirmationBy(stranger), PartyOf(s), kTender, stranger.ca_pem),
      absl::StatusCode::kDataLoss, {"its certificate is not the revealed bidder's"}));
}

// A connection may outlive its certificate; the server checks the dates on
// every call before anything is signed with it (server/auth/policy.cc).
TEST(HallVectorTest, ACertificateIsValidOnlyInsideItsDates) {
  const Signer s = NewSigner();  // valid 10 years back and 5 ahead
  EXPECT_TRUE(crypto::CheckValidAt(s.certificate_pem, absl::Now()).ok());
  EXPECT_TRUE(testing::StatusIs(
      crypto::CheckValidAt(s.certificate_pem, absl::Now() + absl::Hours(24 * 365 * 6)),
      absl::StatusCode::kUnauthenticated, {"your certificate expired before"}));
  EXPECT_TRUE(testing::StatusIs(
      crypto::CheckValidAt(s.certificate_pem, absl::Now() - absl::Hours(24 * 365 * 11)),
      absl::StatusCode::kUnauthenticated, {"not valid yet"}));
}

}  // namespace
}  // namespace bidopen
