// bidctl custody release T/L [--at-open]: a custodian releases its per-lot
// private key (docs/sealed-bid-format.md §5), once for the whole lot, once
// the server's signed time is past the opening time and the opening started.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "client/command.h"
#include "client/key_store.h"
#include "client/key_use.h"
#include "client/local_identity.h"
#include "client/opening_text.h"
#include "client/release_sign.h"
#include "client/release_wait.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/opening/roles.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

struct ReleaseFlags {
  LotFlags lot;
  bool at_open = false;
};

// The caller's index among the lot's custodians.
absl::StatusOr<int> CustodianIndex(const v1::Lot& lot, const LotName& name, const std::string& fp) {
  const v1::LotSpec& spec = lot.spec();
  for (int i = 0; i < spec.custodians_size(); ++i)
    if (spec.custodians(i) == fp) {
      if (i >= spec.custodian_keys_size())
        return absl::FailedPreconditionError(absl::StrCat(
            "lot ", name.lot, " of tender ", name.tender_id, " has no per-lot key for custodian ",
            i + 1, " (custodian_keys has ", spec.custodian_keys_size(), " of ",
            spec.custodians_size(), "); there is nothing to release"));
      return i;
    }
  return absl::PermissionDeniedError(absl::StrCat(
      "you (", fp, ") are not a custodian of lot ", name.lot, " of tender ", name.tender_id,
      spec.custodians_size() == 0
          ? std::string("; the lot has no custodians")
          : absl::StrCat("; its custodians are ", absl::StrJoin(spec.custodians(), ", "))));
}

// The stored private half of the lot's key, checked to be the published key.
absl::StatusOr<crypto::X25519KeyPair> LotKey(const std::string& fp, const std::string& published,
                                             int index) {
  auto key = LoadLotKey(fp, published);
  if (!key.ok())
    return absl::FailedPreconditionError(
        absl::StrCat("custodian_keys[", index, "] ", crypto::Hex(published),
                     " is not on this machine (", key.status().message(),
                     "); release from the machine that registered it (`identity "
                     "register-key`) or its configuration folder (BIDOPEN_CONFIG_DIR)"));
  auto pub = crypto::X25519PublicFromPrivate(key->private_key);
  if (!pub.ok() || *pub != published)
    return absl::DataLossError(absl::StrCat(
        LotKeyPath(fp, published), ": its private key is not the private half of custodian_keys[",
        index, "] ", crypto::Hex(published),
        "; nothing was sent (a wrong key would be your fault)"));
  return key;
}

// A lot whose threshold lets two groups of custodians with none in common
// each open every bid (n >= 2k, review 5 S6) is not released to: each could
// be shown its own log. The server refuses to create one; this is for a lot
// it created anyway, or before the rule.
absl::Status CheckQuorumShape(const v1::Lot& l, const LotName& lot) {
  const std::string shape = QuorumShapeProblem(l.spec().custodians_size(), l.spec().threshold());
  if (shape.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "lot ", lot.lot, ": ", shape,
      ": not releasing to it, so that no two groups of custodians can be shown two different "
      "logs; nothing was unwrapped or sent"));
}

// Signed with the identity key, citing `seen` (the gate's head, proved one
// history with the verified log: under BOTH, one at or past the turn).
absl::StatusOr<v1::ReleaseResult> Send(Session& s, const LotName& lot, uint32_t share_x,
                                       const crypto::X25519KeyPair& key,
                                       const v1::SignedTreeHead& seen, bool wait) {
  BO_ASSIGN_OR_RETURN(SignedRelease signed_release,
                      SignReleaseWithKeyFile(s.profile.key, lot, v1::RELEASE_KIND_CUSTODIAN, 0,
                                             share_x, key.private_key, seen));
  v1::ReleaseLotKeyRequest req;
  *req.mutable_lot() = ToRef(lot);
  req.set_private_key(key.private_key);
  req.set_share_x(share_x);
  req.set_seen_checkpoint(signed_release.seen_checkpoint);
  req.set_seen_signature(signed_release.seen_signature);
  req.set_signature(signed_release.signature);
  v1::ReleaseResult result;
  BO_RETURN_IF_ERROR(RetryTransient(s, wait, [&] {
    auto stub = v1::CustodyService::NewStub(s.channel);
    return s.Check(stub->ReleaseLotKey(CallContext().get(), req, &result));
  }));
  return result;
}

absl::Status Release(const Globals& g, const ReleaseFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  if (me.role() != v1::ROLE_CUSTODIAN)
    return absl::PermissionDeniedError(
        absl::StrCat("custodians release their per-lot key; --cert is ", RoleName(me.role()), " ",
                     me.common_name(), " (bidders: bidctl opening decrypt)"));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  int index = -1;
  std::string published;
  // The lot's key is found and checked from the first answer, before any waiting.
  auto check = [&](const OpeningView& v) -> absl::Status {
    BO_ASSIGN_OR_RETURN(index, CustodianIndex(v.lot(), lot, me.fingerprint()));
    published = v.lot().spec().custodian_keys(index);
    return LotKey(me.fingerprint(), published, index).status();
  };
  WaitParams wait{lot, ca, f.at_open, g.json, v1::RELEASE_KIND_CUSTODIAN, check, &g, nullptr};
  BO_ASSIGN_OR_RETURN(OpeningView ready, WaitForRelease(s, wait));
  // The key to release is the one the verified log assigns this custodian in
  // this lot, never one the server's status names (it could be another
  // tender's, whose bids it would open).
  BO_RETURN_IF_ERROR(check(ready));
  BO_RETURN_IF_ERROR(CheckQuorumShape(ready.lot(), lot));
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair key, LotKey(me.fingerprint(), published, index));
  // And no other lot holds it (review 5 S2, review 6 T3): checked on the
  // whole verified log, which alone shows every tender's keys.
  BO_RETURN_IF_ERROR(CheckKeyAssignedOnlyTo(g, s, lot, published));
  BO_ASSIGN_OR_RETURN(v1::ReleaseResult r,
                      Send(s, lot, static_cast<uint32_t>(index + 1), key, ready.cited, f.at_open));
  if (g.json)
    PrintJson(r);
  else
    PrintReleaseResult(std::cout, r,
                       absl::StrCat("your key for lot ", lot.lot, " (share ", index + 1, ")"));
  if (r.accepted()) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("the server did not accept your key for lot ", lot.lot, ": ", r.message()));
}

}  // namespace

void AddCustodyCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("custody", "Custodians: release your per-lot key at the opening");
  cmd->require_subcommand(1);
  auto f = std::make_shared<ReleaseFlags>();
  auto* r = cmd->add_subcommand(
      "release",
      "Release your per-lot private key for a lot, once the server's signed time and this "
      "computer's clock are past the opening time and the opening started (under policy BOTH: "
      "past the first half of the window, the bidders' turn); it opens your share of every bid "
      "of the lot");
  AddLotArgument(*r, f->lot);
  r->add_flag("--at-open", f->at_open,
              "Stay connected, count down to the opening time and release as soon as it may be");
  r->callback([&g, &action, f] { action = [&g, f] { return Release(g, *f); }; });
}

}  // namespace bidopen::client
