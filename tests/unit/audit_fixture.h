// Helpers for audit-log unit tests: a CA and a log certificate it issued, a
// synthetic event log with its Merkle tree, signed tree heads and bundles,
// all made here (the server's HeadSigner is not linked into unit tests).
#ifndef BIDOPEN_TESTS_UNIT_AUDIT_FIXTURE_H_
#define BIDOPEN_TESTS_UNIT_AUDIT_FIXTURE_H_

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "core/crypto/log_certificate.h"
#include "core/crypto/ossl.h"
#include "core/crypto/signature.h"
#include "core/log/bundle.h"
#include "core/log/checkpoint.h"
#include "core/log/memory_tree.h"
#include "core/log/merkle.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"

namespace bidopen::testing {

inline constexpr char kTestOrigin[] = "test-log";
inline constexpr char kTestCaName[] = "bidopen test CA";

using X509NameOwner = std::unique_ptr<X509_NAME, crypto::Deleter<X509_NAME_free>>;
using X509ExtOwner = std::unique_ptr<X509_EXTENSION, crypto::Deleter<X509_EXTENSION_free>>;

// --- Keys and certificates (EC P-256, made with the OpenSSL C API). ---

inline std::string PemOf(X509* cert) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_X509(bio.get(), cert), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

inline std::string PemOf(EVP_PKEY* key) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

inline crypto::PkeyPtr NewP256Key() {
  crypto::PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  EXPECT_TRUE(key != nullptr);
  return key;
}

inline void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtOwner ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext != nullptr) << value;
  EXPECT_EQ(X509_add_ext(cert, ext.get(), -1), 1) << value;
}

// A certificate for `key` named CN=`cn` (and O=Test Org, OU=`ou`, a role, if given),
// signed by `issuer_key` (self-signed when `issuer` is null). CA:TRUE when `is_ca`.
// `eku`: an extendedKeyUsage value ("critical,serverAuth"), if any.
inline crypto::X509Ptr MakeCertificate(EVP_PKEY* key, absl::string_view cn, X509* issuer,
                                       EVP_PKEY* issuer_key, bool is_ca, long serial,
                                       absl::string_view ou = "", absl::string_view eku = "") {
  crypto::X509Ptr cert(X509_new());
  EXPECT_TRUE(cert != nullptr);
  if (!cert || !key || !issuer_key) return cert;
  EXPECT_EQ(X509_set_version(cert.get(), X509_VERSION_3), 1);
  EXPECT_EQ(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial), 1);
  // Valid 10 years back and 5 ahead, for the fixtures' fixed times (2026-27)
  // as well as now: signatures in the log are checked as of when they were made.
  EXPECT_NE(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -10L * 365 * 86400), nullptr);
  EXPECT_NE(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 5L * 365 * 86400), nullptr);
  EXPECT_EQ(X509_set_pubkey(cert.get(), key), 1);
  X509NameOwner name(X509_NAME_new());
  const std::string cn_text(cn);
  EXPECT_EQ(X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(cn_text.c_str()), -1,
                                       -1, 0),
            1);
  if (!ou.empty()) {  // a party's certificate: one O and one OU, as bidopen requires
    const std::string ou_text(ou);
    for (auto [field, value] : {std::pair{"O", std::string("Test Org")}, {"OU", ou_text}})
      EXPECT_EQ(X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                           reinterpret_cast<const unsigned char*>(value.c_str()),
                                           -1, -1, 0),
                1);
  }
  EXPECT_EQ(X509_set_subject_name(cert.get(), name.get()), 1);
  EXPECT_EQ(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name.get()),
            1);
  X509* signer = issuer ? issuer : cert.get();
  if (is_ca) {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
  }
  if (!eku.empty()) AddExtension(cert.get(), signer, NID_ext_key_usage, std::string(eku).c_str());
  EXPECT_GT(X509_sign(cert.get(), issuer_key, EVP_sha256()), 0);
  return cert;
}

