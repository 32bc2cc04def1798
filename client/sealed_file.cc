#include "client/sealed_file.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "core/bid/statement.h"
#include "core/crypto/kdf.h"
#include "core/crypto/signature.h"
#include "core/seal/digest.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

constexpr size_t kReadSize = 1 << 20;

absl::StatusOr<std::ifstream> OpenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return in;
}

// SHA-256 and size of the whole file, read in pieces.
absl::Status HashFile(SealedFile* f) {
  BO_ASSIGN_OR_RETURN(std::ifstream in, OpenFile(f->path));
  seal::Sha256Stream sha;
  std::string buf(kReadSize, '\0');
  f->size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    sha.Update(absl::string_view(buf.data(), n));
    f->size += n;
  }
  if (!in.eof()) return absl::DataLossError(absl::StrCat("reading ", f->path, " failed"));
  f->ciphertext_sha256 = sha.Finish();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SealedFile> InspectSealedFile(const std::string& path) {
  SealedFile f;
  f.path = path;
  {
    BO_ASSIGN_OR_RETURN(std::ifstream in, OpenFile(path));
    auto reader = seal::SealReader::Open(in);
    if (!reader.ok())
      return absl::InvalidArgumentError(absl::StrCat(path, " is not a sealed bid (",
                                                     reader.status().message(),
                                                     "); seal one with `bidctl bid seal`"));
    f.header = reader->header();
    f.header_sha256 = reader->header_hash();
  }
  BO_RETURN_IF_ERROR(HashFile(&f));
  return f;
}

absl::Status CheckSealedBy(const SealedFile& f, const std::string& fingerprint) {
  if (f.header.bidder() == fingerprint) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      f.path, " was sealed by the bidder ", f.header.bidder(), ", not by your certificate (",
      fingerprint, "); submit it with the certificate it was sealed for, or seal it again"));
}

v1::BidStatement StatementFor(const SealedFile& f, absl::string_view purpose,
                              std::optional<uint64_t> bid_seq) {
  v1::BidStatement s;
  s.set_purpose(std::string(purpose));
  s.set_tender_id(f.header.tender_id());
  s.set_lot(f.header.lot());
  s.set_bidder(f.header.bidder());
  s.set_header_sha256(f.header_sha256);
  s.set_ciphertext_sha256(f.ciphertext_sha256);
  s.set_size(f.size);
  s.set_client_nonce(crypto::RandomBytes(bid::kClientNonceSize));
  if (bid_seq) s.set_bid_seq(*bid_seq);
  return s;
}

absl::StatusOr<SignedStatement> SignStatement(const Profile& p, const v1::BidStatement& s) {
  BO_ASSIGN_OR_RETURN(std::string pem, ReadFileBytes(p.key, "--key"));
  BO_ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PrivateKeyFromPem(pem));
  SignedStatement out;
  out.bytes = bid::EncodeStatement(s);
  BO_ASSIGN_OR_RETURN(out.signature, crypto::Sign(key.get(), out.bytes));
  return out;
}

}  // namespace bidopen::client
