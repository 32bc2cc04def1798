// A known-answer vector of a signed action (docs/protocol.md "Signed
// actions"), for the independent check in tests/vectors/action_check.py: an
// AmendLotRequest's fields, its deterministic encoding, the message its maker
// signs, the maker's certificate and its signature. ECDSA signatures are
// randomized, so the stored one is verified rather than reproduced; the bytes
// are reproduced exactly.
// BIDOPEN_WRITE_ACTION_VECTOR=FILE writes tests/vectors/action_vector.txt anew.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "core/crypto/certificate.h"
#include "core/deterministic.h"
#include "core/opening/signed_action.h"
#include "core/opening/time_text.h"
#include "tests/unit/audit_fixture.h"
#include "tests/unit/vector_file.h"

namespace bidopen {
namespace {

constexpr char kPath[] = BIDOPEN_SOURCE_DIR "/tests/vectors/action_vector.txt";
constexpr char kMethod[] = "/bidopen.v1.TenderService/AmendLot";
const absl::Time kSignedAt = absl::FromUnixMicros(1796012345678901);

v1::AmendLotRequest Request() {
  v1::AmendLotRequest r;
  r.set_tender_id("T-7K2M9Q4XRB");
  r.set_lot(2);
  google::protobuf::Timestamp deadline;
  deadline.set_seconds(1796600000);
  deadline.set_nanos(500000000);
  *r.mutable_submission_deadline() = deadline;
  r.set_reason("补遗 1: the deadline moves a week");
  return r;
}


TEST(ActionVectorTest, TheStoredBytesAreReproducedAndTheSignatureVerifies) {
  const v1::AmendLotRequest r = Request();
  const std::string request = EncodeDeterministic(r);
  const std::string input = ActionMessage(kMethod, kSignedAt, request);
  if (const char* path = std::getenv("BIDOPEN_WRITE_ACTION_VECTOR")) {
    crypto::PkeyPtr key = testing::NewP256Key();
    crypto::X509Ptr cert = testing::MakeCertificate(key.get(), "City Procurement Centre", nullptr,
                                                    key.get(), /*is_ca=*/false, 9, "agency");
    auto sa = SignAction(key.get(), kMethod, r, kSignedAt);
    ASSERT_TRUE(sa.ok());
    std::ofstream out(path);
    out << "method " << kMethod << "\ntender_id " << r.tender_id() << "\nlot " << r.lot()
        << "\ndeadline_seconds " << r.submission_deadline().seconds() << "\ndeadline_nanos "
        << r.submission_deadline().nanos() << "\nreason " << r.reason() << "\nsigned_at_micros "
        << absl::ToUnixMicros(kSignedAt) << "\nrequest " << absl::BytesToHexString(request)
        << "\ninput " << absl::BytesToHexString(input) << "\nsignature "
        << absl::BytesToHexString(sa->signature()) << "\ncertificate "
        << absl::BytesToHexString(testing::PemOf(cert.get())) << "\n";
    return;
  }
  std::map<std::string, std::string> v = testing::ReadVectorFile(kPath);
  ASSERT_FALSE(v.empty()) << kPath;
  EXPECT_EQ(v["request"], absl::BytesToHexString(request));
  EXPECT_EQ(v["input"], absl::BytesToHexString(input));
  v1::SignedAction sa;
  *sa.mutable_signed_at() = ToProto(kSignedAt);
  sa.set_signature(absl::HexStringToBytes(v["signature"]));
  sa.set_request(request);
  sa.set_certificate_pem(absl::HexStringToBytes(v["certificate"]));
  auto maker = crypto::PartyFromPem(sa.certificate_pem());
  ASSERT_TRUE(maker.ok()) << maker.status();
  EXPECT_TRUE(CheckActionKey(kMethod, *maker, sa).ok());
  EXPECT_FALSE(CheckActionKey("/bidopen.v1.TenderService/CancelTender", *maker, sa).ok());
  *sa.mutable_signed_at() = ToProto(kSignedAt + absl::Microseconds(1));
  EXPECT_FALSE(CheckActionKey(kMethod, *maker, sa).ok());
}

}  // namespace
}  // namespace bidopen
