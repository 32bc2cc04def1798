#include "core/bid/receipt.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "core/bid/statement.h"
#include "core/crypto/certificate.h"
#include "core/crypto/log_certificate.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/deterministic.h"
#include "core/log/merkle.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::bid {
namespace {

absl::Status Lost(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("receipt: ", what));
}

// The log key's signature (its certificate's chain is checked last, as it was
// when the bid was received: IssuedWhenReceived).
absl::Status CheckSignature(const v1::Receipt& r) {
  if (absl::Status st = crypto::CheckLogSigningUsage(r.log_certificate_pem()); !st.ok())
    return Lost(st.message());
  if (!crypto::VerifySignature(r.log_certificate_pem(), ReceiptSigningInput(r.body()),
                               r.server_signature())
           .ok())
    return Lost("the server's signature does not verify with the log key");
  return absl::OkStatus();
}

// The log certificate was issued by the CA and valid when the bid was
// received (the signed body's time): a receipt is proof years later, after
// the certificate expired.
absl::Status IssuedWhenReceived(const v1::Receipt& r, const v1::ReceiptBody& body,
                                absl::string_view ca_pem) {
  if (absl::Status st =
          crypto::VerifyIssuedBy(r.log_certificate_pem(), ca_pem, FromProto(body.received()));
      !st.ok())
    return Lost(absl::StrCat("log certificate: ", st.message()));
  return absl::OkStatus();
}

// The bidder's own signature over its statement, with its certificate from
// the same CA: the receipt proves what the bidder signed, not only what the
// server says it received.
absl::Status CheckBidderSignature(const VerifiedReceipt& v, absl::string_view ca_pem) {
  const std::string& cert = v.body.bidder_certificate_pem();
  if (cert.empty()) return Lost("no bidder certificate (a receipt from an older server)");
  if (absl::Status st = crypto::VerifyIssuedBy(cert, ca_pem, FromProto(v.body.received()));
      !st.ok())
    return Lost(absl::StrCat("bidder certificate: ", st.message()));
  auto party = crypto::PartyFromPem(cert);
  if (!party.ok() || party->fingerprint() != v.statement.bidder())
    return Lost("the bidder certificate is not the statement's bidder");
  if (party->role() != v1::ROLE_BIDDER) return Lost("the bidder certificate is not a bidder's");
  if (!crypto::VerifySignature(cert, v.body.statement(), v.body.statement_signature()).ok())
    return Lost("the bidder's signature over the statement does not verify");
  return absl::OkStatus();
}

std::optional<uint64_t> Named(const v1::BidStatement& s) {
  return s.has_bid_seq() ? std::optional<uint64_t>(s.bid_seq()) : std::nullopt;
}

absl::Status CheckSubmitted(const VerifiedReceipt& v) {
  if (v.event.body_case() != v1::Event::kBidSubmitted)
    return Lost(absl::StrCat("the event at seq ", v.body.seq(), " is not a bid submission"));
  const v1::BidSubmitted& e = v.event.bid_submitted();
  if (e.lot() != v.statement.lot() || v.event.tender_id() != v.statement.tender_id())
    return Lost("the event is for another tender or lot than the statement");
  if (e.size() != v.statement.size()) return Lost("the event records another size");
  if (e.bidder_commitment() != BidderCommitment(v.statement.bidder(), v.body.bidder_nonce()))
    return Lost("the nonce does not open the event's bidder commitment");
  const std::optional<uint64_t> replaces =
      e.has_replaces() ? std::optional<uint64_t>(e.replaces()) : std::nullopt;
  if (replaces != Named(v.statement))
    return Lost("the event replaces another bid than the bidder's statement names");
  return absl::OkStatus();
}

