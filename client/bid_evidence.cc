#include "client/bid_evidence.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/digest.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {
namespace fs = std::filesystem;

v1::BidRef RefOf(const LotName& lot, uint64_t bid) {
  v1::BidRef ref;
  *ref.mutable_lot() = ToRef(lot);
  ref.set_bid(bid);
  return ref;
}

absl::Status SavePieces(grpc::ClientReader<v1::BidEvidence>& reader, SavedEvidence* e) {
  v1::BidEvidence part;
  if (!reader.Read(&part)) return absl::OkStatus();  // Finish says why
  if (!part.has_head())
    return absl::DataLossError("the server's evidence did not start with its head");
  e->head = part.head();
  std::ofstream out(e->file, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("-o: cannot write ", e->file));
  seal::Sha256Stream hash;
  uint64_t at = 0;
  while (reader.Read(&part)) {
    if (!part.has_piece() || part.piece().offset() != at)
      return absl::DataLossError(absl::StrCat("the server's evidence has a piece at offset ",
                                              part.piece().offset(), " where ", at, " was due"));
    out.write(part.piece().data().data(), static_cast<std::streamsize>(part.piece().data().size()));
    hash.Update(part.piece().data());
    at += part.piece().data().size();
  }
  out.close();
  if (!out) return absl::PermissionDeniedError(absl::StrCat("-o: cannot write ", e->file));
  if (at != e->head.size())
    return absl::DataLossError(absl::StrCat("the server sent ", at, " bytes of bid #",
                                            e->head.bid(), "'s sealed file; its head says ",
                                            e->head.size()));
  e->file_sha256 = hash.Finish();
  return absl::OkStatus();
}

absl::Status SaveReleases(SavedEvidence* e) {
  nlohmann::json j = {{"bid", e->head.bid()},
                      {"size", e->head.size()},
                      {"ciphertext_sha256", crypto::Hex(e->head.ciphertext_sha256())},
                      {"releases", nlohmann::json::array()}};
  for (const auto& r : e->head.releases())
    j["releases"].push_back({{"seq", r.seq()},
                             {"kind", v1::ReleaseKind_Name(r.kind())},
                             {"share_x", r.share_x()},
                             {"fingerprint", r.fingerprint()},
                             {"material", crypto::Hex(r.material())}});
  return WriteFileAtomically(e->releases_file, j.dump(2) + "\n", /*private_file=*/true);
}

}  // namespace

absl::StatusOr<SavedEvidence> SaveBidEvidence(const Session& s, const LotName& lot, uint64_t bid,
                                              const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return absl::PermissionDeniedError(absl::StrCat("-o: cannot create ", dir, ": ", ec.message()));
  SavedEvidence e;
  e.file = absl::StrCat(dir, "/bid-", bid, ".sealed");
  e.releases_file = absl::StrCat(dir, "/bid-", bid, ".releases.json");
  auto stub = v1::OpeningService::NewStub(s.channel);
  auto ctx = CallContext(3600);
  auto reader = stub->GetBidEvidence(ctx.get(), RefOf(lot, bid));
  const absl::Status saved = SavePieces(*reader, &e);
  if (!saved.ok()) {
    ctx->TryCancel();
    (void)reader->Finish();
    return saved;
  }
  BO_RETURN_IF_ERROR(s.Check(reader->Finish()));
  if (!e.head.bid())
    return absl::DataLossError("the server ended the evidence stream without its head");
  BO_RETURN_IF_ERROR(SaveReleases(&e));
  return e;
}

}  // namespace bidopen::client
