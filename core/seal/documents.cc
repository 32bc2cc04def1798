#include "core/seal/documents.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
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

std::string DocumentTable(const std::vector<v1::Document>& documents) {
  std::string out;
  AppendU32(&out, static_cast<uint32_t>(documents.size()));
  for (const v1::Document& d : documents) {
    AppendLp(&out, d.name());
    AppendU64(&out, d.size());
  }
  return out;
}

uint64_t PlaintextSize(uint32_t values_size, const std::vector<v1::Document>& documents) {
  uint64_t size = values_size + DocumentTable(documents).size();
  for (const v1::Document& d : documents) size += d.size() + kHashSize;
  return size;
}

}  // namespace bidopen::seal
