// bidctl bid seal: seals a bid on this machine, online or offline (design.md §5).
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "client/command.h"
#include "client/key_store.h"
#include "client/local_identity.h"
#include "client/seal_record.h"
#include "client/tender_cache.h"
#include "client/tender_text.h"
#include "client/trusted_ca.h"
#include "core/crypto/sha256.h"
#include "core/opening/lot_rules.h"
#include "core/opening/roles.h"
#include "core/opening/time_text.h"
#include "core/seal/lot_key.h"
#include "core/seal/seal_bid.h"
#include "core/status_macros.h"
#include "platform/file_env.h"
#include "platform/seal_file.h"

namespace bidopen::client {
namespace {
namespace fs = std::filesystem;

struct SealFlags {
  std::string tender;
  int lot = 1;
  std::vector<std::string> form;
  std::vector<std::string> docs;
  std::string out;
  bool offline = false;
  uint32_t chunk_size = seal::kDefaultChunkSize;
};

// What was sealed, for the output.
struct Sealed {
  const CachedTender& cached;
  const v1::Lot& lot;
  const std::string& path;
  seal::SealResult result;
};

absl::StatusOr<seal::FormInput> ParseForm(const std::vector<std::string>& flags) {
  seal::FormInput input;
  for (const std::string& f : flags) {
    const size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      return absl::InvalidArgumentError(
          absl::StrCat("--form \"", f, "\": expected name=value, e.g. --form price=1234.50"));
    if (!input.emplace(f.substr(0, eq), f.substr(eq + 1)).second)
      return absl::InvalidArgumentError(
          absl::StrCat("--form ", f.substr(0, eq), " is given more than once"));
  }
  return input;
}

bool TakesBids(v1::LotStatus s) {
  return s == v1::LOT_STATUS_UNSPECIFIED || s == v1::LOT_STATUS_SCHEDULED ||
         s == v1::LOT_STATUS_POSTPONED;
}

// The lot bids are sealed for; refuses lots that take no bids.
absl::StatusOr<v1::Lot> BiddableLot(const v1::Tender& t, int number) {
  if (t.cancelled())
    return absl::FailedPreconditionError(absl::StrCat("tender ", t.id(), " is cancelled (",
                                                      t.cancel_reason(), "); no bids are taken"));
  const v1::Lot* lot = nullptr;
  for (const auto& l : t.lots())
    if (l.number() == number) lot = &l;
  if (lot == nullptr)
    return absl::NotFoundError(absl::StrCat("tender ", t.id(), " has no lot ", number,
                                            "; its lots are 1..", t.lots_size()));
  if (lot->status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(absl::StrCat("lot ", number, " of tender ", t.id(),
                                                      " is cancelled (", lot->cancel_reason(),
                                                      "); no bids are taken"));
  if (!TakesBids(lot->status()))
    return absl::FailedPreconditionError(absl::StrCat("lot ", number, " of tender ", t.id(), " is ",
                                                      LotStatusName(lot->status()),
                                                      "; submissions are closed"));
  return *lot;
}

bool HasBidderKey(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_QUORUM; }

// The bidder's own key (local, checked against the registered one) and the
// lot's per-lot custodian keys (assigned at the tender's creation).
absl::StatusOr<seal::SealRecipientKeys> RecipientKeys(const CachedTender& c, const v1::Lot& lot,
                                                      const std::string& me,
                                                      const std::string& ca_pem) {
  seal::SealRecipientKeys keys;
  keys.bidder_fingerprint = me;
  const v1::LotSpec& spec = lot.spec();
  if (spec.custodians_size() > 0 && spec.custodian_keys_size() != spec.custodians_size())
    return absl::FailedPreconditionError(absl::StrCat(
        "lot ", lot.number(), " of tender ", c.tender.id(),
        " has no per-lot custodian keys (it was created before they existed); shares can only "
        "be wrapped to per-lot keys, so ask the agency to create the tender again"));
  if (spec.custodians_size() > 0)
    if (absl::Status st = seal::CheckLotKeysSigned(spec, ca_pem); !st.ok())
      return absl::FailedPreconditionError(
          absl::StrCat("lot ", lot.number(), " of tender ", c.tender.id(), ": ", st.message()));
  for (int i = 0; i < spec.custodians_size(); ++i)
    keys.custodians.emplace_back(spec.custodians(i), spec.custodian_keys(i));
  if (!HasBidderKey(lot.spec().policy())) return keys;
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair mine, LoadKey(me));
  auto registered = c.keys.find(me);
  if (registered == c.keys.end())
    return absl::FailedPreconditionError(absl::StrCat(
        "your X25519 key is not registered with the server", c.from_cache ? " (as cached)" : "",
        "; run `bidctl identity register-key`", c.from_cache ? ", then seal once online" : ""));
  if (registered->second != mine.public_key)
    return absl::FailedPreconditionError(absl::StrCat(
        "the X25519 key in ", KeyPath(me),
        " differs from the one registered for you on the server; run `bidctl identity "
        "register-key` to register this one again, or seal on the machine that holds the "
        "registered key"));
  keys.bidder_public = mine.public_key;
  return keys;
}

absl::Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  return ok ? absl::OkStatus() : absl::DataLossError(absl::StrCat("cannot sync ", path));
}

absl::StatusOr<seal::SealResult> SealToTemp(const seal::SealParams& params,
                                            const std::string& tmp) {
  auto result = platform::SealBidToFile(params, tmp);
  if (!result.ok() && absl::IsPermissionDenied(result.status()))
    return absl::PermissionDeniedError(absl::StrCat("-o: ", result.status().message()));
  if (!result.ok()) return result.status();
  BO_RETURN_IF_ERROR(SyncFile(tmp));
  return result;
}

// Seals into OUT.tmp and renames it to OUT: OUT is never half-written.
absl::StatusOr<seal::SealResult> SealToFile(const seal::SealParams& params,
                                            const std::string& out) {
  const std::string tmp = out + ".tmp";
  auto result = SealToTemp(params, tmp);
  std::error_code ec;
  if (result.ok()) {
    fs::rename(tmp, out, ec);
    if (ec)
      result = absl::PermissionDeniedError(
          absl::StrCat("-o: cannot rename ", tmp, " to ", out, ": ", ec.message()));
  }
  if (!result.ok()) fs::remove(tmp, ec);
  return result;
}

// "3 d 4 h" for long spans, else as DurationText.
std::string Span(absl::Duration d) {
  if (d < absl::Hours(24)) return DurationText(d);
  const int64_t hours = absl::ToInt64Hours(d);
  return absl::StrCat(hours / 24, " d ", hours % 24, " h");
}

std::string DeadlineText(const v1::LotSpec& spec, absl::TimeZone zone) {
  const absl::Duration left = FromProto(spec.submission_deadline()) - absl::Now();
  return absl::StrCat(
      TimeText(spec.submission_deadline(), zone),
      left >= absl::ZeroDuration()
          ? absl::StrCat(" (in ", Span(left), ")")
          : absl::StrCat(" (passed ", Span(-left), " ago by this computer's clock)"));
}

std::string RecipientsText(const v1::SealedHeader& h) {
  std::string out = absl::StrCat(h.recipients_size(), ": ");
  std::vector<std::string> parts;
  int shares = 0;
  for (const auto& r : h.recipients()) {
    if (r.kind() == v1::RECIPIENT_KIND_BIDDER_KEY)
      parts.push_back("your key");
    else
      ++shares;
  }
  if (shares > 0)
    parts.push_back(absl::StrCat(shares, " custodian shares, any ", h.threshold(), " open"));
  return out + absl::StrJoin(parts, "; ");
}

// " CNY" if the form field has a unit.
std::string UnitOf(const v1::LotSpec& spec, const std::string& field) {
  for (const auto& f : spec.form())
    if (f.name() == field && !f.unit().empty()) return " " + f.unit();
  return "";
}

void PrintText(const Sealed& s) {
  const auto& r = s.result;
  const absl::TimeZone zone = ZoneOrUtc(s.cached.tender.time_zone());
  std::cout << "Sealed bid for tender " << s.cached.tender.id() << " lot " << s.lot.number() << "  "
            << s.lot.spec().title() << "\n"
            << "  file                 " << s.path << "\n"
            << "  size                 " << r.ciphertext_size << " bytes\n"
            << "  header hash          " << crypto::Hex(r.header_hash) << "\n"
            << "  sealing record       " << SealRecordPath(s.path)
            << " (keep it beside the file: bid submit checks the file against it)\n"
            << "  opening policy       " << PolicyName(r.header.policy()) << "\n"
            << "  recipients           " << RecipientsText(r.header) << "\n";
  if (s.lot.spec().custodians_size() > 0)
    std::cout << "  custodian keys       " << s.lot.spec().custodians_size()
              << " per-lot keys, each signed by its custodian's certificate (checked)\n";
  for (const auto& v : r.manifest.values())
    std::cout << "  form                 " << v.name() << " = " << v.value()
              << UnitOf(s.lot.spec(), v.name()) << "\n";
  for (const auto& d : r.manifest.documents())
    std::cout << "  document             " << d.name() << "  " << d.size() << " bytes\n";
  std::cout << "  submission deadline  " << DeadlineText(s.lot.spec(), zone) << "\n";
  if (s.cached.from_cache)
    std::cout << "  tender as fetched    "
              << TimeText(absl::FromUnixSeconds(absl::ToUnixSeconds(s.cached.fetched_at)), zone)
              << " (offline: check for amendments before you submit)\n";
  std::cout << "  bid id               " << crypto::Hex(r.header.bid_id())
            << "\n  keep this for your records: with the header hash it names exactly this "
               "sealed bid\n";
}

void PrintJsonResult(const Sealed& s) {
  const auto& r = s.result;
  const absl::TimeZone zone = ZoneOrUtc(s.cached.tender.time_zone());
  nlohmann::json j = {{"file", s.path},
                      {"tender_id", s.cached.tender.id()},
                      {"lot", s.lot.number()},
                      {"ciphertext_size", r.ciphertext_size},
                      {"header_hash", crypto::Hex(r.header_hash)},
                      {"seal_record", SealRecordPath(s.path)},
                      {"bid_id", crypto::Hex(r.header.bid_id())},
                      {"policy", std::string(PolicyName(r.header.policy()))},
                      {"threshold", r.header.threshold()},
                      {"recipients", nlohmann::json::array()},
                      {"form", nlohmann::json::object()},
                      {"documents", nlohmann::json::array()},
                      {"submission_deadline", TimeText(s.lot.spec().submission_deadline(), zone)},
                      {"offline", s.cached.from_cache}};
  for (const auto& rc : r.header.recipients())
    j["recipients"].push_back({{"fingerprint", rc.fingerprint()}, {"share_x", rc.share_x()}});
  for (const auto& v : r.manifest.values()) j["form"][v.name()] = v.value();
  for (const auto& d : r.manifest.documents())
    j["documents"].push_back(
        {{"name", d.name()}, {"size", d.size()}, {"sha256", crypto::Hex(d.sha256())}});
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

absl::Status NotABidder(const v1::Party& me) {
  return absl::PermissionDeniedError(
      absl::StrCat("bids are sealed with a bidder's certificate; --cert is ", RoleName(me.role()),
                   " ", me.common_name(), " (", me.organization(), ")"));
}

absl::Status Seal(const Globals& g, const SealFlags& f) {
  BO_ASSIGN_OR_RETURN(seal::FormInput form, ParseForm(f.form));
  BO_ASSIGN_OR_RETURN(Profile profile, ResolveGlobals(g));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(profile));
  if (me.role() != v1::ROLE_BIDDER) return NotABidder(me);
  BO_ASSIGN_OR_RETURN(CachedTender cached,
                      TenderForSealing(g, f.tender, me.fingerprint(), f.offline));
  BO_ASSIGN_OR_RETURN(v1::Lot lot, BiddableLot(cached.tender, f.lot));
  seal::SealParams params;
  params.tender_id = cached.tender.id();
  params.lot = lot;
  BO_ASSIGN_OR_RETURN(std::string ca_pem, ReadTrustedCa(g));
  BO_ASSIGN_OR_RETURN(params.keys, RecipientKeys(cached, lot, me.fingerprint(), ca_pem));
  params.form = std::move(form);
  for (const std::string& path : f.docs) params.documents.push_back({"", path});
  params.chunk_size = f.chunk_size;
  params.env = &platform::DefaultFileEnv();
  BO_ASSIGN_OR_RETURN(seal::SealResult result, SealToFile(params, f.out));
  BO_RETURN_IF_ERROR(KeepSealRecord(f.out, result));
  Sealed sealed{cached, lot, f.out, std::move(result)};
  g.json ? PrintJsonResult(sealed) : PrintText(sealed);
  return absl::OkStatus();
}

}  // namespace

void AddBidCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("bid", "Seal, submit, list and withdraw your bids");
  cmd->require_subcommand(1);
  auto f = std::make_shared<SealFlags>();
  auto* s = cmd->add_subcommand(
      "seal",
      "Encrypt a bid on this machine for a lot (works offline once the tender was fetched)");
  s->add_option("--tender", f->tender, "Tender id")->required();
  s->add_option("--lot", f->lot, "Lot number")->capture_default_str();
  s->add_option("--form", f->form, "Opening-form value name=value, e.g. price=1234.50; repeat");
  s->add_option("--doc", f->docs, "A document to seal into the bid; repeat");
  s->add_option("-o,--output", f->out, "Sealed bid file to write")->required();
  s->add_flag("--offline", f->offline, "Use the tender as last fetched; do not contact bidopend");
  s->add_option("--chunk-size", f->chunk_size, "Plaintext bytes per encrypted chunk")
      ->capture_default_str();
  s->callback([&g, &action, f] { action = [&g, f] { return Seal(g, *f); }; });
  AddBidSubmitCommand(*cmd, g, action);
  AddBidCheckCommand(*cmd, g, action);
  AddMyBidsCommands(*cmd, g, action);
  AddBidFetchCommand(*cmd, g, action);
}

}  // namespace bidopen::client
