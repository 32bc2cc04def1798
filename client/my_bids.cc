#include "client/my_bids.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/bid.grpc.pb.h"
#include "core/files.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

bool IsSubmission(const MyReceipt& r) { return r.v.event.has_bid_submitted(); }

}  // namespace

absl::StatusOr<std::vector<MyReceipt>> FetchMyReceipts(const Session& s,
                                                       const std::string& tender_id) {
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  auto stub = v1::BidService::NewStub(s.channel);
  v1::ListMyBidsRequest req;
  req.set_tender_id(tender_id);
  v1::ListMyBidsResponse resp;
  BO_RETURN_IF_ERROR(s.Check(
      RetryWhileBusy([&](grpc::ClientContext* ctx) { return stub->ListMyBids(ctx, req, &resp); })));
  std::map<uint64_t, v1::BidEntry> states;
  for (const v1::BidEntry& b : resp.bids()) states[b.seq()] = b;
  std::vector<MyReceipt> out;
  for (const v1::Receipt& r : resp.receipts()) {
    auto v = bid::VerifyReceipt(r, ca);
    if (!v.ok())
      return absl::DataLossError(
          absl::StrCat("a receipt the server listed does not verify: ", v.status().message()));
    MyReceipt mine{r, *std::move(v), std::nullopt};
    if (IsSubmission(mine)) {
      auto it = states.find(mine.v.body.seq());
      if (it == states.end())
        return absl::DataLossError(
            absl::StrCat("the server listed no state for your bid ", mine.v.body.seq()));
      mine.state = it->second;
    }
    out.push_back(std::move(mine));
  }
  std::stable_sort(out.begin(), out.end(), [](const MyReceipt& a, const MyReceipt& b) {
    return a.v.body.seq() < b.v.body.seq();
  });
  return out;
}

const MyReceipt* LiveSubmission(const std::vector<MyReceipt>& all, int lot) {
  for (const MyReceipt& r : all)
    if (r.v.statement.lot() == lot && r.state && r.state->status() == v1::BID_STATUS_LIVE)
      return &r;
  return nullptr;
}

const MyReceipt* SubmissionOf(const std::vector<MyReceipt>& all, int lot,
                              const std::string& ciphertext_sha256) {
  const MyReceipt* found = nullptr;
  for (const MyReceipt& r : all)
    if (IsSubmission(r) && r.v.statement.lot() == lot &&
        r.v.statement.ciphertext_sha256() == ciphertext_sha256)
      found = &r;
  return found;
}

std::string StateText(const MyReceipt& r) {
  if (!IsSubmission(r)) return absl::StrCat("withdraws ", r.v.event.bid_withdrawn().withdraws());
  switch (r.state->status()) {
    case v1::BID_STATUS_LIVE:
      return "live";
    case v1::BID_STATUS_REPLACED:
      return absl::StrCat("replaced by ", r.state->ended_seq());
    case v1::BID_STATUS_WITHDRAWN:
      return absl::StrCat("withdrawn at ", r.state->ended_seq());
    default:
      return "unknown";
  }
}

}  // namespace bidopen::client
