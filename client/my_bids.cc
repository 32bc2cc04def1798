#include "client/my_bids.h"

#include <algorithm>

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
  BO_RETURN_IF_ERROR(s.Check(stub->ListMyBids(CallContext().get(), req, &resp)));
  std::vector<MyReceipt> out;
  for (const v1::Receipt& r : resp.receipts()) {
    auto v = bid::VerifyReceipt(r, ca);
    if (!v.ok())
      return absl::DataLossError(
          absl::StrCat("a receipt the server listed does not verify: ", v.status().message()));
    out.push_back({r, *std::move(v)});
  }
  std::stable_sort(out.begin(), out.end(), [](const MyReceipt& a, const MyReceipt& b) {
    return a.v.body.seq() < b.v.body.seq();
  });
  return out;
}

const MyReceipt* LiveSubmission(const std::vector<MyReceipt>& all, int lot) {
  const MyReceipt* last = nullptr;
  for (const MyReceipt& r : all)
    if (r.v.statement.lot() == lot) last = &r;
  return last != nullptr && IsSubmission(*last) ? last : nullptr;
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

std::string StateText(const std::vector<MyReceipt>& all, const MyReceipt& r) {
  if (!IsSubmission(r)) return absl::StrCat("withdraws ", r.v.event.bid_withdrawn().withdraws());
  const uint64_t seq = r.v.body.seq();
  for (const MyReceipt& later : all) {
    const v1::Event& e = later.v.event;
    if (e.has_bid_withdrawn() && e.bid_withdrawn().withdraws() == seq)
      return absl::StrCat("withdrawn at ", later.v.body.seq());
    if (e.has_bid_submitted() && e.bid_submitted().has_replaces() &&
        e.bid_submitted().replaces() == seq)
      return absl::StrCat("replaced by ", later.v.body.seq());
  }
  return "live";
}

}  // namespace bidopen::client
