// bidctl bid fetch T/L BID -o DIR (agency, supervisor): an opened bid's
// documents, after decryption ended, each checked against the SHA-256 the
// bid's manifest gives while it is written.
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "client/command.h"
#include "client/document_writer.h"
#include "client/opening_view.h"
#include "core/crypto/sha256.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

struct FetchFlags {
  LotFlags lot;
  uint64_t bid = 0;
  std::string dir;
};

v1::BidRef BidRefOf(const LotName& lot, uint64_t bid) {
  v1::BidRef ref;
  *ref.mutable_lot() = ToRef(lot);
  ref.set_bid(bid);
  return ref;
}

// Reads the stream: the manifest first, then the documents' bytes.
absl::Status ReadContent(grpc::ClientReader<v1::BidContent>& reader, const std::string& dir,
                         v1::BidManifest* manifest) {
  v1::BidContent part;
  if (!reader.Read(&part)) return absl::OkStatus();  // Finish gives the server's status
  if (!part.has_manifest())
    return absl::DataLossError("the server's answer did not start with the bid's manifest");
  *manifest = part.manifest();
  DocumentWriter writer(dir, *manifest);
  BO_RETURN_IF_ERROR(writer.Prepare());
  while (reader.Read(&part)) {
    if (!part.has_piece())
      return absl::DataLossError("the server sent a second manifest in one bid's content");
    BO_RETURN_IF_ERROR(writer.Write(part.piece().document(), part.piece().data()));
  }
  return writer.Finish();
}

std::string UnitOf(const v1::LotSpec& spec, const std::string& field) {
  for (const auto& f : spec.form())
    if (f.name() == field && !f.unit().empty()) return " " + f.unit();
  return "";
}

void Print(const Globals& g, const FetchFlags& f, const v1::BidManifest& m,
           const v1::LotSpec& spec) {
  if (g.json) {
    nlohmann::json j = {{"bid", f.bid},
                        {"dir", f.dir},
                        {"values", nlohmann::json::object()},
                        {"documents", nlohmann::json::array()}};
    for (const auto& v : m.values()) j["values"][v.name()] = v.value();
    for (const auto& d : m.documents())
      j["documents"].push_back({{"name", d.name()},
                                {"size", d.size()},
                                {"sha256", crypto::Hex(d.sha256())},
                                {"path", f.dir + "/" + d.name()}});
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << "Bid #" << f.bid << " of lot " << m.lot() << " of tender " << m.tender_id() << "\n";
  for (const auto& v : m.values())
    std::cout << "  " << v.name() << " = " << v.value() << UnitOf(spec, v.name()) << "\n";
  for (const auto& d : m.documents())
    std::cout << "  document  " << f.dir << "/" << d.name() << "  " << d.size()
              << " bytes  SHA-256 " << crypto::Hex(d.sha256()) << " (checked)\n";
  if (m.documents_size() == 0) std::cout << "  (no documents)\n";
}

absl::Status Fetch(const Globals& g, const FetchFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  if (f.bid == 0) return absl::InvalidArgumentError("bid: give the bid's log index (#seq), not 0");
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  auto stub = v1::OpeningService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(OpeningView view, FetchOpening(s, stub, ca, lot));
  auto ctx = CallContext(3600);
  auto reader = stub->FetchBid(ctx.get(), BidRefOf(lot, f.bid));
  v1::BidManifest manifest;
  const absl::Status read = ReadContent(*reader, f.dir, &manifest);
  if (!read.ok()) {
    ctx->TryCancel();
    (void)reader->Finish();
    return read;
  }
  BO_RETURN_IF_ERROR(s.Check(reader->Finish()));
  Print(g, f, manifest, view.lot().spec());
  return absl::OkStatus();
}

}  // namespace

void AddBidFetchCommand(CLI::App& bid, Globals& g, Action& action) {
  auto f = std::make_shared<FetchFlags>();
  auto* c = bid.add_subcommand(
      "fetch",
      "Agency, supervisor: save an opened bid's documents, each checked against its SHA-256");
  AddLotArgument(*c, f->lot);
  c->add_option("bid", f->bid, "The bid's log index (BID in `opening status`)")->required();
  c->add_option("-o,--output", f->dir, "Directory to write the documents into")->required();
  c->callback([&g, &action, f] { action = [&g, f] { return Fetch(g, *f); }; });
}

}  // namespace bidopen::client
