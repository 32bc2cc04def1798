#include "client/seal_record.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/profile.h"
#include "core/crypto/secret.h"
#include "core/crypto/sha256.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

std::string KeptKeysPath(absl::string_view bid_id) {
  return absl::StrCat(ConfigDir(), "/keys/bids/", crypto::Hex(bid_id), ".json");
}

absl::StatusOr<nlohmann::json> ReadJson(const std::string& path, absl::string_view what) {
  BO_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path, what));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return absl::DataLossError(absl::StrCat(path, ": not a ", what, " (JSON object)"));
  return j;
}

absl::Status Differs(const SealedFile& f, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      f.path, " is not the file `bid seal` wrote: ", what,
      ". It was changed, cut or extended after sealing and would not open at the opening; "
      "seal the bid again"));
}

// Opens every chunk of `f` with the secret kept at sealing (nothing is kept
// of the plaintext): any byte changed after sealing fails its chunk's tag.
absl::Status CheckEveryChunkOpens(const SealedFile& f) {
  auto kept = LoadKeptBidKeys(f.header.bid_id());
  if (!kept.ok())
    return absl::FailedPreconditionError(absl::StrCat(
        kept.status().message(), ". `bid submit` proves with them that ", f.path,
        " opens before it sends it: submit with the configuration folder that sealed it "
        "(BIDOPEN_CONFIG_DIR), or seal it again here"));
  crypto::Secret secret(std::move(kept->secret));
  std::ifstream in(f.path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", f.path));
  auto reader = seal::SealReader::Open(in);
  if (!reader.ok()) return Differs(f, reader.status().message());
  if (absl::Status st = reader->CheckSecret(secret.view()); !st.ok())
    return Differs(f, st.message());
  if (absl::Status st =
          reader->ReadPlaintext(secret.view(), [](absl::string_view) { return absl::OkStatus(); });
      !st.ok())
    return Differs(f, st.message());
  return absl::OkStatus();
}

}  // namespace

std::string SealRecordPath(const std::string& sealed_path) { return sealed_path + ".seal"; }

absl::Status KeepSealRecord(const std::string& path, const seal::SealResult& r) {
  nlohmann::json keys = {{"bid_id", crypto::Hex(r.header.bid_id())},
                         {"file", path},
                         {"secret", crypto::Hex(r.secret.bytes())},
                         {"ephemeral_keys", nlohmann::json::array()}};
  for (const crypto::Secret& k : r.ephemeral_keys)
    keys["ephemeral_keys"].push_back(crypto::Hex(k.bytes()));
  BO_RETURN_IF_ERROR(WriteFileAtomically(KeptKeysPath(r.header.bid_id()), keys.dump(2), true));
  const nlohmann::json record = {{"format", 2},
                                 {"bid_id", crypto::Hex(r.header.bid_id())},
                                 {"header_hash", crypto::Hex(r.header_hash)},
                                 {"size", r.ciphertext_size}};
  return WriteFileAtomically(SealRecordPath(path), record.dump(2) + "\n");
}

absl::Status CheckAgainstSealRecord(const SealedFile& f) {
  auto record = ReadJson(SealRecordPath(f.path), "sealing record");
  if (!record.ok())
    return absl::FailedPreconditionError(absl::StrCat(
        "no sealing record for ", f.path, " (", record.status().message(),
        "): `bid seal` writes FILE.seal beside the file; keep it with the file, or seal the bid "
        "again"));
  const uint64_t size = record->value("size", uint64_t{0});
  const std::string header_hash = record->value("header_hash", "");
  const std::string bid_id = record->value("bid_id", "");
  const std::string sha = record->value("sha256", "");
  if (bid_id.empty() || header_hash.empty() || size == 0)
    return absl::FailedPreconditionError(absl::StrCat(
        SealRecordPath(f.path), " is not a sealing record (it lacks bid_id, header_hash or size)",
        "; put the FILE.seal that `bid seal` wrote beside ", f.path, ", or seal the bid again"));
  if (bid_id != crypto::Hex(f.header.bid_id()))
    return absl::FailedPreconditionError(absl::StrCat(
        SealRecordPath(f.path), " is the sealing record of another sealed file (bid ", bid_id,
        "), not of ", f.path, " (bid ", crypto::Hex(f.header.bid_id()),
        "); put the right FILE.seal beside it (`bid check` tells whether the file itself opens)"));
  if (size != f.size)
    return Differs(f, absl::StrCat("it is ", f.size, " bytes, it was sealed as ", size));
  if (header_hash != crypto::Hex(f.header_sha256))
    return Differs(f, absl::StrCat("its header hashes to ", crypto::Hex(f.header_sha256),
                                   ", it was sealed as ", header_hash));
  if (!sha.empty() && sha != crypto::Hex(f.ciphertext_sha256))
    return Differs(f, absl::StrCat("its SHA-256 is ", crypto::Hex(f.ciphertext_sha256),
                                   ", it was sealed as ", sha));
  return CheckEveryChunkOpens(f);
}

absl::StatusOr<KeptBidKeys> LoadKeptBidKeys(absl::string_view bid_id) {
  auto j = ReadJson(KeptKeysPath(bid_id), "kept bid key file");
  if (!j.ok())
    return absl::NotFoundError(absl::StrCat(
        "this computer kept no keys for bid ", crypto::Hex(bid_id), " (", j.status().message(),
        "); sealed bids are checked with keys bidctl keeps in the configuration folder that "
        "sealed them (" +
            ConfigDir() + "/keys/bids/), never sent"));
  KeptBidKeys out;
  out.secret = absl::HexStringToBytes(j->value("secret", ""));
  for (const auto& k : (*j)["ephemeral_keys"])
    out.ephemeral_keys.push_back(absl::HexStringToBytes(k.get<std::string>()));
  return out;
}

}  // namespace bidopen::client
