#include "core/seal/manifest.h"

#include <filesystem>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/seal/digest.h"
#include "core/seal/file_source.h"
#include "core/seal/format.h"
#include "core/seal/value_syntax.h"

namespace bidopen::seal {
namespace {

absl::Status BadName(int index, absl::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("documents[", index, "].name: \"", absl::CHexEscape(name), "\" ", why));
}

bool HasForbiddenByte(absl::string_view name) {
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '/' || c == '\\') return true;
  }
  return false;
}

std::string NameOf(const DocumentSource& source) {
  if (!source.name.empty()) return source.name;
  return std::filesystem::path(source.path).filename().string();
}

absl::Status AddDocuments(const std::vector<DocumentSource>& documents, v1::BidManifest* manifest) {
  if (documents.size() > static_cast<size_t>(kMaxDocuments))
    return absl::InvalidArgumentError(
        absl::StrCat("documents: ", documents.size(), " documents; at most ", kMaxDocuments));
  std::set<std::string> seen;
  for (size_t i = 0; i < documents.size(); ++i) {
    const int index = static_cast<int>(i);
    auto doc = DescribeDocument(documents[i], index);
    if (!doc.ok()) return doc.status();
    if (!seen.insert(doc->name()).second) return BadName(index, doc->name(), "is used twice");
    *manifest->add_documents() = *std::move(doc);
  }
  return absl::OkStatus();
}

absl::Status Mismatch(absl::string_view what, absl::string_view in_manifest,
                      absl::string_view in_header) {
  return absl::DataLossError(absl::StrCat("sealed bid: the manifest names ", what, " \"",
                                          in_manifest, "\" but the header \"", in_header, "\""));
}

}  // namespace

absl::Status CheckDocumentName(absl::string_view name, int index) {
  if (name.empty()) return BadName(index, name, "is empty");
  if (name.size() > kMaxDocumentName)
    return BadName(
        index, name.substr(0, 32),
        absl::StrCat("(", name.size(), " bytes) is longer than ", kMaxDocumentName, " bytes"));
  size_t bad = 0;
  if (!IsValidUtf8(name, &bad)) return BadName(index, name, "is not valid UTF-8");
  if (HasForbiddenByte(name))
    return BadName(index, name, "contains a control character, '/' or '\\'");
  if (name == "." || name == "..") return BadName(index, name, "is not a file name");
  return absl::OkStatus();
}

absl::StatusOr<v1::Document> DescribeDocument(const DocumentSource& source, int index) {
  v1::Document doc;
  doc.set_name(NameOf(source));
  if (absl::Status st = CheckDocumentName(doc.name(), index); !st.ok()) return st;
  Sha256Stream hash;
  uint64_t size = 0;
  absl::Status st = ForEachPiece(absl::StrCat("documents[", index, "]"), source.path,
                                 kReadPieceSize, [&](absl::string_view piece) {
                                   hash.Update(piece);
                                   size += piece.size();
                                   return absl::OkStatus();
                                 });
  if (!st.ok()) return st;
  doc.set_size(size);
  doc.set_sha256(hash.Finish());
  return doc;
}

absl::StatusOr<v1::BidManifest> BuildManifest(const BidIdentity& id, const v1::LotSpec& spec,
                                              const FormInput& values,
                                              const std::vector<DocumentSource>& documents) {
  v1::BidManifest manifest;
  manifest.set_tender_id(id.tender_id);
  manifest.set_lot(id.lot);
  manifest.set_bidder(id.bidder);
  auto checked = CheckFormValues(spec, values);
  if (!checked.ok()) return checked.status();
  for (v1::FormValue& v : *checked) *manifest.add_values() = std::move(v);
  if (absl::Status st = AddDocuments(documents, &manifest); !st.ok()) return st;
  return manifest;
}

std::string EncodeManifest(const v1::BidManifest& manifest) {
  return EncodeDeterministic(manifest);
}

absl::Status CheckManifestAgainstHeader(const v1::BidManifest& manifest,
                                        const v1::SealedHeader& header) {
  if (manifest.tender_id() != header.tender_id())
    return Mismatch("tender", manifest.tender_id(), header.tender_id());
  if (manifest.lot() != header.lot())
    return Mismatch("lot", absl::StrCat(manifest.lot()), absl::StrCat(header.lot()));
  if (manifest.bidder() != header.bidder())
    return Mismatch("bidder", manifest.bidder(), header.bidder());
  for (int i = 0; i < manifest.documents_size(); ++i)
    if (absl::Status st = CheckDocumentName(manifest.documents(i).name(), i); !st.ok())
      return absl::DataLossError(absl::StrCat("sealed bid: manifest ", st.message()));
  return absl::OkStatus();
}

}  // namespace bidopen::seal
