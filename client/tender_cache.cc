#include "client/tender_cache.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "client/key_list.h"
#include "client/profile.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {
using nlohmann::json;

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// The fingerprints whose keys a bid for `tender` may be sealed to.
std::set<std::string> Wanted(const v1::Tender& tender, const std::string& self) {
  std::set<std::string> out;
  if (!self.empty()) out.insert(self);
  for (const auto& lot : tender.lots())
    for (const auto& c : lot.spec().custodians()) out.insert(c);
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> RegisteredKeys(
    const Session& s, const std::set<std::string>& wanted) {
  // All roles: the bidder's own and the custodians'.
  BO_ASSIGN_OR_RETURN(std::vector<v1::RegisteredKey> all, ListAllKeys(s, v1::ROLE_UNSPECIFIED));
  std::map<std::string, std::string> keys;
  for (const auto& k : all)
    if (wanted.count(k.party().fingerprint()))
      keys[k.party().fingerprint()] = k.x25519_public_key();
  return keys;
}

absl::Status Damaged(const std::string& path, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("tender cache ", path, " is damaged (", why,
                                          "); delete it and fetch the tender again"));
}

absl::StatusOr<CachedTender> ParseCache(const std::string& path, const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("tender") || !doc.contains("keys") ||
      !doc["keys"].is_object() || !doc.contains("fetched_at") || !doc["fetched_at"].is_string())
    return Damaged(path, "not a tender cache");
  CachedTender c;
  c.from_cache = true;
  auto st = google::protobuf::util::JsonStringToMessage(doc["tender"].dump(), &c.tender);
  if (!st.ok()) return Damaged(path, st.ToString());
  std::string when = doc["fetched_at"].get<std::string>(), err;
  if (!absl::ParseTime(absl::RFC3339_full, when, &c.fetched_at, &err))
    return Damaged(path, "fetched_at: " + err);
  for (const auto& [fingerprint, value] : doc["keys"].items()) {
    std::string raw;
    if (!value.is_string() || !absl::Base64Unescape(value.get<std::string>(), &raw))
      return Damaged(path, "keys." + fingerprint + ": not base64");
    c.keys[fingerprint] = raw;
  }
  return c;
}

absl::Status NeverFetched(const std::string& id) {
  return absl::FailedPreconditionError(
      absl::StrCat("tender ", id,
                   " was never fetched; run once online (bidctl bid seal ... without --offline) or "
                   "`bidctl tender show ",
                   id, "`"));
}

}  // namespace

absl::StatusOr<std::string> TenderCachePath(const std::string& id) {
  bool ok = !id.empty();
  for (char c : id) ok = ok && IsIdChar(c);
  if (!ok) return absl::InvalidArgumentError(absl::StrCat("\"", id, "\" is not a tender id"));
  return absl::StrCat(ConfigDir(), "/tenders/", id, ".json");
}

absl::StatusOr<CachedTender> CacheTender(const Session& s, const v1::Tender& tender,
                                         const std::string& self) {
  CachedTender c;
  c.tender = tender;
  c.fetched_at = absl::Now();
  BO_ASSIGN_OR_RETURN(c.keys, RegisteredKeys(s, Wanted(tender, self)));
  BO_RETURN_IF_ERROR(SaveTenderCache(c));
  return c;
}

absl::StatusOr<CachedTender> FetchTender(const Session& s, const std::string& id,
                                         const std::string& self) {
  BO_RETURN_IF_ERROR(TenderCachePath(id).status());
  v1::GetTenderRequest req;
  req.set_tender_id(id);
  v1::Tender tender;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_RETURN_IF_ERROR(s.Check(stub->GetTender(CallContext().get(), req, &tender)));
  return CacheTender(s, tender, self);
}

absl::Status SaveTenderCache(const CachedTender& cached) {
  BO_ASSIGN_OR_RETURN(std::string path, TenderCachePath(cached.tender.id()));
  std::string tender_json;
  auto st = google::protobuf::util::MessageToJsonString(cached.tender, &tender_json);
  if (!st.ok()) return absl::InternalError(st.ToString());
  json doc = json::object();
  doc["tender"] = json::parse(tender_json);
  doc["keys"] = json::object();
  for (const auto& [fingerprint, key] : cached.keys)
    doc["keys"][fingerprint] = absl::Base64Escape(key);
  doc["fetched_at"] = absl::FormatTime(absl::RFC3339_full, cached.fetched_at, absl::UTCTimeZone());
  return WriteFileAtomically(path, doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

absl::StatusOr<CachedTender> LoadTenderCache(const std::string& id) {
  BO_ASSIGN_OR_RETURN(std::string path, TenderCachePath(id));
  auto text = ReadFileBytes(path, "tender cache");
  if (absl::IsNotFound(text.status())) return NeverFetched(id);
  if (!text.ok()) return text.status();
  return ParseCache(path, *text);
}

absl::StatusOr<CachedTender> TenderForSealing(const Globals& g, const std::string& id,
                                              const std::string& self, bool offline) {
  if (offline) return LoadTenderCache(id);
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  auto fetched = FetchTender(s, id, self);
  if (!absl::IsUnavailable(fetched.status())) return fetched;
  auto cached = LoadTenderCache(id);
  if (cached.ok()) {
    std::cerr << "bidctl: note: " << fetched.status().message() << "\n"
              << "bidctl: note: sealing offline with tender " << id << " as fetched at "
              << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", cached->fetched_at, absl::UTCTimeZone())
              << "\n";
    return cached;
  }
  if (!absl::IsFailedPrecondition(cached.status())) return cached.status();
  return absl::FailedPreconditionError(
      absl::StrCat(cached.status().message(),
                   " (the server is unreachable now: ", fetched.status().message(), ")"));
}

}  // namespace bidopen::client
