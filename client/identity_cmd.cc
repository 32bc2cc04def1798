// bidctl identity whoami|register-key|keys|revoke
#include <iostream>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "client/command.h"
#include "client/key_list.h"
#include "client/key_store.h"
#include "client/local_identity.h"
#include "client/profile.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/ids.h"
#include "core/opening/key_rules.h"
#include "core/opening/roles.h"
#include "core/opening/time_text.h"
#include "core/seal/lot_key.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

void PrintParty(const v1::Party& p) {
  std::cout << "organization  " << p.organization() << "\n"
            << "name          " << p.common_name() << "\n"
            << "role          " << RoleName(p.role()) << "\n"
            << "fingerprint   " << p.fingerprint() << "\n";
}

absl::Status WhoAmI(const Globals& g) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  auto stub = v1::IdentityService::NewStub(s.channel);
  v1::Party party;
  BO_RETURN_IF_ERROR(s.Check(stub->WhoAmI(CallContext().get(), {}, &party)));
  g.json ? PrintJson(party) : PrintParty(party);
  return absl::OkStatus();
}

struct RegisterFlags {
  bool rotate = false;
  int lot_keys = 20;
};

// The X25519 key the server holds for `me`, if any.
absl::StatusOr<std::optional<std::string>> RegisteredKeyOf(const Session& s, const v1::Party& me) {
  BO_ASSIGN_OR_RETURN(std::vector<v1::RegisteredKey> keys, ListAllKeys(s, me.role()));
  for (const v1::RegisteredKey& k : keys)
    if (k.party().fingerprint() == me.fingerprint()) return k.x25519_public_key();
  return std::nullopt;
}

// Registering from a computer without the key would silently replace the one
// the server holds (made elsewhere), and bids sealed to it would open only
// there: refused unless --rotate says so.
absl::Status CheckNotReplacingSilently(const Session& s, const v1::Party& me) {
  BO_ASSIGN_OR_RETURN(std::optional<std::string> registered, RegisteredKeyOf(s, me));
  if (!registered) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the server already holds an X25519 key for you (", crypto::Hex(*registered).substr(0, 16),
      "...), made on another computer or configuration folder; this one has none in ",
      KeyPath(me.fingerprint()),
      ". Copy that key file here, or run `bidctl identity register-key --rotate` to replace it "
      "(what was sealed to the old key then opens only where that key is)"));
}

absl::Status RegisterKey(const Globals& g, const RegisterFlags& f) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  auto pair = LoadKey(me.fingerprint());
  if (!f.rotate && absl::IsNotFound(pair.status()))
    BO_RETURN_IF_ERROR(CheckNotReplacingSilently(s, me));
  const bool fresh = f.rotate || absl::IsNotFound(pair.status());
  if (fresh) pair = CreatePendingKey(me.fingerprint());
  if (!pair.ok()) return pair.status();
  v1::RegisterKeyRequest req;
  req.set_x25519_public_key(pair->public_key);
  if (me.role() == v1::ROLE_CUSTODIAN) {
    BO_ASSIGN_OR_RETURN(std::vector<std::string> lot_keys,
                        CreateLotKeys(me.fingerprint(), f.lot_keys));
    BO_ASSIGN_OR_RETURN(std::string pem, ReadFileBytes(s.profile.key, "--key"));
    BO_ASSIGN_OR_RETURN(crypto::PkeyPtr signer, crypto::PrivateKeyFromPem(pem));
    for (const std::string& k : lot_keys) {
      req.add_lot_keys(k);
      BO_ASSIGN_OR_RETURN(
          *req.add_lot_key_signatures(),
          crypto::Sign(signer.get(), seal::LotKeySigningInput(me.fingerprint(), k)));
    }
  }
  v1::RegisteredKey out;
  auto stub = v1::IdentityService::NewStub(s.channel);
  if (absl::Status st = s.Check(stub->RegisterKey(CallContext().get(), req, &out)); !st.ok()) {
    if (fresh) DiscardPendingKey(me.fingerprint());  // the registered key stays the one kept
    return st;
  }
  if (fresh) BO_RETURN_IF_ERROR(AdoptPendingKey(me.fingerprint()));
  if (g.json) return PrintJson(out), absl::OkStatus();
  std::cout << "registered X25519 key " << crypto::Hex(out.x25519_public_key()) << "\n"
            << "for " << out.party().organization() << " (" << RoleName(out.party().role()) << ", "
            << out.party().fingerprint() << ")\n"
            << "log #" << out.registered().seq() << "; private key kept in "
            << KeyPath(me.fingerprint()) << "\n";
  if (me.role() == v1::ROLE_CUSTODIAN)
    std::cout << "per-lot keys: " << req.lot_keys_size() << " added, "
              << out.lot_keys_size() - static_cast<int>(out.lot_keys_used())
              << " unused (one is assigned to each lot you are named for; private halves in "
              << ConfigDir() << "/keys/" << me.fingerprint() << ".lot/)\n";
  return absl::OkStatus();
}

