#include "core/log/bundle.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/log_certificate.h"
#include "core/crypto/signature.h"
#include "core/log/memory_tree.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::log {
namespace {

absl::Status AtEvent(uint64_t seq, const absl::Status& st) {
  return absl::Status(st.code(), absl::StrCat("event ", seq, ": ", st.message()));
}

std::string Raw(const Hash& h) { return std::string(h.begin(), h.end()); }

std::string PrevName(uint64_t prev) { return prev == 0 ? "none" : absl::StrCat(prev - 1); }

// A tender's events chain: the first creates it, each names its predecessor.
absl::Status CheckChain(const std::string& tender_id, const std::vector<v1::Event>& events) {
  if (events.empty()) return absl::InvalidArgumentError("the bundle has no events");
  uint64_t expected_prev = 0;
  for (const v1::Event& e : events) {
    if (e.tender_id() != tender_id)
      return AtEvent(e.seq(), absl::DataLossError(absl::StrCat("belongs to tender ", e.tender_id(),
                                                               ", not ", tender_id)));
    if (e.tender_prev() != expected_prev)
      return AtEvent(e.seq(), absl::DataLossError(absl::StrCat(
                                  "its tender's previous event is ", PrevName(e.tender_prev()),
                                  " but the bundle's is ", PrevName(expected_prev),
                                  ": an event of the tender is missing")));
    expected_prev = e.seq() + 1;
  }
  return absl::OkStatus();
}

// A bundle without a tender holds the whole log [0, size).
absl::Status CheckWhole(const std::vector<v1::Event>& events, uint64_t size) {
  for (uint64_t i = 0; i < size; ++i)
    if (i >= events.size() || events[i].seq() != i)
      return absl::DataLossError(absl::StrCat("event ", i, " is missing from the bundle"));
  return absl::OkStatus();
}

// The whole log [0, size): recompute the root from every leaf (cheaper than
// one proof per entry, and it proves completeness too).
absl::Status CheckWholeLog(const v1::AuditBundle& b, const Checkpoint& head) {
  MemoryTree tree;
  for (const auto& entry : b.entries()) tree.Append(LeafHash(entry.event()));
  if (tree.Root() != head.root)
    return absl::DataLossError(
        absl::StrCat("the ", head.size, " events do not hash to the signed root"));
  return absl::OkStatus();
}

// Every entry is inside the signed tree, in order, and parses with its index.
absl::StatusOr<std::vector<v1::Event>> DecodeEntries(const v1::AuditBundle& b,
                                                     const Checkpoint& head) {
  std::vector<v1::Event> events;
  events.reserve(b.entries_size());
  for (const auto& entry : b.entries()) {
    if (entry.seq() >= head.size)
      return AtEvent(entry.seq(), absl::DataLossError(absl::StrCat("beyond the signed tree of ",
                                                                   head.size, " events")));
    if (!events.empty() && entry.seq() <= events.back().seq())
      return AtEvent(entry.seq(), absl::DataLossError("out of order in the bundle"));
    auto event = DecodeEvent(entry.event(), entry.seq());
    if (!event.ok())
      return AtEvent(entry.seq(),
                     absl::DataLossError("the stored bytes do not parse as this event"));
    events.push_back(*std::move(event));
  }
  return events;
}

// Each entry leads to the signed root: one proof each, or for the whole log
// [0, size) the root recomputed from every leaf.
absl::Status CheckInclusion(const v1::AuditBundle& b, const Checkpoint& head) {
  if (b.tender_id().empty()) return CheckWholeLog(b, head);
  for (const auto& entry : b.entries()) {
    absl::Status st = VerifyInclusion(LeafHash(entry.event()), entry.seq(), head.size,
                                      PathOf(entry.inclusion_path()), head.root);
    if (!st.ok()) return AtEvent(entry.seq(), absl::DataLossError(st.message()));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Hash> PathOf(const google::protobuf::RepeatedPtrField<std::string>& path) {
  std::vector<Hash> out;
  for (const std::string& h : path) {
    auto hash = HashFromBytes(h);
    out.push_back(hash.ok() ? *hash : Hash{});
  }
  return out;
}

absl::StatusOr<Checkpoint> VerifyHead(const v1::SignedTreeHead& head,
                                      absl::string_view trusted_ca_pem) {
  BO_ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(head.checkpoint()));
  // As the certificates were at the checkpoint's (signed) time: an audit years
  // later must not fail for certificates that have expired since.
  absl::Status issued = crypto::VerifyIssuedBy(head.log_certificate_pem(), trusted_ca_pem, c.time);
  if (issued.ok()) issued = crypto::CheckLogSigningUsage(head.log_certificate_pem());
  if (!issued.ok())
    return absl::DataLossError(absl::StrCat("tree head: log certificate: ", issued.message()));
  if (!crypto::VerifySignature(head.log_certificate_pem(), head.checkpoint(), head.signature())
           .ok())
    return absl::DataLossError(absl::StrCat("tree head of size ", head.size(),
                                            ": the signature does not verify with the log key"));
  if (c.size != head.size() || Raw(c.root) != head.root_hash() || c.time != FromProto(head.time()))
    return absl::DataLossError(
        absl::StrCat("tree head of size ", head.size(),
                     ": size, root or time differ from the signed checkpoint"));
  return c;
}

absl::Status CheckExtends(const v1::SignedTreeHead& older, const v1::SignedTreeHead& newer,
                          const std::vector<Hash>& proof) {
  BO_ASSIGN_OR_RETURN(Hash old_root, HashFromBytes(older.root_hash()));
  BO_ASSIGN_OR_RETURN(Hash new_root, HashFromBytes(newer.root_hash()));
  absl::Status st;
  if (older.size() > newer.size())
    st = absl::DataLossError("it is smaller than the earlier head");
  else if (older.size() > 0)
    st = VerifyConsistency(older.size(), newer.size(), old_root, new_root, proof);
  else if (old_root != EmptyRoot())
    st = absl::DataLossError("an empty tree has another root");
  if (st.ok()) return st;
  return absl::DataLossError(
      absl::StrCat("history was rewritten: the signed head of size ", newer.size(),
                   " is not consistent with the earlier signed head of size ", older.size(), " (",
                   st.message(), ")"));
}

std::string Utc(absl::Time t) { return TimeText(t, absl::UTCTimeZone()); }
std::string Utc(const google::protobuf::Timestamp& t) { return Utc(FromProto(t)); }

// Event time only moves forward (issue 10): every event's time is at least
// the one before it in the bundle (seq order), none is after the head's, and
// the head is not older than the previous one. A clock stepped back would
// otherwise issue in-deadline receipts for late bids unseen.
absl::Status CheckTimes(const std::vector<v1::Event>& events, const Checkpoint& head,
                        const v1::AuditBundle& b) {
  for (size_t i = 1; i < events.size(); ++i)
    if (FromProto(events[i].time()) < FromProto(events[i - 1].time()))
      return absl::DataLossError(
          absl::StrCat("event ", events[i].seq(), " is timed ", Utc(events[i].time()),
                       ", before event ", events[i - 1].seq(), " (", Utc(events[i - 1].time()),
                       "): event time must never go back (was the server's clock stepped back?)"));
  if (!events.empty() && FromProto(events.back().time()) > head.time)
    return absl::DataLossError(absl::StrCat("event ", events.back().seq(), " is timed ",
                                            Utc(events.back().time()),
                                            ", after the signed head's time ", Utc(head.time)));
  if (b.has_previous() && FromProto(b.previous().time()) > head.time)
    return absl::DataLossError(
        absl::StrCat("the signed head of ", Utc(head.time), " is older than the previous one (",
                     Utc(b.previous().time()), "): head time must never go back"));
  // An event the previous head does not cover was appended after it was
  // signed: it is not timed before it (backdating past a signed head).
  if (b.has_previous())
    for (const v1::Event& e : events)
      if (e.seq() >= b.previous().size() && FromProto(e.time()) < FromProto(b.previous().time()))
        return absl::DataLossError(absl::StrCat(
            "event ", e.seq(), " is timed ", Utc(e.time()), ", before the previous signed head (",
            Utc(b.previous().time()), ") of size ", b.previous().size(),
            ", which it is not in: it was appended after that head and backdated"));
  return absl::OkStatus();
}

absl::StatusOr<VerifiedBundle> VerifyBundle(const v1::AuditBundle& b,
                                            absl::string_view trusted_ca_pem) {
  if (b.format() != kBundleFormat)
    return absl::InvalidArgumentError(
        absl::StrCat("format: \"", b.format(), "\" is not ", kBundleFormat));
  VerifiedBundle out;
  BO_ASSIGN_OR_RETURN(out.head, VerifyHead(b.head(), trusted_ca_pem));
  BO_ASSIGN_OR_RETURN(out.events, DecodeEntries(b, out.head));
  BO_RETURN_IF_ERROR(b.tender_id().empty() ? CheckWhole(out.events, out.head.size)
                                           : CheckChain(b.tender_id(), out.events));
  BO_RETURN_IF_ERROR(CheckInclusion(b, out.head));
  BO_RETURN_IF_ERROR(CheckTimes(out.events, out.head, b));
  if (b.has_previous()) {
    BO_RETURN_IF_ERROR(VerifyHead(b.previous(), trusted_ca_pem).status());
    BO_RETURN_IF_ERROR(CheckExtends(b.previous(), b.head(), PathOf(b.consistency().path())));
  }
  return out;
}

}  // namespace bidopen::log
