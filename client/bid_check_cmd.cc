// bidctl bid check FILE: proves on the bidder's own machine, before the
// deadline, that a sealed file opens under every path its policy has — every
// record as its recipient would open it, every chunk, every document hash, the
// values and the key commitment — with the key material `bid seal` kept.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/command.h"
#include "client/seal_record.h"
#include "client/tender_cache.h"
#include "core/crypto/sha256.h"
#include "core/opening/lot_rules.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/release_check.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

struct CheckFlags {
  std::string file;
};

// The lot's form from the tender cache, if this machine fetched the tender.
std::optional<v1::LotSpec> CachedForm(const v1::SealedHeader& h) {
  auto cached = LoadTenderCache(h.tender_id());
  if (!cached.ok()) return std::nullopt;
  for (const v1::Lot& lot : cached->tender.lots())
    if (lot.number() == h.lot()) return lot.spec();
  return std::nullopt;
}

absl::Status WouldNotOpen(const std::string& path, const absl::Status& why) {
  return absl::DataLossError(absl::StrCat(path, " would not open at the opening: ", why.message(),
                                          "; seal the bid again"));
}

std::string PathsText(const v1::SealedHeader& h) {
  int shares = 0;
  for (const v1::Recipient& r : h.recipients())
    shares += r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE ? 1 : 0;
  std::vector<std::string> paths;
  if (h.policy() != v1::OPENING_POLICY_QUORUM) paths.push_back("the bidder's key opens");
  if (shares > 0)
    paths.push_back(absl::StrCat(shares, " custodian shares open and match their commitments; any ",
                                 h.threshold(), " give the committed secret"));
  return absl::StrJoin(paths, "; ");
}

void Print(const Globals& g, const std::string& path, const seal::SealReader& reader,
           const v1::BidManifest& opened, bool form_checked) {
  const v1::SealedHeader& h = reader.header();
  if (g.json) {
    nlohmann::json j = {{"file", path},
                        {"opens", true},
                        {"policy", std::string(PolicyName(h.policy()))},
                        {"size", reader.file_size()},
                        {"form_checked", form_checked},
                        {"documents", opened.documents_size()}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << path << " opens (policy " << PolicyName(h.policy()) << ")\n"
            << "  size                 " << reader.file_size() << " bytes, as its header says\n"
            << "  key paths            " << PathsText(h) << "\n"
            << "  chunks               " << h.plaintext_size() / h.chunk_size() + 1
            << ", every one authenticated\n";
  for (const auto& v : opened.values())
    std::cout << "  form                 " << v.name() << " = " << v.value()
              << " (matches the header's commitment)\n";
  if (!form_checked)
    std::cout << "  (the tender is not cached here: the values were not checked against the "
                 "lot's form)\n";
  for (const auto& d : opened.documents())
    std::cout << "  document             " << d.name() << "  " << d.size() << " bytes  SHA-256 "
              << crypto::Hex(d.sha256()) << "\n";
}

absl::Status Check(const Globals& g, const CheckFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", f.file));
  auto reader = seal::SealReader::Open(in);
  if (!reader.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(f.file, " is not a sealed bid (", reader.status().message(), ")"));
  BO_ASSIGN_OR_RETURN(KeptBidKeys kept, LoadKeptBidKeys(reader->header().bid_id()));
  if (absl::Status st = seal::CheckAsSealer(reader->header(), kept.secret, kept.ephemeral_keys);
      !st.ok())
    return WouldNotOpen(f.file, st);
  const std::optional<v1::LotSpec> form = CachedForm(reader->header());
  auto opened = seal::ReadBid(*reader, kept.secret, nullptr, form ? &*form : nullptr);
  if (!opened.ok()) return WouldNotOpen(f.file, opened.status());
  Print(g, f.file, *reader, *opened, form.has_value());
  return absl::OkStatus();
}

}  // namespace

void AddBidCheckCommand(CLI::App& bid, Globals& g, Action& action) {
  auto f = std::make_shared<CheckFlags>();
  auto* c = bid.add_subcommand(
      "check",
      "Prove on this machine that a sealed file opens under every path of its policy (uses "
      "the keys `bid seal` kept here; sends nothing)");
  c->add_option("file", f->file, "Sealed bid file (from `bid seal`)")->required();
  c->callback([&g, &action, f] { action = [&g, f] { return Check(g, *f); }; });
}

}  // namespace bidopen::client
