#include "client/verdict_replay.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/opening_text.h"
#include "core/crypto/x25519.h"
#include "core/opening/opening_rules.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/release_check.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

std::vector<v1::ReleasedMaterial> BySeq(const v1::EvidenceHead& head) {
  std::vector<v1::ReleasedMaterial> out(head.releases().begin(), head.releases().end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.seq() < b.seq(); });
  return out;
}

// Whether a release checks out, recomputed here rather than taken from the
// server: the bidder's matches its commitment, a custodian's private key is the
// private half of its published per-lot key.
bool Accepted(const v1::SealedHeader& h, const v1::LotSpec& spec, const v1::ReleasedMaterial& m) {
  if (m.kind() == v1::RELEASE_KIND_BIDDER) return seal::CheckBidderSecret(h, m.material()).ok();
  if (m.share_x() == 0 || static_cast<int>(m.share_x()) > spec.custodian_keys_size()) return false;
  auto pub = crypto::X25519PublicFromPrivate(m.material());
  return pub.ok() && *pub == spec.custodian_keys(static_cast<int>(m.share_x()) - 1);
}

// The releases the log counts for the bid: the fold's accepted bidder
// release, each custodian's accepted release or last attempt; seq ->
// material_sha256.
std::map<uint64_t, std::string> CountedReleases(const v1::EvidenceHead& head, const v1::Lot& lot) {
  std::map<uint64_t, std::string> logged;
  for (const v1::BidEntry& b : lot.bids())
    if (b.seq() == head.bid() && b.opening().bidder_released())
      logged[b.opening().bidder_release_seq()] = b.opening().bidder_release_sha256();
  for (const v1::CustodianRelease& c : lot.opening().custodians())
    logged[c.seq()] = c.material_sha256();
  return logged;
}

// Every release the log shows counting for the bid must be in the evidence
// with bytes whose ReleasedHash is the event's material_sha256: the server
// cannot leave one out, or serve other bytes, without the difference showing.
void TieToLog(const v1::EvidenceHead& head, const std::map<uint64_t, std::string>& counted,
              ReplayedVerdict* out) {
  for (const auto& [seq, sha256] : counted) {
    const v1::ReleasedMaterial* found = nullptr;
    for (const v1::ReleasedMaterial& m : head.releases())
      if (m.seq() == seq) found = &m;
    if (found == nullptr)
      out->untied.push_back(absl::StrCat("the release at log #", seq, " is not in the evidence"));
    else if (ReleasedHash(found->material()) != sha256)
      out->untied.push_back(absl::StrCat("the bytes served for the release at log #", seq,
                                         " are not those its KeyReleased event hashes"));
  }
}

// The releases the verdict is judged with, selected as the server does
// (SelectReleases: the bidder's accepted release, per custodian its accepted
// release or else its last attempt), with `accepted` recomputed here.
// A release the evidence offers that is no KeyReleased of the lot (review 7
// U4: a colluding bidder's secret the log never saw) is not used, and shows
// as untied.
seal::Releases ReleasesOf(const v1::SealedHeader& h, const v1::LotSpec& spec,
                          const v1::EvidenceHead& head, const LoggedReleases& key_releases,
                          ReplayedVerdict* out) {
  std::vector<ReleasedBytes> all;
  int bidder = 0;
  for (const v1::ReleasedMaterial& m : BySeq(head)) {
    ReleasedBytes r{m.kind(),
                    m.kind() == v1::RELEASE_KIND_BIDDER ? head.bid() : 0,
                    m.share_x(),
                    m.fingerprint(),
                    Accepted(h, spec, m),
                    m.material()};
    if (r.accepted != m.accepted())
      out->notes.push_back(absl::StrCat(
          "the release at log #", m.seq(), " checks ", r.accepted ? "out" : "not out",
          " here, but the server marked it ", m.accepted() ? "accepted" : "not accepted"));
    auto in_log = key_releases.find(m.seq());
    if (in_log == key_releases.end() || in_log->second.kind != m.kind() ||
        in_log->second.material_sha256 != ReleasedHash(m.material())) {
      out->untied.push_back(absl::StrCat("the evidence's release at log #", m.seq(),
                                         " is no release the log holds for this lot: not used"));
      continue;
    }
    if (m.kind() == v1::RELEASE_KIND_BIDDER) {
      ++bidder;
      if (r.accepted) out->bidder_release = absl::StrCat("the bidder's release at log #", m.seq());
    }
    all.push_back(std::move(r));
  }
  seal::Releases releases = SelectReleases(head.bid(), all);
  if (!releases.bidder_secret)
    out->bidder_release = bidder == 0 ? "the bidder released nothing"
                                      : absl::StrCat("none of the bidder's ", bidder,
                                                     " release(s) matches its commitment");
  return releases;
}

