#include "core/bid/statement.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/deterministic.h"
#include "core/quote.h"
#include "core/request_check.h"
#include "core/status_macros.h"

namespace bidopen::bid {

std::string EncodeStatement(const v1::BidStatement& statement) {
  return EncodeDeterministic(statement);
}

absl::StatusOr<v1::BidStatement> DecodeStatement(absl::string_view bytes, absl::string_view purpose,
                                                 absl::string_view field) {
  v1::BidStatement s;
  if (bytes.empty() || !s.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", bytes.size(), " bytes that are not a BidStatement"));
  BO_RETURN_IF_ERROR(CheckRequest(s, field));
  if (s.purpose() != purpose)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".purpose: ", Quote(s.purpose()), ", expected \"", purpose, "\""));
  if (s.header_sha256().size() != 32 || s.ciphertext_sha256().size() != 32)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": header_sha256 and ciphertext_sha256 must be 32 bytes (got ",
                     s.header_sha256().size(), " and ", s.ciphertext_sha256().size(), ")"));
  if (s.client_nonce().size() != kClientNonceSize)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".client_nonce: ", s.client_nonce().size(), " bytes; it must be ",
                     kClientNonceSize, " fresh random bytes"));
  if (purpose == kWithdrawPurpose && !s.has_bid_seq())
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".bid_seq: required; a withdrawal names the bid it withdraws"));
  return s;
}

absl::Status CheckStatementNamesLiveBid(const v1::BidStatement& s, std::optional<uint64_t> live,
                                        absl::string_view field) {
  const std::optional<uint64_t> named =
      s.has_bid_seq() ? std::optional<uint64_t>(s.bid_seq()) : std::nullopt;
  if (named == live) return absl::OkStatus();
  auto text = [](std::optional<uint64_t> seq) {
    return seq ? absl::StrCat("your bid at log index ", *seq) : std::string("no bid");
  };
  const bool submit = s.purpose() == kSubmitPurpose;
  const std::string now =
      live ? absl::StrCat("your live bid in lot ", s.lot(), " is at log index ", *live)
           : absl::StrCat("you have no live bid in lot ", s.lot());
  return absl::FailedPreconditionError(absl::StrCat(
      field, ".bid_seq: the statement ", submit ? "replaces " : "withdraws ", text(named), ", but ",
      now, "; sign a new statement: run `bidctl bid submit` (or `bid withdraw`) again"));
}

absl::Status CheckStatementBidder(const v1::BidStatement& s, absl::string_view caller,
                                  absl::string_view field) {
  if (s.bidder() == caller) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(field, ".bidder: ", s.bidder(),
                                                  " is not the caller's certificate ", caller,
                                                  "; a bidder signs only its own statements"));
}

absl::Status CheckStatementSignature(absl::string_view caller_cert_pem, absl::string_view bytes,
                                     absl::string_view signature, absl::string_view field) {
  if (crypto::VerifySignature(caller_cert_pem, bytes, signature).ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": does not verify with the key of the caller's certificate (", signature.size(),
      " bytes); sign the statement with the key of the certificate you call with"));
}

std::string BidderCommitment(absl::string_view fingerprint, absl::string_view nonce) {
  static constexpr absl::string_view kLabel("bidopen/bidder\0", 15);
  return crypto::Sha256(absl::StrCat(kLabel, fingerprint, nonce));
}

}  // namespace bidopen::bid