// A CA and the log certificate it issued (CN=bidopen log). Every CA made here
// has the same name, so a certificate from "another CA" differs only by the
// signature that issued it.
struct LogPki {
  std::string ca_pem;
  std::string cert_pem;  // the log certificate
  std::string key_pem;   // the log private key
  crypto::PkeyPtr key;
};

// The extended key usage deploy/pki.sh gives the log certificate.
inline const std::string kLogSigningUsage = absl::StrCat("critical,", crypto::kLogSigningOid);

inline LogPki MakeLogPki() {
  crypto::PkeyPtr ca_key = NewP256Key();
  crypto::X509Ptr ca =
      MakeCertificate(ca_key.get(), kTestCaName, nullptr, ca_key.get(), /*is_ca=*/true, 1);
  LogPki out;
  out.key = NewP256Key();
  crypto::X509Ptr cert =
      MakeCertificate(out.key.get(), "bidopen log", ca.get(), ca_key.get(), /*is_ca=*/false, 2,
                      /*ou=*/"", kLogSigningUsage);
  out.ca_pem = PemOf(ca.get());
  out.cert_pem = PemOf(cert.get());
  out.key_pem = PemOf(out.key.get());
  return out;
}

// --- A synthetic event log. ---

// Seq i belongs to tender-a (i % 3 == 0), tender-b (i % 3 == 1) or to no
// tender (i % 3 == 2, a key registration). In a log of 10: tender-a holds
// 0, 3, 6, 9 and tender-b holds 1, 4, 7.
inline std::string TenderOfSeq(uint64_t seq) {
  switch (seq % 3) {
    case 0:
      return "tender-a";
    case 1:
      return "tender-b";
    default:
      return "";
  }
}

struct SyntheticLog {
  std::vector<v1::Event> events;
  std::vector<std::string> bytes;  // EncodeEvent(events[i])
  log::MemoryTree tree;            // of LeafHash(bytes[i])
};

