#include "core/seal/bid_plaintext.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/values_section.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Loss(absl::string_view message) {
  return absl::DataLossError(absl::StrCat("sealed bid: ", message));
}

}  // namespace

absl::Status BidSink::OnValues(const std::vector<v1::FormValue>&) { return absl::OkStatus(); }
absl::Status BidSink::OnDocumentBegin(int, const v1::Document&) { return absl::OkStatus(); }
absl::Status BidSink::OnDocumentData(int, absl::string_view) { return absl::OkStatus(); }
absl::Status BidSink::Commit(const v1::BidManifest&) { return absl::OkStatus(); }
void BidSink::Discard(const absl::Status&) {}

PlaintextParser::PlaintextParser(const v1::SealedHeader& header, std::string values_key,
                                 BidSink* sink)
    : header_(header),
      values_key_(std::move(values_key)),
      sink_(sink != nullptr ? sink : &default_sink_),
      need_(header.values_size()) {
  opened_.set_tender_id(header.tender_id());
  opened_.set_lot(header.lot());
  opened_.set_bidder(header.bidder());
}

bool PlaintextParser::Fill(absl::string_view* bytes, size_t want) {
  const size_t take = std::min(want - buffer_.size(), bytes->size());
  buffer_.append(bytes->data(), take);
  bytes->remove_prefix(take);
  return buffer_.size() == want;
}

absl::Status PlaintextParser::Consume(absl::string_view bytes) {
  while (!bytes.empty()) {
    if (state_ == State::kDone)
      return Loss(absl::StrCat(bytes.size(), " bytes of plaintext after the document hashes"));
    BO_RETURN_IF_ERROR(Step(&bytes));
  }
  return absl::OkStatus();
}

absl::Status PlaintextParser::Step(absl::string_view* bytes) {
  if (state_ == State::kDocuments) return TakeDocument(bytes);
  if (!Fill(bytes, need_)) return absl::OkStatus();
  absl::Status st;
  switch (state_) {
    case State::kValues:
      st = TakeValues();
      break;
    case State::kCount:
      st = TakeCount();
      break;
    case State::kNameLength:
      need_ = ReadU32(buffer_);
      if (need_ > kMaxDocumentName)
        return Loss(absl::StrCat("document ", opened_.documents_size(), ": name of ", need_,
                                 " bytes; at most ", kMaxDocumentName));
      state_ = State::kName;
      buffer_.clear();
      return need_ == 0 ? TakeName() : absl::OkStatus();
    case State::kName:
      st = TakeName();
      break;
    case State::kSize:
      st = TakeSize();
      break;
    case State::kHashes:
      st = TakeHashes();
      break;
    default:
      st = absl::InternalError("plaintext parser: bad state");
  }
  return st;
}

absl::Status PlaintextParser::TakeValues() {
  BO_ASSIGN_OR_RETURN(ParsedValues parsed, ParseValuesSection(buffer_));
  const std::string ctx = ContextHash(header_);
  if (!SecretEquals(ValuesCommitment(ctx, values_key_, parsed.encoding),
                    header_.values_commitment()))
    return Loss("the values section does not match values_commitment in the header");
  for (const v1::FormValue& v : parsed.values) *opened_.add_values() = v;
  BO_RETURN_IF_ERROR(sink_->OnValues(parsed.values));
  buffer_.clear();
  state_ = State::kCount;
  need_ = 4;
  return absl::OkStatus();
}

absl::Status PlaintextParser::TakeCount() {
  count_ = ReadU32(buffer_);
  buffer_.clear();
  if (count_ > static_cast<uint32_t>(kMaxDocuments))
    return Loss(absl::StrCat("document table: ", count_, " documents; at most ", kMaxDocuments));
  state_ = State::kNameLength;
  need_ = 4;
  return count_ == 0 ? StartDocuments() : absl::OkStatus();
}

absl::Status PlaintextParser::TakeName() {
  const int index = opened_.documents_size();
  if (absl::Status st = CheckDocumentName(buffer_, index); !st.ok())
    return Loss(absl::StrCat("document table: ", st.message()));
  for (const v1::Document& d : opened_.documents())
    if (d.name() == buffer_)
      return Loss(absl::StrCat("document table: documents[", index, "].name \"", buffer_,
                               "\" is used twice"));
  opened_.add_documents()->set_name(buffer_);
  buffer_.clear();
  state_ = State::kSize;
  need_ = 8;
  return absl::OkStatus();
}

absl::Status PlaintextParser::TakeSize() {
  opened_.mutable_documents()->rbegin()->set_size(ReadU64(buffer_));
  buffer_.clear();
  need_ = 4;
  state_ = State::kNameLength;
  if (static_cast<uint32_t>(opened_.documents_size()) < count_) return absl::OkStatus();
  return StartDocuments();
}

