#include "core/seal/release_quorum.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

Judgement Fault(Verdict v, std::string message) {
  Judgement j;
  j.verdict = v;
  j.message = std::move(message);
  return j;
}

std::string XList(const std::vector<uint32_t>& xs) { return absl::StrJoin(xs, ", "); }

// What the custodians' releases gave for one bid.
struct Gathered {
  ShareSet good;                        // opened and matching their commitment
  std::map<uint32_t, std::string> bad;  // share_x -> why the record is bad (the bidder's)
  std::set<uint32_t> wrong_key;         // released, but not the published key
  std::vector<std::string> ignored;     // releases not used, and why
  bool Resolved(uint32_t x) const { return good.Has(x) || bad.count(x) > 0; }
};

// The header's keys must be the lot's (else the bidder sealed to other keys).
std::optional<Judgement> CheckSealedKeys(const v1::SealedHeader& h,
                                         const std::vector<std::string>& lot_keys) {
  for (const v1::Recipient* r : ShareRecipients(h))
    if (lot_keys[r->share_x() - 1] != r->public_key())
      return BidderFault(absl::StrCat("share ", r->share_x(), " is wrapped to the key ",
                                      crypto::Hex(r->public_key()), ", not to ", Who(*r),
                                      "'s published key for this lot"));
  return std::nullopt;
}

// Whether this release comes from the custodian of its share; notes it if not.
const v1::Recipient* Releaser(const v1::SealedHeader& h, const CustodianKeyRelease& c,
                              Gathered* g) {
  const v1::Recipient* r = ShareRecipient(h, c.share_x);
  if (r == nullptr)
    g->ignored.push_back(absl::StrCat("ignored: a release by ", c.fingerprint, " for share ",
                                      c.share_x, ", which this bid does not have"));
  else if (c.fingerprint != r->fingerprint())
    g->ignored.push_back(absl::StrCat("ignored: a release by ", c.fingerprint, " for share ",
                                      c.share_x, ", which is ", Who(*r), "'s"));
  else
    return r;
  return nullptr;
}

// One custodian's released key: a wrong key is that custodian's fault (a later
// release with its right key still counts); with its key, the share is good or
// bad (the bidder's). Errors other than a bad record are returned.
absl::Status Take(const v1::SealedHeader& h, const CustodianKeyRelease& c, Gathered* g) {
  const v1::Recipient* r = Releaser(h, c, g);
  if (r == nullptr || g->Resolved(c.share_x)) return absl::OkStatus();  // once is enough
  auto pub = crypto::X25519PublicFromPrivate(c.private_key.view());
  if (!pub.ok() && pub.status().code() != absl::StatusCode::kInvalidArgument) return pub.status();
  if (!pub.ok() || *pub != r->public_key()) {
    g->wrong_key.insert(c.share_x);
    return absl::OkStatus();
  }
  g->wrong_key.erase(c.share_x);
  auto share = UnwrapShare(h, c.share_x, c.private_key.view());
  if (share.ok()) {
    g->good.Add(*std::move(share));
    return absl::OkStatus();
  }
  if (share.status().code() != absl::StatusCode::kDataLoss) return share.status();
  g->bad.emplace(c.share_x, std::string(share.status().message()));
  return absl::OkStatus();
}

// The lists and notes of every verdict of this path.
void Name(const v1::SealedHeader& h, const Gathered& g, Judgement* j) {
  for (const v1::Recipient* r : ShareRecipients(h)) {
    const uint32_t x = r->share_x();
    if (g.wrong_key.count(x) > 0) {
      j->wrong_key.push_back(x);
      j->notes.push_back(
          absl::StrCat(Who(*r), " released a key that is not its published key for this lot"));
    } else if (!g.Resolved(x)) {
      j->not_released.push_back(x);
      j->notes.push_back(absl::StrCat(Who(*r), " has not released its key for this lot"));
    }
  }
  for (const auto& [x, why] : g.bad) {
    j->bad_shares.push_back(x);
    j->notes.push_back(absl::StrCat("the bidder's defect: ", why));
  }
  j->notes.insert(j->notes.end(), g.ignored.begin(), g.ignored.end());
}

// Fewer than k good shares: the bidder's bad shares made the difference if,
// good, they would have made k; otherwise the custodians' (review 8 V1: with
// fewer than k released, a bad share changes nothing, and calling one bad
// must not move the custodians' failure onto the bidder).
Judgement Short(const v1::SealedHeader& h, const Gathered& g) {
  const std::string need =
      absl::StrCat("policy ", PolicyName(h.policy()), " needs ", h.threshold(), " of ",
                   ShareRecipients(h).size(), " custodian shares; ", g.good.size(), " usable");
  std::vector<uint32_t> bad;
  for (const auto& [x, why] : g.bad) bad.push_back(x);
  if (g.good.size() + g.bad.size() < static_cast<size_t>(h.threshold()))
    return CustodianFault(bad.empty() ? need
                                      : absl::StrCat(need, " (the bidder's bad share",
                                                     bad.size() > 1 ? "s " : " ", XList(bad),
                                                     " made no difference: fewer than ",
                                                     h.threshold(), " custodians released)"));
  return BidderFault(absl::StrCat(need, ": the bidder's bad share", bad.size() > 1 ? "s " : " ",
                                  XList(bad), " made the difference"));
}

absl::StatusOr<Judgement> Decide(const v1::SealedHeader& h, const Gathered& g) {
  if (g.good.size() < static_cast<size_t>(h.threshold())) return Short(h, g);
  auto part = QuorumPart(h, g.good);
  if (part.ok())
    return Opened(*std::move(part),
                  absl::StrCat(g.good.size(),
                               " custodian shares checked; every share_commitment in the header "
                               "lies on their polynomial"));
  if (part.status().code() != absl::StatusCode::kDataLoss) return part.status();
  return BidderFault(part.status().message());
}