inline absl::Time EventTime(uint64_t seq) {
  return absl::FromUnixSeconds(1'780'000'000) + absl::Seconds(static_cast<int64_t>(seq));
}

// `n` events; `variant` goes into every text, so two variants are two
// different histories of the same shape.
inline SyntheticLog MakeSyntheticLog(uint64_t n, absl::string_view variant = "") {
  SyntheticLog out;
  std::map<std::string, uint64_t> last;  // tender -> 1 + seq of its latest event
  for (uint64_t i = 0; i < n; ++i) {
    v1::Event e;
    e.set_seq(i);
    *e.mutable_time() = ToProto(EventTime(i));
    const std::string tender = TenderOfSeq(i);
    e.set_tender_id(tender);
    e.mutable_actor()->set_common_name(absl::StrCat("actor ", i));
    if (tender.empty()) {
      e.mutable_key_registered()->set_x25519_public_key(
          absl::StrCat("key of ", i, variant, std::string(32, 'k')).substr(0, 32));
    } else if (last[tender] == 0) {
      e.mutable_tender_created()->set_title(absl::StrCat("title of ", tender, variant));
      e.mutable_tender_created()->set_reference(absl::StrCat("REF-", i));
      e.mutable_tender_created()->set_time_zone("UTC");
    } else {
      e.set_tender_prev(last[tender]);
      e.mutable_lot_amended()->set_lot(1);
      e.mutable_lot_amended()->set_reason(absl::StrCat("amendment ", i, variant));
      *e.mutable_lot_amended()->mutable_submission_deadline() = ToProto(EventTime(1000 + i));
    }
    if (!tender.empty()) last[tender] = i + 1;
    out.bytes.push_back(EncodeEvent(e));
    out.tree.Append(log::LeafHash(out.bytes.back()));
    out.events.push_back(std::move(e));
  }
  return out;
}

// --- Signed heads and bundles. ---

inline absl::Time HeadTime() {
  return absl::FromUnixSeconds(1'790'000'000) + absl::Nanoseconds(259'139'094);
}

inline std::string RawHash(const log::Hash& h) { return std::string(h.begin(), h.end()); }

// Signs `checkpoint` with `pki`'s log key into a head with the given fields.
inline v1::SignedTreeHead SignCheckpoint(const LogPki& pki, const log::Checkpoint& c) {
  v1::SignedTreeHead head;
  const std::string text = log::FormatCheckpoint(c);
  auto signature = crypto::Sign(pki.key.get(), text);
  EXPECT_TRUE(signature.ok()) << signature.status();
  head.set_size(c.size);
  head.set_root_hash(RawHash(c.root));
  *head.mutable_time() = ToProto(c.time);
  head.set_checkpoint(text);
  if (signature.ok()) head.set_signature(*signature);
  head.set_log_certificate_pem(pki.cert_pem);
  return head;
}

// The head of the first `n` leaves of `tree`.
inline v1::SignedTreeHead SignHead(const LogPki& pki, const log::MemoryTree& tree, uint64_t n,
                                   absl::Time time = HeadTime()) {
  return SignCheckpoint(pki, {kTestOrigin, n, tree.RootAt(n), time});
}

inline void AddEntry(const SyntheticLog& log, uint64_t seq, v1::AuditBundle* b) {
  auto* entry = b->add_entries();
  entry->set_seq(seq);
  entry->set_event(log.bytes[seq]);
}

// `tender_id`'s events among the first `n`, each with its inclusion path.
inline v1::AuditBundle TenderBundle(const LogPki& pki, const SyntheticLog& log, uint64_t n,
                                    absl::string_view tender_id) {
  v1::AuditBundle b;
  b.set_format(log::kBundleFormat);
  *b.mutable_head() = SignHead(pki, log.tree, n);
  b.set_ca_certificate_pem(pki.ca_pem);
  b.set_tender_id(std::string(tender_id));
  for (uint64_t i = 0; i < n; ++i) {
    if (log.events[i].tender_id() != tender_id) continue;
    AddEntry(log, i, &b);
    auto path = log::InclusionProof(log.tree, i, n);
    EXPECT_TRUE(path.ok()) << path.status();
    if (!path.ok()) continue;
    for (const log::Hash& h : *path) b.mutable_entries()->rbegin()->add_inclusion_path(RawHash(h));
  }
  return b;
}

// Every one of the first `n` events, without paths (the root is recomputed).
inline v1::AuditBundle WholeLogBundle(const LogPki& pki, const SyntheticLog& log, uint64_t n) {
  v1::AuditBundle b;
  b.set_format(log::kBundleFormat);
  *b.mutable_head() = SignHead(pki, log.tree, n);
  b.set_ca_certificate_pem(pki.ca_pem);
  for (uint64_t i = 0; i < n; ++i) AddEntry(log, i, &b);
  return b;
}

// The consistency proof from the first `m` leaves of `tree` to its first `n`.
inline std::vector<log::Hash> Consistency(const log::MemoryTree& tree, uint64_t m, uint64_t n) {
  auto proof = log::ConsistencyProof(tree, m, n);
  EXPECT_TRUE(proof.ok()) << proof.status();
  return proof.ok() ? *proof : std::vector<log::Hash>{};
}

// Sets `previous` (the head of `m` leaves of `tree`) and the consistency proof
// from it to `b`'s head, computed over `proof_tree`.
inline void SetPrevious(const LogPki& pki, const log::MemoryTree& tree, uint64_t m,
                        const log::MemoryTree& proof_tree, v1::AuditBundle* b) {
  // Signed after event m - 1 and before event m, as a real earlier head is
  // (events it does not hold are not timed before it: CheckTimes).
  *b->mutable_previous() = SignHead(pki, tree, m, EventTime(m) - absl::Milliseconds(500));
  auto* c = b->mutable_consistency();
  c->set_first(m);
  c->set_second(b->head().size());
  for (const log::Hash& h : Consistency(proof_tree, m, b->head().size())) c->add_path(RawHash(h));
}

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_UNIT_AUDIT_FIXTURE_H_
