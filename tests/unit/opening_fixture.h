// Real sealed bids for opening tests (fold_opening_test.cc,
// verdict_matrix_test.cc, opening_vector_test.cc): a lot of three custodians
// (k = 2) with per-lot keys, bids sealed in memory with SealBid (or resealed
// the way a dishonest or broken bidder's client would), their submission
// statements, and the opening's events built from them.
#ifndef BIDOPEN_TESTS_UNIT_OPENING_FIXTURE_H_
#define BIDOPEN_TESTS_UNIT_OPENING_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/events.pb.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/time_text.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/context.h"
#include "core/seal/documents.h"
#include "core/seal/header.h"
#include "core/seal/key_plan.h"
#include "core/seal/release_check.h"
#include "core/seal/seal_bid.h"
#include "core/seal/stream_reader.h"
#include "core/seal/stream_writer.h"
#include "core/seal/values_section.h"

namespace bidopen::opening_test {

inline crypto::X25519KeyPair NewPair() {
  auto pair = crypto::GenerateX25519();
  EXPECT_TRUE(pair.ok()) << pair.status();
  return pair.ok() ? *pair : crypto::X25519KeyPair{};
}

// A certificate fingerprint: hex SHA-256 of `name`.
inline std::string FingerprintOf(absl::string_view name) {
  return crypto::Hex(crypto::Sha256(name));
}

// How a bidder's client may have sealed wrongly (an honest bid has none).
struct Tamper {
  // The shares split a secret other than the committed s (under BOTH: an s_q
  // with s_b XOR s_q != s): the quorum path gives another secret.
  bool quorum_off = false;
  // The bidder's record wraps a secret other than the one committed.
  bool bidder_off = false;
  // The wrap of this share (1-based) garbled: a bad record, its commitment right.
  uint32_t spoil_share = 0;
  // The values as sealed, if not the canonical ones of the form (sealed
  // without the form check a real client makes).
  std::optional<std::vector<v1::FormValue>> values;
};

// One sealed bid and what its bidder keeps.
struct SealedBid {
  v1::SealedHeader header;
  std::string header_bytes;
  std::string file;            // magic to final chunk
  std::string secret;          // s, as committed in the header
  std::string bidder_release;  // what the bidder's key unwraps (s, or s_b under BOTH)
  std::string values_key;      // r_v
  std::vector<v1::FormValue> values;
};

inline v1::FormValue Value(std::string name, std::string value) {
  v1::FormValue v;
  v.set_name(std::move(name));
  v.set_value(std::move(value));
  return v;
}

// A lot with the opening form of the test vectors (price decimal, duration_days
// int, both required), the policy, and three custodians with per-lot keys.
class OpeningLot {
 public:
  explicit OpeningLot(v1::OpeningPolicy policy, std::string tender_id = "T-1")
      : tender_id_(std::move(tender_id)) {
    lot_.set_number(1);
    v1::LotSpec* spec = lot_.mutable_spec();
    AddField(spec, "price", v1::FIELD_TYPE_DECIMAL);
    AddField(spec, "duration_days", v1::FIELD_TYPE_INT);
    spec->set_policy(policy);
    if (policy != v1::OPENING_POLICY_BIDDER) {
      spec->set_threshold(2);
      for (int i = 0; i < 3; ++i) {
        custodians_.push_back(NewPair());
        spec->add_custodians(CustodianFp(i));
        spec->add_custodian_keys(custodians_.back().public_key);
      }
    }
  }

  static std::string CustodianFp(int i) {
    return FingerprintOf(absl::StrCat("custodian ", i + 1, " certificate"));
  }

  const v1::Lot& lot() const { return lot_; }
  const v1::LotSpec& spec() const { return lot_.spec(); }
  v1::LotSpec* mutable_spec() { return lot_.mutable_spec(); }
  const std::string& tender_id() const { return tender_id_; }
  const std::string& custodian_private(int i) const { return custodians_[i].private_key; }
  std::vector<std::string> lot_keys() const {
    return {spec().custodian_keys().begin(), spec().custodian_keys().end()};
  }

  // Seals a bid of `bidder` (its fingerprint and X25519 key pair) with
  // SealBid; with a tamper, reseals its keys (and values) the way a broken
  // client would and writes the file again around the new header.
  SealedBid Seal(const std::string& bidder_fp, const crypto::X25519KeyPair& bidder,
                 const seal::FormInput& form, const Tamper& tamper = {},
                 seal::RandomSource* random = nullptr) const {
    seal::SealParams p;
    p.tender_id = tender_id_;
    p.lot = lot_;
    p.keys = {bidder_fp, bidder.public_key, {}};
    for (size_t i = 0; i < custodians_.size(); ++i)
      p.keys.custodians.emplace_back(CustodianFp(static_cast<int>(i)), custodians_[i].public_key);
    p.form = form;
    p.chunk_size = 1024;
    p.random = random;
    std::ostringstream out;
    auto r = seal::SealBid(p, out);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    SealedBid b;
    b.header = r->header;
    b.file = out.str();
    b.secret = r->secret.bytes();
    b.values.assign(r->manifest.values().begin(), r->manifest.values().end());
    if (tamper.quorum_off || tamper.bidder_off || tamper.spoil_share != 0 || tamper.values)
      Reseal(tamper, random, &b);
    b.header_bytes = seal::EncodeHeader(b.header);
    b.bidder_release = BidderRelease(b.header, bidder.private_key);
    auto rv = seal::DeriveKey(b.secret, seal::kValuesKeyLabel, seal::ContextHash(b.header));
    EXPECT_TRUE(rv.ok()) << rv.status();
    if (rv.ok()) b.values_key = rv->bytes();
    return b;
  }

