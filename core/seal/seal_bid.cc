#include "core/seal/seal_bid.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "core/seal/digest.h"
#include "core/seal/documents.h"
#include "core/seal/stream_writer.h"
#include "core/seal/values_section.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

absl::Status CheckParams(const SealParams& p) {
  if (p.tender_id.empty()) return Invalid("tender_id", "empty");
  if (p.lot.number() < 1)
    return Invalid("lot", absl::StrCat(p.lot.number(), " is not a lot number"));
  if (p.keys.bidder_fingerprint.empty()) return Invalid("bidder", "no certificate fingerprint");
  if (p.chunk_size < kMinChunkSize || p.chunk_size > kMaxChunkSize)
    return Invalid("chunk_size",
                   absl::StrCat(p.chunk_size, " is outside ", kMinChunkSize, "..", kMaxChunkSize));
  if (p.documents.size() > static_cast<size_t>(kMaxDocuments))
    return Invalid("documents",
                   absl::StrCat(p.documents.size(), " documents; at most ", kMaxDocuments));
  return absl::OkStatus();
}

v1::OpeningPolicy PolicyOf(const v1::LotSpec& spec) {
  return spec.policy() == v1::OPENING_POLICY_UNSPECIFIED ? v1::OPENING_POLICY_ANY : spec.policy();
}

std::string What(size_t index) { return absl::StrCat("documents[", index, "]"); }

std::string NameOf(const DocumentSource& source) {
  if (!source.name.empty()) return source.name;
  const size_t slash = source.path.rfind('/');
  return slash == std::string::npos ? source.path : source.path.substr(slash + 1);
}

// What is known before any document is read.
struct Plan {
  std::string values_encoding;
  std::vector<v1::FormValue> values;
  std::vector<v1::Document> documents;  // name and size (as opened)
  std::vector<std::unique_ptr<DocumentReader>> readers;
};

absl::Status PlanDocuments(const std::vector<DocumentSource>& sources, Env* env, Plan* plan) {
  if (!sources.empty() && env == nullptr)
    return Invalid("documents", "no Env to read them (SealParams::env)");
  std::set<std::string> seen;
  for (size_t i = 0; i < sources.size(); ++i) {
    v1::Document& doc = plan->documents.emplace_back();
    doc.set_name(NameOf(sources[i]));
    BO_RETURN_IF_ERROR(CheckDocumentName(doc.name(), static_cast<int>(i)));
    if (!seen.insert(doc.name()).second)
      return Invalid(absl::StrCat(What(i), ".name"),
                     absl::StrCat("\"", doc.name(), "\" is used twice"));
    BO_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                        env->OpenDocument(What(i), sources[i].path));
    doc.set_size(reader->size());
    plan->readers.push_back(std::move(reader));
  }
  return absl::OkStatus();
}

absl::StatusOr<Plan> MakePlan(const SealParams& p) {
  Plan plan;
  BO_ASSIGN_OR_RETURN(plan.values, CheckFormValues(p.lot.spec(), p.form));
  plan.values_encoding = ValuesEncoding(plan.values);
  BO_RETURN_IF_ERROR(PlanDocuments(p.documents, p.env, &plan));
  return plan;
}

absl::StatusOr<v1::SealedHeader> MakeHeader(const SealParams& p, const Plan& plan,
                                            RandomSource& random) {
  v1::SealedHeader h;
  h.set_suite(std::string(kSuiteX25519Aes));
  BO_ASSIGN_OR_RETURN(*h.mutable_bid_id(), DrawRandom(random, kBidIdSize));
  h.set_tender_id(p.tender_id);
  h.set_lot(p.lot.number());
  h.set_bidder(p.keys.bidder_fingerprint);
  h.set_policy(PolicyOf(p.lot.spec()));
  h.set_threshold(h.policy() == v1::OPENING_POLICY_BIDDER ? 0 : p.lot.spec().threshold());
  h.set_chunk_size(p.chunk_size);
  h.set_values_size(ValuesSectionSize(p.lot.spec()));
  h.set_plaintext_size(PlaintextSize(h.values_size(), plan.documents));
  SealRecipientKeys keys = p.keys;
  keys.custodians.clear();
  if (UsesShares(h.policy())) {
    BO_ASSIGN_OR_RETURN(keys.custodians, CustodiansInLotOrder(p.lot.spec(), p.keys));
  }
  AddRecipients(keys, &h);
  return h;
}