absl::Status CheckWithdrawn(const VerifiedReceipt& v) {
  if (v.event.body_case() != v1::Event::kBidWithdrawn)
    return Lost(absl::StrCat("the event at seq ", v.body.seq(), " is not a withdrawal"));
  const v1::BidWithdrawn& e = v.event.bid_withdrawn();
  if (e.lot() != v.statement.lot() || v.event.tender_id() != v.statement.tender_id())
    return Lost("the event is for another tender or lot than the statement");
  if (Named(v.statement) != e.withdraws())
    return Lost("the event withdraws another bid than the bidder's statement names");
  return absl::OkStatus();
}

absl::StatusOr<v1::BidStatement> StatementOf(const v1::ReceiptBody& body) {
  absl::string_view purpose =
      body.kind() == v1::RECEIPT_KIND_WITHDRAWN ? kWithdrawPurpose : kSubmitPurpose;
  auto s = DecodeStatement(body.statement(), purpose, "statement");
  if (!s.ok()) return Lost(s.status().message());
  return s;
}

absl::Status CheckEvent(const VerifiedReceipt& v) {
  const std::string hash = crypto::Sha256(v.body.statement());
  const std::string& recorded = v.event.body_case() == v1::Event::kBidWithdrawn
                                    ? v.event.bid_withdrawn().statement_sha256()
                                    : v.event.bid_submitted().statement_sha256();
  if (recorded != hash) return Lost("the event records another statement");
  if (FromProto(v.event.time()) != FromProto(v.body.received()))
    return Lost("the receive time is not the event's time");
  return v.body.kind() == v1::RECEIPT_KIND_WITHDRAWN ? CheckWithdrawn(v) : CheckSubmitted(v);
}

}  // namespace

std::string ReceiptSigningInput(absl::string_view body) {
  static constexpr absl::string_view kContext("bidopen/receipt/v1\0", 19);
  return absl::StrCat(kContext, body);
}

std::string EncodeReceiptBody(const v1::ReceiptBody& body) { return EncodeDeterministic(body); }

v1::ReceiptBody MakeReceiptBody(const ReceiptInput& in, const v1::Event& event,
                                const std::string& origin) {
  v1::ReceiptBody body;
  body.set_kind(in.kind);
  body.set_statement(in.statement);
  body.set_statement_signature(in.signature);
  body.set_bidder_certificate_pem(in.bidder_cert_pem);
  *body.mutable_received() = event.time();
  body.set_seq(event.seq());
  body.set_event(EncodeEvent(event));
  const log::Hash leaf = log::LeafHash(body.event());
  body.set_leaf_hash(leaf.data(), leaf.size());
  body.set_bidder_nonce(in.nonce);
  body.set_log_origin(origin);
  return body;
}

absl::StatusOr<VerifiedReceipt> VerifyReceipt(const v1::Receipt& receipt,
                                              absl::string_view ca_pem) {
  BO_RETURN_IF_ERROR(CheckSignature(receipt));
  VerifiedReceipt v;
  if (!v.body.ParseFromString(receipt.body())) return Lost("the body does not parse");
  if (v.body.kind() != v1::RECEIPT_KIND_SUBMITTED && v.body.kind() != v1::RECEIPT_KIND_WITHDRAWN)
    return Lost(absl::StrCat("unknown kind ", v.body.kind()));
  BO_ASSIGN_OR_RETURN(v.statement, StatementOf(v.body));
  auto event = DecodeEvent(v.body.event(), v.body.seq());
  if (!event.ok()) return Lost(event.status().message());
  v.event = *std::move(event);
  const log::Hash leaf = log::LeafHash(v.body.event());
  if (v.body.leaf_hash() != absl::string_view(reinterpret_cast<const char*>(leaf.data()), 32))
    return Lost("the leaf hash is not the hash of the event");
  BO_RETURN_IF_ERROR(CheckEvent(v));
  BO_RETURN_IF_ERROR(IssuedWhenReceived(receipt, v.body, ca_pem));
  BO_RETURN_IF_ERROR(CheckBidderSignature(v, ca_pem));
  return v;
}

}  // namespace bidopen::bid
