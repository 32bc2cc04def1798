#include "core/seal/seal_bid.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/file_source.h"
#include "core/seal/stream_writer.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

absl::Status CheckParams(const SealParams& p) {
  if (p.tender_id.empty()) return Invalid("tender_id", "empty");
  if (p.lot.number() < 1)
    return Invalid("lot", absl::StrCat(p.lot.number(), " is not a lot number"));
  if (p.keys.bidder_fingerprint.empty()) return Invalid("bidder", "no certificate fingerprint");
  if (p.chunk_size < kMinChunkSize || p.chunk_size > kMaxChunkSize)
    return Invalid("chunk_size",
                   absl::StrCat(p.chunk_size, " is outside ", kMinChunkSize, "..", kMaxChunkSize));
  return absl::OkStatus();
}

v1::OpeningPolicy PolicyOf(const v1::LotSpec& spec) {
  return spec.policy() == v1::OPENING_POLICY_UNSPECIFIED ? v1::OPENING_POLICY_ANY : spec.policy();
}

absl::StatusOr<KeyPlan> PlanKeys(const SealParams& p, const RandomFn& random) {
  const v1::OpeningPolicy policy = PolicyOf(p.lot.spec());
  SealRecipientKeys keys = p.keys;
  keys.custodians.clear();
  if (policy != v1::OPENING_POLICY_BIDDER) {
    BO_ASSIGN_OR_RETURN(keys.custodians, CustodiansInLotOrder(p.lot.spec(), p.keys));
  }
  const WrapContext ctx{p.tender_id, p.lot.number()};
  return MakeKeyPlan(policy, p.lot.spec().threshold(), ctx, keys, random);
}

v1::SealedHeader MakeHeader(const SealParams& p, const SealResult& r, KeyPlan& plan) {
  v1::SealedHeader h;
  h.set_suite(std::string(kSuiteX25519Aes));
  h.set_tender_id(p.tender_id);
  h.set_lot(p.lot.number());
  h.set_bidder(p.keys.bidder_fingerprint);
  h.set_chunk_size(p.chunk_size);
  h.set_manifest_sha256(r.manifest_sha256);
  h.set_policy(PolicyOf(p.lot.spec()));
  h.set_threshold(h.policy() == v1::OPENING_POLICY_BIDDER ? 0 : p.lot.spec().threshold());
  for (v1::Recipient& recipient : plan.recipients) *h.add_recipients() = std::move(recipient);
  return h;
}

absl::Status Changed(absl::string_view what, absl::string_view path, absl::string_view how) {
  return absl::FailedPreconditionError(absl::StrCat(
      what, ": ", path, " changed while the bid was being sealed (", how, "); seal it again"));
}

std::string What(size_t index) { return absl::StrCat("documents[", index, "]"); }

// The documents' stamps, to see that none changes between its two reads
// (instead of hashing it a second time: the opening checks every hash anyway).
absl::StatusOr<std::vector<FileStamp>> Stamps(const std::vector<DocumentSource>& documents) {
  std::vector<FileStamp> out;
  for (size_t i = 0; i < documents.size(); ++i) {
    BO_ASSIGN_OR_RETURN(FileStamp s, StampOf(What(i), documents[i].path));
    out.push_back(s);
  }
  return out;
}

absl::Status CheckStamp(const DocumentSource& source, const FileStamp& hashed, size_t index) {
  BO_ASSIGN_OR_RETURN(FileStamp now, StampOf(What(index), source.path));
  if (now == hashed) return absl::OkStatus();
  return Changed(What(index), source.path, "its size, inode or modification time differs");
}

// Streams one document into the writer and checks it is still what was hashed.
absl::Status SealDocument(const DocumentSource& source, const v1::Document& doc,
                          const FileStamp& hashed, size_t index, SealWriter& writer) {
  BO_RETURN_IF_ERROR(CheckStamp(source, hashed, index));
  uint64_t size = 0;
  BO_RETURN_IF_ERROR(
      ForEachPiece(What(index), source.path, kReadPieceSize, [&](absl::string_view piece) {
        size += piece.size();
        if (size > doc.size()) return absl::OkStatus();  // reported below, after the loop
        return writer.Write(piece);
      }));
  if (size != doc.size())
    return Changed(What(index), source.path,
                   absl::StrCat("it was ", doc.size(), " bytes when hashed, ", size, " bytes now"));
  return CheckStamp(source, hashed, index);
}

absl::Status WritePayload(const SealParams& p, const SealResult& r,
                          const std::vector<FileStamp>& stamps, absl::string_view manifest_bytes,
                          SealWriter& writer) {
  BO_RETURN_IF_ERROR(writer.Write(PlaintextPrefix(manifest_bytes)));
  for (size_t i = 0; i < stamps.size(); ++i)
    BO_RETURN_IF_ERROR(SealDocument(p.documents[i], r.manifest.documents(static_cast<int>(i)),
                                    stamps[i], i, writer));
  return writer.Finish();
}

}  // namespace

absl::StatusOr<SealResult> SealBid(const SealParams& p, std::ostream& out) {
  BO_RETURN_IF_ERROR(CheckParams(p));
  const RandomFn random = p.random ? p.random : RandomFn(crypto::RandomBytes);
  SealResult r;
  const BidIdentity id{p.tender_id, p.lot.number(), p.keys.bidder_fingerprint};
  BO_ASSIGN_OR_RETURN(std::vector<FileStamp> stamps, Stamps(p.documents));
  BO_ASSIGN_OR_RETURN(r.manifest, BuildManifest(id, p.lot.spec(), p.form, p.documents));
  for (size_t i = 0; i < stamps.size(); ++i)
    BO_RETURN_IF_ERROR(CheckStamp(p.documents[i], stamps[i], i));
  const std::string manifest_bytes = EncodeManifest(r.manifest);
  if (manifest_bytes.size() > kMaxManifestSize)
    return Invalid("documents", absl::StrCat("the manifest is ", manifest_bytes.size(),
                                             " bytes; at most ", kMaxManifestSize));
  r.manifest_sha256 = crypto::Sha256(manifest_bytes);
  BO_ASSIGN_OR_RETURN(KeyPlan plan, PlanKeys(p, random));
  r.header = MakeHeader(p, r, plan);
  BO_ASSIGN_OR_RETURN(*r.header.mutable_nonce_prefix(), DrawRandom(random, kNoncePrefixSize));
  SealWriter writer(out, p.hash_ciphertext);
  BO_RETURN_IF_ERROR(writer.Begin(r.header, plan.data_key));
  BO_RETURN_IF_ERROR(WritePayload(p, r, stamps, manifest_bytes, writer));
  r.header_hash = writer.header_hash();
  r.ciphertext_sha256 = writer.file_sha256();
  r.ciphertext_size = writer.file_size();
  return r;
}

}  // namespace bidopen::seal