absl::Status Changed(size_t index, absl::string_view path, absl::string_view how) {
  return absl::FailedPreconditionError(absl::StrCat(What(index), ": ", path,
                                                    " changed while the bid was being sealed (",
                                                    how, "); seal it again"));
}

// Streams one document into the writer; the Env's reader hashes each piece
// (on its reading thread) before the writer encrypts it.
absl::StatusOr<std::string> SealDocument(const DocumentSource& source, const v1::Document& doc,
                                         DocumentReader& reader, size_t index, SealWriter& writer) {
  Sha256Stream hash;
  uint64_t size = 0;
  BO_RETURN_IF_ERROR(reader.ForEachPiece(
      [&](absl::string_view piece) {
        size += piece.size();
        if (size > doc.size()) return absl::OkStatus();  // reported below, after the loop
        return writer.Write(piece);
      },
      [&](absl::string_view piece) { hash.Update(piece); }));
  if (size != doc.size())
    return Changed(index, source.path,
                   absl::StrCat("it was ", doc.size(), " bytes when sealing began, ", size,
                                " bytes when read"));
  BO_RETURN_IF_ERROR(reader.CheckUnchanged());
  return hash.Finish();
}

absl::Status WritePayload(const SealParams& p, const v1::SealedHeader& h, Plan& plan,
                          SealWriter& writer) {
  BO_RETURN_IF_ERROR(writer.Write(ValuesSection(plan.values_encoding, h.values_size())));
  BO_RETURN_IF_ERROR(writer.Write(DocumentTable(plan.documents)));
  std::string hashes;
  for (size_t i = 0; i < plan.documents.size(); ++i) {
    BO_ASSIGN_OR_RETURN(std::string sha, SealDocument(p.documents[i], plan.documents[i],
                                                      *plan.readers[i], i, writer));
    plan.documents[i].set_sha256(sha);
    hashes += sha;
  }
  BO_RETURN_IF_ERROR(writer.Write(hashes));
  BO_RETURN_IF_ERROR(writer.Finish());
  if (writer.plaintext_size() != h.plaintext_size())
    return absl::InternalError(absl::StrCat("sealing wrote ", writer.plaintext_size(),
                                            " bytes of plaintext; the header says ",
                                            h.plaintext_size()));
  return absl::OkStatus();
}

void Describe(const SealParams& p, const Plan& plan, SealResult* r) {
  v1::BidManifest& m = r->manifest;
  m.set_tender_id(p.tender_id);
  m.set_lot(p.lot.number());
  m.set_bidder(p.keys.bidder_fingerprint);
  for (const v1::FormValue& v : plan.values) *m.add_values() = v;
  for (const v1::Document& d : plan.documents) *m.add_documents() = d;
}

}  // namespace

absl::StatusOr<SealResult> SealBid(const SealParams& p, std::ostream& out) {
  BO_RETURN_IF_ERROR(CheckParams(p));
  RandomSource& random = p.random != nullptr ? *p.random : OsRandom();
  BO_ASSIGN_OR_RETURN(Plan plan, MakePlan(p));
  SealResult r;
  BO_ASSIGN_OR_RETURN(r.header, MakeHeader(p, plan, random));
  BO_ASSIGN_OR_RETURN(BidSecrets secrets, DrawSecrets(r.header, random));
  BO_RETURN_IF_ERROR(SealKeys(secrets, plan.values_encoding, random, &r.header, &r.ephemeral_keys));
  SealWriter writer(out, p.hash_ciphertext, p.env);
  BO_RETURN_IF_ERROR(writer.Begin(r.header, secrets.secret.view()));
  BO_RETURN_IF_ERROR(WritePayload(p, r.header, plan, writer));
  Describe(p, plan, &r);
  r.header_hash = writer.header_hash();
  r.ciphertext_sha256 = writer.file_sha256();
  r.ciphertext_size = writer.file_size();
  r.secret = secrets.secret;
  return r;
}

}  // namespace bidopen::seal
