// A known-answer vector of a signed release (docs/protocol.md "Releasing"),
// for the independent check in tests/vectors/opening_check.py: the fields of a
// KeyReleased, the ReleaseSigningInput bytes they give, a releaser's
// certificate and its signature over them. ECDSA signatures are randomized,
// so the stored signature is verified rather than reproduced; the input bytes
// are reproduced byte for byte.
// BIDOPEN_WRITE_RELEASE_VECTOR=FILE writes tests/vectors/release_vector.txt anew.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/signature.h"
#include "core/log/checkpoint.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "tests/unit/audit_fixture.h"
#include "tests/unit/vector_file.h"

namespace bidopen {
namespace {

constexpr char kPath[] = BIDOPEN_SOURCE_DIR "/tests/vectors/release_vector.txt";
constexpr char kTender[] = "T-7K2M9Q4XRB";

// A custodian's release of share 2 of lot 3, citing a head of size 41.
v1::KeyReleased Fields() {
  v1::KeyReleased k;
  k.set_lot(3);
  k.set_kind(v1::RELEASE_KIND_CUSTODIAN);
  k.set_bid(0);
  k.set_share_x(2);
  k.set_material_sha256(ReleasedHash(std::string(32, '\x5a')));
  log::Checkpoint c;
  c.origin = "bidopen.example/log";
  c.size = 41;
  for (size_t i = 0; i < c.root.size(); ++i) c.root[i] = static_cast<uint8_t>(i);
  c.time = absl::FromUnixMicros(1796012345678901);
  k.set_seen_checkpoint(log::FormatCheckpoint(c));
  return k;
}


TEST(ReleaseVectorTest, TheStoredInputIsReproducedAndItsSignatureVerifies) {
  const v1::KeyReleased k = Fields();
  const std::string input = ReleaseSigningInput(kTender, k);
  if (const char* path = std::getenv("BIDOPEN_WRITE_RELEASE_VECTOR")) {
    crypto::PkeyPtr key = testing::NewP256Key();
    crypto::X509Ptr cert = testing::MakeCertificate(key.get(), "Notary One", nullptr, key.get(),
                                                    /*is_ca=*/false, 7, "custodian");
    auto signature = crypto::Sign(key.get(), input);
    ASSERT_TRUE(signature.ok());
    std::ofstream out(path);
    out << "tender_id " << kTender << "\nlot " << k.lot() << "\nkind " << k.kind() << "\nbid "
        << k.bid() << "\nshare_x " << k.share_x() << "\nmaterial_sha256 "
        << absl::BytesToHexString(k.material_sha256()) << "\nseen_checkpoint "
        << absl::BytesToHexString(k.seen_checkpoint()) << "\ninput "
        << absl::BytesToHexString(input) << "\nsignature " << absl::BytesToHexString(*signature)
        << "\ncertificate " << absl::BytesToHexString(testing::PemOf(cert.get())) << "\n";
    return;
  }
  std::map<std::string, std::string> v = testing::ReadVectorFile(kPath);
  ASSERT_FALSE(v.empty()) << kPath;
  EXPECT_EQ(v["input"], absl::BytesToHexString(input));
  EXPECT_EQ(v["seen_checkpoint"], absl::BytesToHexString(k.seen_checkpoint()));
  const std::string cert = absl::HexStringToBytes(v["certificate"]);
  const std::string signature = absl::HexStringToBytes(v["signature"]);
  EXPECT_TRUE(crypto::VerifySignature(cert, input, signature).ok());
  v1::KeyReleased other = k;
  other.set_share_x(3);
  EXPECT_FALSE(crypto::VerifySignature(cert, ReleaseSigningInput(kTender, other), signature).ok());
}

}  // namespace
}  // namespace bidopen
