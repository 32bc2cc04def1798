#include "server/store/queries.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/ids.h"
#include "core/opening/tender_view.h"
#include "core/page_budget.h"
#include "core/quote.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kList{"q_tenders",
                          "SELECT state, created_seq FROM tenders WHERE created_seq < $1"
                          " AND ($2 OR NOT cancelled) ORDER BY created_seq DESC LIMIT $3"};
constexpr Statement kKeys{
    "q_keys",
    "SELECT state FROM party_keys WHERE $1 = 0 OR role = $1 ORDER BY organization, fingerprint"};
constexpr Statement kKeysPage{
    "q_keys_page",
    "SELECT state, fingerprint FROM party_keys WHERE ($1 = 0 OR role = $1) AND ($2 = '' OR "
    "(organization, fingerprint) > ((SELECT organization FROM party_keys WHERE fingerprint = $2),"
    " $2)) ORDER BY organization, fingerprint LIMIT $3"};
constexpr int kKeysPerPage = 1000;
constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

template <typename T>
absl::StatusOr<T> Parse(absl::string_view bytes, absl::string_view table) {
  T msg;
  if (!msg.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::DataLossError(absl::StrCat("query table ", table, ": row does not parse"));
  return msg;
}

absl::StatusOr<int64_t> PageStart(const std::string& token) {
  if (token.empty()) return INT64_MAX;
  int64_t below;
  const bool digits = std::all_of(token.begin(), token.end(), absl::ascii_isdigit);
  if (!digits || !absl::SimpleAtoi(token, &below))
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: ", Quote(token), " is not a token this server issued"));
  return below;
}

}  // namespace

absl::StatusOr<v1::ListTendersResponse> ListTenders(Conn& conn, const v1::ListTendersRequest& req,
                                                    size_t response_bytes) {
  int size = req.page_size() == 0 ? kDefaultPage : req.page_size();
  if (size < 0 || size > kMaxPage)
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", req.page_size(), " is outside 1..", kMaxPage));
  BO_ASSIGN_OR_RETURN(int64_t below, PageStart(req.page_token()));
  BO_ASSIGN_OR_RETURN(
      Result r, conn.Run(kList, Params().Int(below).Bool(req.include_cancelled()).Int(size + 1)));
  v1::ListTendersResponse out;
  PageBudget budget(response_bytes);
  int i = 0;
  for (; i < r.rows() && i < size; ++i) {
    TenderState state;
    BO_ASSIGN_OR_RETURN(state.tender, Parse<fold::Tender>(r.Bytes(i, 0), "tenders"));
    v1::Tender view = TenderView(state);
    if (!budget.Take(view.ByteSizeLong())) break;
    *out.add_tenders() = std::move(view);
  }
  if (i < r.rows()) out.set_next_page_token(absl::StrCat(r.Int64(i - 1, 1)));
  return out;
}

absl::StatusOr<std::vector<v1::RegisteredKey>> ListKeys(Conn& conn, v1::Role role) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kKeys, Params().Int(role)));
  std::vector<v1::RegisteredKey> keys;
  for (int i = 0; i < r.rows(); ++i) {
    BO_ASSIGN_OR_RETURN(keys.emplace_back(), Parse<v1::RegisteredKey>(r.Bytes(i, 0), "party_keys"));
  }
  return keys;
}

absl::StatusOr<v1::ListKeysResponse> ListKeysPage(Conn& conn, const v1::ListKeysRequest& req,
                                                  size_t response_bytes) {
  if (!req.page_token().empty() && !IsFingerprint(req.page_token()))
    return absl::InvalidArgumentError(absl::StrCat("page_token: ", Quote(req.page_token()),
                                                   " is not a token this server issued"));
  BO_ASSIGN_OR_RETURN(
      Result r,
      conn.Run(kKeysPage, Params().Int(req.role()).Text(req.page_token()).Int(kKeysPerPage + 1)));
  v1::ListKeysResponse out;
  PageBudget budget(response_bytes);
  int i = 0;
  for (; i < r.rows() && i < kKeysPerPage; ++i) {
    BO_ASSIGN_OR_RETURN(v1::RegisteredKey key,
                        Parse<v1::RegisteredKey>(r.Bytes(i, 0), "party_keys"));
    if (!budget.Take(key.ByteSizeLong())) break;
    *out.add_keys() = std::move(key);
  }
  if (i < r.rows()) out.set_next_page_token(std::string(r.Bytes(i - 1, 1)));
  return out;
}

absl::StatusOr<KeyRegistry> Custodians(Conn& conn) {
  BO_ASSIGN_OR_RETURN(auto keys, ListKeys(conn, v1::ROLE_CUSTODIAN));
  KeyRegistry out;
  for (auto& k : keys) {
    const std::string fingerprint = k.party().fingerprint();
    out[fingerprint] = std::move(k);
  }
  return out;
}

}  // namespace bidopen::store
