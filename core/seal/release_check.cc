#include "core/seal/release_check.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/key_wrap.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

const v1::Recipient* ShareRecipient(const v1::SealedHeader& h, uint32_t x) {
  for (const v1::Recipient& r : h.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE && r.share_x() == x) return &r;
  return nullptr;
}

std::vector<const v1::Recipient*> Shares(const v1::SealedHeader& h) {
  std::vector<const v1::Recipient*> out;
  for (const v1::Recipient& r : h.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE) out.push_back(&r);
  return out;
}

Judgement Fault(Verdict v, std::string message) {
  Judgement j;
  j.verdict = v;
  j.message = std::move(message);
  return j;
}

Judgement Bidder(absl::string_view why) {
  return Fault(Verdict::kBidderFault, absl::StrCat("the bidder's fault: ", why));
}

Judgement Custodian(absl::string_view why) {
  return Fault(Verdict::kCustodianFault, absl::StrCat("not the bidder's fault: ", why));
}

Judgement Opened(crypto::Secret s, absl::string_view how) {
  Judgement j;
  j.message = std::string(how);
  j.secret = std::move(s);
  return j;
}

std::string Who(const v1::Recipient& r) {
  return absl::StrCat("custodian ", r.share_x(), " (", r.fingerprint(), ")");
}

// What the quorum path gave: the shares that checked, or a fault.
struct Quorum {
  std::optional<Judgement> fault;  // bidder's fault found, or a custodian's key that is wrong
  std::vector<crypto::Share> shares;
  std::vector<std::string> missing;  // custodians whose share could not be used
  ~Quorum() {
    for (crypto::Share& s : shares) OPENSSL_cleanse(s.y.data(), s.y.size());
  }
};

// The header's keys must be the lot's (else the bidder sealed to other keys).
std::optional<Judgement> CheckSealedKeys(const v1::SealedHeader& h,
                                         const std::vector<std::string>& lot_keys) {
  if (lot_keys.empty()) return std::nullopt;
  for (const v1::Recipient* r : Shares(h))
    if (lot_keys.size() < r->share_x() || lot_keys[r->share_x() - 1] != r->public_key())
      return Bidder(absl::StrCat("share ", r->share_x(), " is wrapped to the key ",
                                 crypto::Hex(r->public_key()), ", not to ", Who(*r),
                                 "'s published key for this lot"));
  return std::nullopt;
}

// One custodian's released key: a custodian's fault if it is not its key,
// the bidder's if its (correct) key does not give a committed share.
absl::Status TakeRelease(const v1::SealedHeader& h, const CustodianKeyRelease& c, Quorum* q) {
  const v1::Recipient* r = ShareRecipient(h, c.share_x);
  if (r == nullptr) return absl::OkStatus();  // not a share of this bid: ignored
  for (const crypto::Share& s : q->shares)
    if (s.x == c.share_x) return absl::OkStatus();  // released twice: once is enough
  auto pub = crypto::X25519PublicFromPrivate(c.private_key);
  if (!pub.ok() || *pub != r->public_key()) {
    q->missing.push_back(absl::StrCat(Who(*r),
                                      " released a key that is not its published key "
                                      "for this lot"));
    return absl::OkStatus();
  }
  auto share = UnwrapShare(h, c.share_x, c.private_key);
  if (!share.ok()) {
    q->fault = Bidder(share.status().message());
    return share.status();
  }
  q->shares.push_back(*std::move(share));
  return absl::OkStatus();
}

// f(0) from the first k shares; every further share must give the same f(0)
// with the first k-1, i.e. lie on the same polynomial.
absl::StatusOr<crypto::Secret> Interpolate(const std::vector<crypto::Share>& shares, size_t k) {
  std::vector<crypto::Share> base(shares.begin(), shares.begin() + k);
  BO_ASSIGN_OR_RETURN(std::string part, crypto::ShamirCombine(base));
  crypto::Secret out(std::move(part));
  for (size_t j = k; j < shares.size(); ++j) {
    base.back() = shares[j];
    BO_ASSIGN_OR_RETURN(std::string other, crypto::ShamirCombine(base));
    const bool same = SecretEquals(other, out.view());
    OPENSSL_cleanse(other.data(), other.size());
    if (!same)
      return absl::DataLossError(absl::StrCat(
          "share ", int{shares[j].x}, " does not lie on the polynomial of shares ",
          absl::StrJoin(
              shares.begin(), shares.begin() + k, ", ",
              [](std::string* o, const crypto::Share& s) { absl::StrAppend(o, int{s.x}); }),
          ": different custodians would open different secrets"));
  }
  for (crypto::Share& s : base) OPENSSL_cleanse(s.y.data(), s.y.size());
  return out;
}