 private:
  static void AddField(v1::LotSpec* spec, const char* name, v1::FieldType type) {
    v1::FormField* f = spec->add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_required(true);
  }

  static std::string BidderRelease(const v1::SealedHeader& h, const std::string& key) {
    if (h.policy() == v1::OPENING_POLICY_QUORUM) return "";
    auto s = seal::UnwrapBidderSecret(h, key);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? s->bytes() : "";
  }

  // New secrets and records for the same header fields, then the file again.
  static void Reseal(const Tamper& t, seal::RandomSource* random, SealedBid* b) {
    seal::RandomSource& rnd = random != nullptr ? *random : seal::OsRandom();
    auto secrets = seal::DrawSecrets(b->header, rnd);
    ASSERT_TRUE(secrets.ok()) << secrets.status();
    if (t.quorum_off) {  // shares (and under BOTH s_q's commitment) of another secret
      auto other = seal::DrawSecrets(b->header, rnd);
      ASSERT_TRUE(other.ok()) << other.status();
      secrets->shares = other->shares;
      if (b->header.policy() == v1::OPENING_POLICY_BOTH) secrets->quorum_part = other->quorum_part;
    }
    if (t.bidder_off) secrets->bidder_part = crypto::Secret(rnd.Bytes(32));
    if (t.values) b->values = *t.values;
    const std::string encoding = seal::ValuesEncoding(b->values);
    ASSERT_TRUE(seal::SealKeys(*secrets, encoding, rnd, &b->header).ok());
    for (v1::Recipient& r : *b->header.mutable_recipients())
      if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE && r.share_x() == t.spoil_share)
        r.mutable_wrapped()->at(0) ^= 1;
    std::ostringstream out;
    seal::SealWriter w(out, /*hash_file=*/false);
    ASSERT_TRUE(w.Begin(b->header, secrets->secret.view()).ok());
    ASSERT_TRUE(w.Write(seal::ValuesSection(encoding, b->header.values_size())).ok());
    ASSERT_TRUE(w.Write(seal::DocumentTable({})).ok());
    ASSERT_TRUE(w.Finish().ok());
    b->file = out.str();
    b->secret = secrets->secret.bytes();
  }

  std::string tender_id_;
  v1::Lot lot_;
  std::vector<crypto::X25519KeyPair> custodians_;
};

// What ReadBid makes of a file with a recovered secret, as the opening reads
// it: with the lot's form, values and r_v if it opens, else the reason.
struct ReadOutcome {
  bool opened = false;
  std::string reason;
  std::vector<v1::FormValue> values;
  std::string values_key;
};

inline ReadOutcome ReadWith(const std::string& file, const std::string& secret,
                            const v1::LotSpec& form) {
  std::istringstream in(file);
  auto reader = seal::SealReader::Open(in);
  ReadOutcome out;
  if (!reader.ok()) {
    out.reason = reader.status().ToString();
    return out;
  }
  auto read = seal::ReadBid(*reader, secret, nullptr, &form);
  if (!read.ok()) {
    out.reason = read.status().ToString();
    return out;
  }
  out.opened = true;
  out.values.assign(read->values().begin(), read->values().end());
  auto rv = seal::DeriveKey(secret, seal::kValuesKeyLabel, seal::ContextHash(reader->header()));
  if (rv.ok()) out.values_key = rv->bytes();
  return out;
}

// The submission statement a bidder signs for `bid`, with its client nonce.
inline v1::BidStatement StatementFor(const SealedBid& bid, const std::string& tender_id, int lot,
                                     const std::string& bidder_fp, uint8_t nonce_byte) {
  v1::BidStatement s;
  s.set_purpose(std::string(bid::kSubmitPurpose));
  s.set_tender_id(tender_id);
  s.set_lot(lot);
  s.set_bidder(bidder_fp);
  s.set_header_sha256(seal::HeaderHash(bid.header_bytes));
  s.set_ciphertext_sha256(crypto::Sha256(bid.file));
  s.set_size(bid.file.size());
  s.set_client_nonce(std::string(bid::kClientNonceSize, static_cast<char>(nonce_byte)));
  return s;
}

}  // namespace bidopen::opening_test

#endif  // BIDOPEN_TESTS_UNIT_OPENING_FIXTURE_H_
