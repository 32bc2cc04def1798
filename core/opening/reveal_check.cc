#include "core/opening/reveal_check.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "core/bid/statement.h"
#include "core/crypto/certificate.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/values_section.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::Status Differs(uint64_t bid, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("bid ", bid, ": ", what));
}

}  // namespace

absl::StatusOr<v1::BidStatement> CheckReveal(const v1::BidRevealed& r, const fold::Bid& bid,
                                             absl::string_view tender_id) {
  const std::string& fp = r.bidder().fingerprint();
  if (bid::BidderCommitment(fp, r.bidder_nonce()) != bid.bidder_commitment())
    return Differs(r.bid(), "the revealed nonce does not open its bidder commitment");
  if (crypto::Sha256(r.statement()) != bid.statement_sha256())
    return Differs(r.bid(), "the revealed statement is not the one its submission used");
  absl::StatusOr<v1::BidStatement> s =
      bid::DecodeStatement(r.statement(), bid::kSubmitPurpose, "statement");
  if (!s.ok()) return Differs(r.bid(), s.status().message());
  if (s->tender_id() != tender_id || s->lot() != r.lot() || s->bidder() != fp)
    return Differs(r.bid(), "the statement names another tender, lot or bidder");
  if (s->size() != bid.size())
    return Differs(r.bid(), absl::StrCat("the statement signs ", s->size(),
                                         " bytes but the bid is ", bid.size()));
  if (seal::HeaderHash(r.header()) != s->header_sha256())
    return Differs(r.bid(), "the revealed header is not the one the statement signs");
  absl::StatusOr<v1::SealedHeader> header = seal::DecodeHeader(r.header());
  if (!header.ok())
    return Differs(r.bid(), absl::StrCat("the revealed header: ", header.status().message()));
  if (header->tender_id() != tender_id || header->lot() != r.lot() || header->bidder() != fp)
    return Differs(r.bid(), "the revealed header is sealed for another tender, lot or bidder");
  return *std::move(s);
}

absl::Status CheckRevealSignature(const v1::BidRevealed& r, absl::string_view ca_pem,
                                  absl::Time signed_at) {
  const std::string& pem = r.bidder_certificate_pem();
  if (absl::Status st = crypto::VerifyIssuedBy(pem, ca_pem, signed_at); !st.ok())
    return Differs(r.bid(), absl::StrCat("the revealed certificate: ", st.message()));
  absl::StatusOr<v1::Party> party = crypto::PartyFromPem(pem);
  if (!party.ok() || party->fingerprint() != r.bidder().fingerprint())
    return Differs(r.bid(), "the revealed certificate is not the revealed bidder's");
  if (absl::Status st = crypto::VerifySignature(pem, r.statement(), r.statement_signature());
      !st.ok())
    return Differs(r.bid(), absl::StrCat("the statement's signature: ", st.message()));
  return absl::OkStatus();
}

absl::Status CheckAnnouncedValues(absl::string_view header_bytes, const v1::BidVerdict& v) {
  absl::StatusOr<v1::SealedHeader> header = seal::DecodeHeader(header_bytes);
  if (!header.ok()) return Differs(v.bid(), header.status().message());
  const std::vector<v1::FormValue> values(v.values().begin(), v.values().end());
  const std::string commitment = seal::ValuesCommitment(seal::ContextHash(*header), v.values_key(),
                                                        seal::ValuesEncoding(values));
  if (!seal::SecretEquals(commitment, header->values_commitment()))
    return Differs(v.bid(),
                   "the announced values and values_key do not open the header's "
                   "values_commitment: they are not what the bidder sealed");
  return absl::OkStatus();
}

}  // namespace bidopen