std::string MissingText(const v1::SealedHeader& h, const Quorum& q) {
  std::set<int> have;
  for (const crypto::Share& s : q.shares) have.insert(s.x);
  std::vector<std::string> parts = q.missing;
  for (const v1::Recipient* r : Shares(h))
    if (have.count(static_cast<int>(r->share_x())) == 0 &&
        std::none_of(q.missing.begin(), q.missing.end(),
                     [&](const std::string& m) { return absl::StartsWith(m, Who(*r)); }))
      parts.push_back(absl::StrCat(Who(*r), " has not released its key"));
  return absl::StrJoin(parts, "; ");
}

// The quorum part (s, or s_q under BOTH), or why the quorum path fails.
Judgement JudgeQuorum(const v1::SealedHeader& h, const std::vector<std::string>& lot_keys,
                      const Releases& releases) {
  if (auto fault = CheckSealedKeys(h, lot_keys)) return *fault;
  Quorum q;
  for (const CustodianKeyRelease& c : releases.custodians)
    if (!TakeRelease(h, c, &q).ok()) return *q.fault;
  const auto k = static_cast<size_t>(h.threshold());
  if (q.shares.size() < k)
    return Custodian(absl::StrCat("policy ", PolicyName(h.policy()), " needs ", k, " of ",
                                  Shares(h).size(), " custodian shares; ", q.shares.size(),
                                  " usable (", MissingText(h, q), ")"));
  auto part = Interpolate(q.shares, k);
  if (!part.ok()) return Bidder(part.status().message());
  const bool both = h.policy() == v1::OPENING_POLICY_BOTH;
  const std::string want = both ? h.quorum_part_commitment() : h.secret_commitment();
  const std::string got =
      SecretCommitment(both ? kQuorumPartLabel : kSecretLabel, ContextHash(h), part->view());
  if (!SecretEquals(got, want))
    return Bidder(absl::StrCat("the custodians' shares rebuild a secret that does not match ",
                               both ? "quorum_part_commitment" : "secret_commitment",
                               " in the header"));
  return Opened(*std::move(part), absl::StrCat(q.shares.size(), " custodian shares checked"));
}

Judgement JudgeBidder(const v1::SealedHeader& h, const Releases& releases) {
  if (!releases.bidder_secret)
    return Bidder(absl::StrCat("policy ", PolicyName(h.policy()),
                               " needs the bidder's secret; the bidder has not released it"));
  if (absl::Status st = CheckBidderSecret(h, *releases.bidder_secret); !st.ok())
    return Bidder(st.message());
  return Opened(crypto::Secret(*releases.bidder_secret), "the bidder's secret checked");
}

Judgement JudgeAny(const v1::SealedHeader& h, Judgement quorum, Judgement bidder) {
  if (quorum.verdict == Verdict::kBidderFault) return quorum;  // even if the bidder's path works
  if (bidder.verdict == Verdict::kOk) return bidder;
  if (quorum.verdict == Verdict::kOk) return quorum;
  return Custodian(absl::StrCat("the bidder's secret was not usable (", bidder.message,
                                ") and the quorum fell short: ", quorum.message));
}

Judgement JudgeBoth(const v1::SealedHeader& h, Judgement quorum, Judgement bidder) {
  if (quorum.verdict == Verdict::kBidderFault) return quorum;
  if (bidder.verdict != Verdict::kOk) return bidder;
  if (quorum.verdict != Verdict::kOk) return quorum;
  crypto::Secret s(Xor(bidder.secret.view(), quorum.secret.view()));
  if (!SecretEquals(SecretCommitment(kSecretLabel, ContextHash(h), s.view()),
                    h.secret_commitment()))
    return Bidder("s_b XOR s_q does not match secret_commitment in the header");
  return Opened(std::move(s), "the bidder's part and the custodians' shares checked");
}

absl::Status Loss(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("sealed bid: ", why));
}

// Every custodian record as its custodian would open it; the quorum part.
absl::StatusOr<crypto::Secret> SealerQuorumPart(const v1::SealedHeader& h,
                                                const std::vector<std::string>& keys) {
  const WrapContext ctx = WrapContextOf(h);
  Quorum q;
  for (int i = 0; i < h.recipients_size(); ++i) {
    const v1::Recipient& r = h.recipients(i);
    if (r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE) continue;
    BO_ASSIGN_OR_RETURN(crypto::Secret y, UnwrapAsSealer(ctx, r, keys[i]));
    if (!SecretEquals(ShareCommitment(ctx.ctx_hash, r.share_x(), y.view()), r.share_commitment()))
      return Loss(absl::StrCat("share ", r.share_x(), " (", Who(r),
                               ") does not match its share_commitment"));
    q.shares.push_back(crypto::Share{static_cast<uint8_t>(r.share_x()), y.bytes()});
  }
  auto part = Interpolate(q.shares, static_cast<size_t>(h.threshold()));
  if (!part.ok()) return Loss(part.status().message());
  const bool both = h.policy() == v1::OPENING_POLICY_BOTH;
  if (!SecretEquals(
          SecretCommitment(both ? kQuorumPartLabel : kSecretLabel, ctx.ctx_hash, part->view()),
          both ? h.quorum_part_commitment() : h.secret_commitment()))
    return Loss("the custodians' shares rebuild a secret the header does not commit to");
  return part;
}

}  // namespace