absl::Status Keys(const Globals& g, const std::string& role_name) {
  v1::Role role = RoleFromName(role_name);
  if (!role_name.empty() && role == v1::ROLE_UNSPECIFIED)
    return absl::InvalidArgumentError("--role: \"" + role_name +
                                      "\" is not bidder, custodian, agency, ...");
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(std::vector<v1::RegisteredKey> keys, ListAllKeys(s, role));
  v1::ListKeysResponse out;
  for (v1::RegisteredKey& k : keys) *out.add_keys() = std::move(k);
  if (g.json) return PrintJson(out), absl::OkStatus();
  for (const auto& k : out.keys())
    std::cout << k.party().fingerprint() << "  " << RoleName(k.party().role()) << "  "
              << k.party().organization() << "\n";
  if (out.keys_size() == 0) std::cout << "no registered keys\n";
  return absl::OkStatus();
}

// openssl's form ("SHA256 Fingerprint=F2:41:…") as the server's: colons
// dropped, lower case; anything else is sent as typed for the server to judge.
std::string NormalFingerprint(std::string fp) {
  if (auto eq = fp.rfind('='); eq != std::string::npos) fp = fp.substr(eq + 1);
  std::string out = absl::AsciiStrToLower(absl::StrReplaceAll(fp, {{":", ""}}));
  return IsFingerprint(out) ? out : fp;
}

// The platform operator revokes a certificate by an event in the log.
absl::Status Revoke(const Globals& g, const std::string& fingerprint, const std::string& reason) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::RevokeCertificateRequest req;
  req.set_fingerprint(NormalFingerprint(fingerprint));
  req.set_reason(reason);
  v1::Revocation out;
  auto stub = v1::IdentityService::NewStub(s.channel);
  BO_RETURN_IF_ERROR(s.Check(stub->RevokeCertificate(CallContext().get(), req, &out)));
  if (g.json) return PrintJson(out), absl::OkStatus();
  std::cout << "revoked certificate " << out.fingerprint() << "\n"
            << "at " << TimeText(out.revoked().time(), absl::UTCTimeZone()) << ", log #"
            << out.revoked().seq() << ", by " << out.revoked_by().common_name() << " ("
            << out.revoked_by().organization() << ")\n"
            << "reason: " << out.reason() << "\n"
            << "every call with it is refused from now on\n";
  return absl::OkStatus();
}

void AddRevoke(CLI::App* cmd, Globals& g, Action& action) {
  auto* revoke = cmd->add_subcommand(
      "revoke",
      "Operators: revoke a client certificate (an event in the log, checked on every call)");
  auto fingerprint = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  revoke
      ->add_option("FINGERPRINT", *fingerprint,
                   "The certificate's fingerprint, as identity whoami shows it (openssl's "
                   "F2:41:... form is taken too)")
      ->required();
  revoke->add_option("--reason", *reason, "Why, for the log (e.g. \"key stolen\")")->required();
  revoke->callback([&g, &action, fingerprint, reason] {
    action = [&g, fingerprint, reason] { return Revoke(g, *fingerprint, *reason); };
  });
}

}  // namespace

void AddIdentityCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("identity", "Who you are; key-wrapping keys");
  cmd->require_subcommand(1);
  cmd->add_subcommand("whoami", "Show the identity the server sees in your certificate")
      ->callback([&g, &action] { action = [&g] { return WhoAmI(g); }; });
  auto* reg = cmd->add_subcommand(
      "register-key", "Create (once) and register your X25519 key, bound to your certificate");
  auto rf = std::make_shared<RegisterFlags>();
  reg->add_flag("--rotate", rf->rotate, "Replace the stored key with a new one");
  reg->add_option("--lot-keys", rf->lot_keys,
                  "Custodians: how many one-time per-lot keys to add (one is used per lot)")
      ->check(CLI::Range(0, kMaxLotKeysPerCall))
      ->capture_default_str();
  reg->callback([&g, &action, rf] { action = [&g, rf] { return RegisterKey(g, *rf); }; });
  auto* keys = cmd->add_subcommand("keys", "List registered keys (custodians to choose from)");
  auto role = std::make_shared<std::string>();
  keys->add_option("--role", *role, "Only this role: bidder or custodian");
  keys->callback([&g, &action, role] { action = [&g, role] { return Keys(g, *role); }; });
  AddRevoke(cmd, g, action);
}

}  // namespace bidopen::client
