#include "core/seal/release_check.h"

#include "absl/strings/str_cat.h"
#include "core/opening/lot_rules.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/key_wrap.h"
#include "core/seal/release_quorum.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

Judgement JudgeBidder(const v1::SealedHeader& h, const Releases& releases) {
  if (!releases.bidder_secret)
    return BidderFault(absl::StrCat("policy ", PolicyName(h.policy()),
                                    " needs the bidder's secret; the bidder has not released it"));
  if (absl::Status st = CheckBidderSecret(h, releases.bidder_secret->view()); !st.ok())
    return BidderFault(st.message());
  return Opened(*releases.bidder_secret, "the bidder's secret checked");
}

// A bidder's fault on the quorum path stands even if the bidder's own path
// works: else sealing bad shares and then "losing" s would be a free option.
Judgement JudgeAny(Judgement quorum, Judgement bidder) {
  if (quorum.verdict == Verdict::kBidderFault) return quorum;
  if (bidder.verdict == Verdict::kOk) {
    CarryNames(quorum, /*say=*/true, &bidder);
    return bidder;
  }
  if (quorum.verdict == Verdict::kOk) return quorum;
  Judgement j = CustodianFault(absl::StrCat("the bidder's secret was not usable (", bidder.message,
                                            ") and the quorum fell short: ", quorum.message));
  CarryNames(quorum, /*say=*/false, &j);
  return j;
}

Judgement JudgeBoth(const v1::SealedHeader& h, Judgement quorum, Judgement bidder) {
  if (bidder.verdict != Verdict::kOk && quorum.verdict != Verdict::kOk) {
    // The bidder's fault (no s_b, no bid), and the custodians' failure named too.
    absl::StrAppend(&bidder.message, "; and the custodians' part failed too: ", quorum.message);
    CarryNames(quorum, /*say=*/false, &bidder);
    return bidder;
  }
  if (quorum.verdict != Verdict::kOk) return quorum;
  if (bidder.verdict != Verdict::kOk) {
    CarryNames(quorum, /*say=*/true, &bidder);
    return bidder;
  }
  crypto::Secret s(Xor(bidder.secret.view(), quorum.secret.view()));
  Judgement j =
      SecretEquals(SecretCommitment(kSecretLabel, ContextHash(h), s.view()), h.secret_commitment())
          ? Opened(std::move(s), "the bidder's part and the custodians' shares checked")
          : BidderFault("s_b XOR s_q does not match secret_commitment in the header");
  CarryNames(quorum, /*say=*/true, &j);
  return j;
}

absl::StatusOr<Judgement> Judge(const v1::SealedHeader& h, const std::vector<std::string>& lot_keys,
                                const Releases& releases) {
  if (h.policy() == v1::OPENING_POLICY_BIDDER) return JudgeBidder(h, releases);
  BO_ASSIGN_OR_RETURN(Judgement quorum, JudgeQuorum(h, lot_keys, releases.custodians));
  switch (h.policy()) {
    case v1::OPENING_POLICY_QUORUM:
      return quorum;
    case v1::OPENING_POLICY_ANY:
      return JudgeAny(std::move(quorum), JudgeBidder(h, releases));
    case v1::OPENING_POLICY_BOTH:
      return JudgeBoth(h, std::move(quorum), JudgeBidder(h, releases));
    default:
      return BidderFault("the header has no opening policy");
  }
}

// A verdict on shares needs the lot's key of every custodian: without them a
// bidder could seal to keys nobody holds and blame the custodians.
absl::Status CheckLotKeys(const v1::SealedHeader& h, const std::vector<std::string>& lot_keys) {
  if (!UsesShares(h.policy())) return absl::OkStatus();
  const size_t n = ShareRecipients(h).size();
  if (lot_keys.size() == n) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("release check: lot ", h.lot(), " (policy ", PolicyName(h.policy()), ") has ",
                   lot_keys.size(), " published custodian keys for ", n,
                   " custodians; a verdict on its shares needs the lot's key of every custodian"));
}

absl::Status Loss(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("sealed bid: ", why));
}

// Every custodian record as its custodian would open it; the quorum part.
absl::StatusOr<crypto::Secret> SealerQuorumPart(const v1::SealedHeader& h,
                                                const std::vector<std::string>& keys) {
  const WrapContext ctx = WrapContextOf(h);
  ShareSet shares;
  for (int i = 0; i < h.recipients_size(); ++i) {
    const v1::Recipient& r = h.recipients(i);
    if (r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE) continue;
    BO_ASSIGN_OR_RETURN(crypto::Secret y, UnwrapAsSealer(ctx, r, keys[i]));
    if (!SecretEquals(ShareCommitment(ctx.ctx_hash, r.share_x(), y.view()), r.share_commitment()))
      return Loss(absl::StrCat("share ", r.share_x(), " (", Who(r),
                               ") does not match its share_commitment"));
    shares.Add(crypto::Share{static_cast<uint8_t>(r.share_x()), y.bytes()});
  }
  auto part = QuorumPart(h, shares);
  if (!part.ok() && part.status().code() == absl::StatusCode::kDataLoss)
    return Loss(part.status().message());
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
  if (h.policy() != v1::OPENING_POLICY_BOTH) return absl::OkStatus();
  const crypto::Secret both(Xor(bidder_part.view(), quorum_part.view()));
  if (!SecretEquals(both.view(), secret)) return Loss("s_b XOR s_q is not the bid secret");
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
  const std::string share = absl::StrCat("share ", share_x, " (", Who(*r), ")");
  if (!y.ok() && y.status().code() != absl::StatusCode::kDataLoss)
    return absl::Status(y.status().code(), absl::StrCat(share, ": ", y.status().message()));
  if (!y.ok())
    return absl::DataLossError(
        absl::StrCat(share, " does not open with that custodian's key: ", y.status().message()));
  if (!SecretEquals(ShareCommitment(ContextHash(h), share_x, y->view()), r->share_commitment()))
    return absl::DataLossError(absl::StrCat(share, " does not match its share_commitment"));
  return crypto::Share{static_cast<uint8_t>(share_x), y->bytes()};
}

absl::StatusOr<Judgement> JudgeReleases(const v1::SealedHeader& h,
                                        const std::vector<std::string>& lot_keys,
                                        const Releases& releases) {
  BO_RETURN_IF_ERROR(CheckLotKeys(h, lot_keys));
  return Judge(h, lot_keys, releases);
}

absl::StatusOr<Judgement> JudgeReleasesForTesting(const v1::SealedHeader& h,
                                                  const Releases& releases) {
  std::vector<std::string> keys;
  for (const v1::Recipient* r : ShareRecipients(h)) keys.push_back(r->public_key());
  return Judge(h, keys, releases);
}

}  // namespace bidopen::seal