std::string OffText(const ShareSet& good, size_t k, const std::vector<uint32_t>& off) {
  std::vector<uint32_t> base;
  for (size_t i = 0; i < k; ++i) base.push_back(good.shares()[i].x);
  return absl::StrCat(off.size() > 1 ? "shares " : "share ", XList(off),
                      off.size() > 1 ? " do" : " does", " not lie on the polynomial of shares ",
                      XList(base),
                      " (the share_commitment is not of its value there): different custodians "
                      "would open different secrets");
}

}  // namespace

ShareSet::~ShareSet() {
  for (crypto::Share& s : shares_) OPENSSL_cleanse(s.y.data(), s.y.size());
}

void ShareSet::Add(crypto::Share share) {
  auto at = std::upper_bound(shares_.begin(), shares_.end(), share.x,
                             [](uint8_t x, const crypto::Share& s) { return x < s.x; });
  shares_.insert(at, std::move(share));
}

bool ShareSet::Has(uint32_t x) const {
  return std::any_of(shares_.begin(), shares_.end(),
                     [x](const crypto::Share& s) { return s.x == x; });
}

const v1::Recipient* ShareRecipient(const v1::SealedHeader& h, uint32_t x) {
  for (const v1::Recipient& r : h.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE && r.share_x() == x) return &r;
  return nullptr;
}

std::vector<const v1::Recipient*> ShareRecipients(const v1::SealedHeader& h) {
  std::vector<const v1::Recipient*> out;
  for (const v1::Recipient& r : h.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE) out.push_back(&r);
  return out;
}

std::string Who(const v1::Recipient& r) {
  return absl::StrCat("custodian ", r.share_x(), " (", r.fingerprint(), ")");
}

// In GF(2^8), x - x_i is x XOR x_i, so the Lagrange basis of f at x over the
// points x_i is its basis at 0 over the points x_i XOR x: f(x) is
// ShamirCombine of the shares with every x_i moved to x_i XOR x (none is 0
// unless x is one of them, whose y is then f(x)).
absl::StatusOr<crypto::Secret> EvaluateAt(const std::vector<crypto::Share>& shares, size_t k,
                                          uint8_t x) {
  ShareSet moved;
  for (size_t i = 0; i < k; ++i) {
    if (shares[i].x == x) return crypto::Secret(shares[i].y);
    moved.Add(crypto::Share{static_cast<uint8_t>(shares[i].x ^ x), shares[i].y});
  }
  BO_ASSIGN_OR_RETURN(std::string y, crypto::ShamirCombine(moved.shares()));
  return crypto::Secret(std::move(y));
}

absl::StatusOr<crypto::Secret> QuorumPart(const v1::SealedHeader& h, const ShareSet& good) {
  const auto k = static_cast<size_t>(h.threshold());
  const std::string ctx = ContextHash(h);
  std::vector<uint32_t> off;
  for (const v1::Recipient* r : ShareRecipients(h)) {
    BO_ASSIGN_OR_RETURN(crypto::Secret y,
                        EvaluateAt(good.shares(), k, static_cast<uint8_t>(r->share_x())));
    if (!SecretEquals(ShareCommitment(ctx, r->share_x(), y.view()), r->share_commitment()))
      off.push_back(r->share_x());
  }
  if (!off.empty()) return absl::DataLossError(OffText(good, k, off));
  BO_ASSIGN_OR_RETURN(crypto::Secret part, EvaluateAt(good.shares(), k, 0));
  const bool both = h.policy() == v1::OPENING_POLICY_BOTH;
  if (!SecretEquals(SecretCommitment(both ? kQuorumPartLabel : kSecretLabel, ctx, part.view()),
                    both ? h.quorum_part_commitment() : h.secret_commitment()))
    return absl::DataLossError(
        absl::StrCat("the custodians' shares rebuild a secret that does not match ",
                     both ? "quorum_part_commitment" : "secret_commitment", " in the header"));
  return part;
}

absl::StatusOr<Judgement> JudgeQuorum(const v1::SealedHeader& h,
                                      const std::vector<std::string>& lot_keys,
                                      const std::vector<CustodianKeyRelease>& releases) {
  if (auto fault = CheckSealedKeys(h, lot_keys)) return *std::move(fault);
  Gathered g;
  for (const CustodianKeyRelease& c : releases) BO_RETURN_IF_ERROR(Take(h, c, &g));
  BO_ASSIGN_OR_RETURN(Judgement j, Decide(h, g));
  Judgement named;
  Name(h, g, &named);
  CarryNames(named, /*say=*/true, &j);
  return j;
}

Judgement BidderFault(absl::string_view why) {
  return Fault(Verdict::kBidderFault, absl::StrCat("the bidder's fault: ", why));
}

Judgement CustodianFault(absl::string_view why) {
  return Fault(Verdict::kCustodianFault, absl::StrCat("not the bidder's fault: ", why));
}

Judgement Opened(crypto::Secret s, absl::string_view how) {
  Judgement j;
  j.message = std::string(how);
  j.secret = std::move(s);
  return j;
}

void CarryNames(const Judgement& quorum, bool say, Judgement* j) {
  j->not_released = quorum.not_released;
  j->wrong_key = quorum.wrong_key;
  j->bad_shares = quorum.bad_shares;
  j->notes = quorum.notes;
  if (say && !quorum.notes.empty())
    absl::StrAppend(&j->message, " (", absl::StrJoin(quorum.notes, "; "), ")");
}

}  // namespace bidopen::seal