absl::Status PlaintextParser::StartDocuments() {
  const std::vector<v1::Document> docs(opened_.documents().begin(), opened_.documents().end());
  const uint64_t limit = header_.plaintext_size();
  uint64_t total = header_.values_size() + DocumentTable(docs).size();
  bool over = total > limit;
  for (const v1::Document& d : docs) {
    // Each step stays below 2^64: total <= limit < 2^57 and d.size() <= limit.
    over = over || d.size() > limit || (total += d.size() + kHashSize) > limit;
    if (over) break;
  }
  if (over || total != limit)
    return Loss(absl::StrCat("the document table adds up to ", over ? "more than " : "",
                             over ? limit : total,
                             " bytes of plaintext; the header says plaintext_size ", limit));
  document_ = -1;
  return NextDocument();
}

absl::Status PlaintextParser::NextDocument() {
  while (++document_ < opened_.documents_size()) {
    const v1::Document& doc = opened_.documents(document_);
    BO_RETURN_IF_ERROR(sink_->OnDocumentBegin(document_, doc));
    remaining_ = doc.size();
    if (remaining_ > 0) {
      state_ = State::kDocuments;
      return absl::OkStatus();
    }
    hashes_.push_back(document_hash_.Finish());
  }
  state_ = count_ == 0 ? State::kDone : State::kHashes;
  need_ = kHashSize * count_;
  return absl::OkStatus();
}

absl::Status PlaintextParser::TakeDocument(absl::string_view* bytes) {
  const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, bytes->size()));
  const absl::string_view piece = bytes->substr(0, take);
  bytes->remove_prefix(take);
  document_hash_.Update(piece);
  remaining_ -= take;
  BO_RETURN_IF_ERROR(sink_->OnDocumentData(document_, piece));
  if (remaining_ > 0) return absl::OkStatus();
  hashes_.push_back(document_hash_.Finish());
  return NextDocument();
}

absl::Status PlaintextParser::TakeHashes() {
  for (int i = 0; i < opened_.documents_size(); ++i) {
    const absl::string_view sealed = absl::string_view(buffer_).substr(i * kHashSize, kHashSize);
    v1::Document* doc = opened_.mutable_documents(i);
    if (sealed != hashes_[i])
      return Loss(absl::StrCat("document ", i, " (", doc->name(),
                               "): its SHA-256 differs from the one in the final part"));
    doc->set_sha256(std::string(sealed));
  }
  buffer_.clear();
  state_ = State::kDone;
  return absl::OkStatus();
}

absl::Status PlaintextParser::Finish() {
  if (state_ == State::kDone) return absl::OkStatus();
  if (state_ == State::kDocuments) {
    const v1::Document& doc = opened_.documents(document_);
    return Loss(absl::StrCat("the plaintext ends inside document ", document_, " (", doc.name(),
                             ") after ", doc.size() - remaining_, " of ", doc.size(), " bytes"));
  }
  return Loss(state_ == State::kValues   ? "the plaintext ends inside the values section"
              : state_ == State::kHashes ? "the plaintext ends inside the document hashes"
                                         : "the plaintext ends inside the document table");
}

namespace {

absl::StatusOr<v1::BidManifest> ReadAll(SealReader& reader, absl::string_view secret, BidSink* sink,
                                        const v1::LotSpec* form) {
  BO_RETURN_IF_ERROR(reader.CheckSecret(secret));
  BO_ASSIGN_OR_RETURN(crypto::Secret values_key,
                      DeriveKey(secret, kValuesKeyLabel, ContextHash(reader.header())));
  PlaintextParser parser(reader.header(), values_key.bytes(), sink);
  BO_RETURN_IF_ERROR(
      reader.ReadPlaintext(secret, [&](absl::string_view piece) { return parser.Consume(piece); }));
  BO_RETURN_IF_ERROR(parser.Finish());
  if (form != nullptr) {
    std::vector<v1::FormValue> values(parser.opened().values().begin(),
                                      parser.opened().values().end());
    BO_RETURN_IF_ERROR(CheckValuesForLot(*form, values));
  }
  return parser.opened();
}

}  // namespace

absl::StatusOr<v1::BidManifest> ReadBid(SealReader& reader, absl::string_view secret, BidSink* sink,
                                        const v1::LotSpec* form) {
  BidSink none;
  BidSink* target = sink != nullptr ? sink : &none;
  auto opened = ReadAll(reader, secret, target, form);
  if (opened.ok()) {
    if (absl::Status st = target->Commit(*opened); !st.ok()) opened = st;
  }
  if (!opened.ok()) target->Discard(opened.status());
  return opened;
}

}  // namespace bidopen::seal