// Reads the whole file with the recovered secret, against the lot's form.
DecryptOutcome Decrypt(seal::SealReader& reader, const crypto::Secret& s, const v1::LotSpec& spec) {
  DecryptOutcome d;
  d.tried = true;
  auto opened = seal::ReadBid(reader, s.view(), nullptr, &spec);
  if (!opened.ok()) {
    d.reason = std::string(opened.status().message());
    return d;
  }
  d.opened = true;
  d.values.assign(opened->values().begin(), opened->values().end());
  auto rv = seal::DeriveKey(s.view(), seal::kValuesKeyLabel, seal::ContextHash(reader.header()));
  if (rv.ok()) d.values_key = rv->bytes();
  return d;
}

std::string ValuesText(const google::protobuf::RepeatedPtrField<v1::FormValue>& values) {
  std::vector<std::string> parts;
  for (const auto& v : values) parts.push_back(absl::StrCat(v.name(), "=", v.value()));
  return parts.empty() ? "(none)" : absl::StrJoin(parts, ", ");
}

}  // namespace

LoggedReleases KeyReleasesOf(const std::vector<v1::Event>& events, int lot) {
  LoggedReleases out;
  for (const v1::Event& e : events)
    if (e.has_key_released() && e.key_released().lot() == lot)
      out[e.seq()] = {e.key_released().kind(), e.key_released().material_sha256()};
  return out;
}

absl::StatusOr<ReplayedVerdict> ReplayVerdict(const SavedEvidence& e, const v1::Lot& lot,
                                              const v1::BidOpening* logged,
                                              const LoggedReleases& key_releases) {
  std::ifstream in(e.file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", e.file));
  auto reader = seal::SealReader::Open(in);
  if (!reader.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(e.file, " (as the server stores bid #", e.head.bid(),
                     ") is not a sealed bid: ", reader.status().message()));
  ReplayedVerdict out;
  out.file_matches = e.file_sha256 == e.head.ciphertext_sha256();
  TieToLog(e.head, CountedReleases(e.head, lot), &out);
  const seal::Releases releases =
      ReleasesOf(reader->header(), lot.spec(), e.head, key_releases, &out);
  const std::vector<std::string> lot_keys(lot.spec().custodian_keys().begin(),
                                          lot.spec().custodian_keys().end());
  VerdictInput input;
  input.lot = lot.number();
  input.bid = e.head.bid();
  if (logged != nullptr && logged->has_stored_matched_at_start()) {
    input.matched_at_start = logged->stored_matched_at_start();
    input.stored_sha256_at_start = logged->stored_sha256_at_start();
  }
  BO_ASSIGN_OR_RETURN(input.judgement, seal::JudgeReleases(reader->header(), lot_keys, releases));
  if (input.judgement.verdict == seal::Verdict::kOk) {
    input.decrypt = Decrypt(*reader, input.judgement.secret, lot.spec());
    if (!input.decrypt.opened) input.stored_file_matches = out.file_matches;
  }
  out.verdict = DecideVerdict(input);
  return out;
}

std::vector<std::string> VerdictDifferences(const v1::BidVerdict& v, const v1::BidEntry& logged) {
  std::vector<std::string> diffs;
  const v1::BidOpening& o = logged.opening();
  if (v.status() != logged.status())
    diffs.push_back(absl::StrCat("status: re-run ", OpeningBidStatusName(v.status()), ", log ",
                                 OpeningBidStatusName(logged.status())));
  if (v.fault() != o.fault())
    diffs.push_back(
        absl::StrCat("fault: re-run ", FaultName(v.fault()), ", log ", FaultName(o.fault())));
  if (v.consequence() != o.consequence())
    diffs.push_back(absl::StrCat("consequence: re-run ", ConsequenceName(v.consequence()), ", log ",
                                 ConsequenceName(o.consequence())));
  if (ValuesText(v.values()) != ValuesText(o.values()))
    diffs.push_back(
        absl::StrCat("values: re-run ", ValuesText(v.values()), "; log ", ValuesText(o.values())));
  return diffs;
}

}  // namespace bidopen::client