absl::Status CheckAsSealer(const v1::SealedHeader& h, absl::string_view secret,
                           const std::vector<std::string>& keys) {
  if (keys.size() != static_cast<size_t>(h.recipients_size()))
    return absl::InvalidArgumentError(
        absl::StrCat(keys.size(), " ephemeral keys kept for ", h.recipients_size(), " recipients"));
  const std::string ctx = ContextHash(h);
  if (!SecretEquals(SecretCommitment(kSecretLabel, ctx, secret), h.secret_commitment()))
    return Loss("the bid secret kept at sealing does not match secret_commitment");
  crypto::Secret bidder_part, quorum_part;
  if (UsesBidderKey(h.policy())) {
    BO_ASSIGN_OR_RETURN(bidder_part, UnwrapAsSealer(WrapContextOf(h), h.recipients(0), keys[0]));
    BO_RETURN_IF_ERROR(CheckBidderSecret(h, bidder_part.view()));
  }
  if (UsesShares(h.policy())) {
    BO_ASSIGN_OR_RETURN(quorum_part, SealerQuorumPart(h, keys));
  }
  if (h.policy() == v1::OPENING_POLICY_BOTH &&
      !SecretEquals(Xor(bidder_part.view(), quorum_part.view()), secret))
    return Loss("s_b XOR s_q is not the bid secret");
  return absl::OkStatus();
}

absl::StatusOr<crypto::Secret> UnwrapBidderSecret(const v1::SealedHeader& header,
                                                  absl::string_view bidder_private) {
  for (const v1::Recipient& r : header.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_BIDDER_KEY)
      return UnwrapSecret(WrapContextOf(header), r, bidder_private);
  return absl::FailedPreconditionError(absl::StrCat(
      "policy ", PolicyName(header.policy()), ": the bid is not wrapped to the bidder's key"));
}

absl::Status CheckBidderSecret(const v1::SealedHeader& h, absl::string_view released) {
  const bool both = h.policy() == v1::OPENING_POLICY_BOTH;
  const std::string got =
      SecretCommitment(both ? kBidderPartLabel : kSecretLabel, ContextHash(h), released);
  if (SecretEquals(got, both ? h.bidder_part_commitment() : h.secret_commitment()))
    return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("the bidder's released secret does not match ",
                                          both ? "bidder_part_commitment" : "secret_commitment",
                                          " in the header"));
}

absl::StatusOr<crypto::Share> UnwrapShare(const v1::SealedHeader& h, uint32_t share_x,
                                          absl::string_view custodian_private) {
  const v1::Recipient* r = ShareRecipient(h, share_x);
  if (r == nullptr) return absl::NotFoundError(absl::StrCat("this bid has no share ", share_x));
  auto y = UnwrapSecret(WrapContextOf(h), *r, custodian_private);
  if (!y.ok())
    return absl::DataLossError(absl::StrCat("share ", share_x, " (", Who(*r),
                                            ") does not open "
                                            "with that custodian's key: ",
                                            y.status().message()));
  if (!SecretEquals(ShareCommitment(ContextHash(h), share_x, y->view()), r->share_commitment()))
    return absl::DataLossError(
        absl::StrCat("share ", share_x, " (", Who(*r), ") does not match its share_commitment"));
  return crypto::Share{static_cast<uint8_t>(share_x), y->bytes()};
}

Judgement JudgeReleases(const v1::SealedHeader& h, const std::vector<std::string>& lot_keys,
                        const Releases& releases) {
  switch (h.policy()) {
    case v1::OPENING_POLICY_BIDDER:
      return JudgeBidder(h, releases);
    case v1::OPENING_POLICY_QUORUM:
      return JudgeQuorum(h, lot_keys, releases);
    case v1::OPENING_POLICY_ANY:
      return JudgeAny(h, JudgeQuorum(h, lot_keys, releases), JudgeBidder(h, releases));
    case v1::OPENING_POLICY_BOTH:
      return JudgeBoth(h, JudgeQuorum(h, lot_keys, releases), JudgeBidder(h, releases));
    default:
      return Bidder("the header has no opening policy");
  }
}

}  // namespace bidopen::seal
