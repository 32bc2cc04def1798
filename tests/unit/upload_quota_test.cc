// The per-bidder quota on unfinished uploads (core/bid/upload_quota.h).
#include "core/bid/upload_quota.h"

#include <gtest/gtest.h>

namespace bidopen::bid {
namespace {

const std::vector<OpenUpload> kOpen = {{"T-A", 1, 600, 100}, {"T-B", 2, 300, 0}};

TEST(UploadQuotaTest, UploadsOfOtherLotsAndTheNewFileMustFit) {
  EXPECT_TRUE(CheckPartialQuota(kOpen, "T-C", 1, 100, 1000).ok());
  EXPECT_TRUE(CheckPartialQuota({}, "T-C", 1, 1000, 1000).ok());
  absl::Status st = CheckPartialQuota(kOpen, "T-C", 1, 101, 1000);
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(st.message(),
            "start.size: 101 bytes, and your 2 unfinished upload(s) hold 900 bytes (declared "
            "sizes): lot 1 of tender T-A (100 of 600 bytes stored), lot 2 of tender T-B (0 of 300 "
            "bytes stored); together more than this server's quota of 1000 bytes of unfinished "
            "uploads per bidder (--partial-upload-quota). Free it by finishing one (`bidctl bid "
            "submit FILE --resume`, then it counts no more); an unfinished upload is discarded at "
            "its lot's submission deadline");
}

TEST(UploadQuotaTest, TheSameLotsUploadDoesNotCountItIsContinuedOrReplaced) {
  EXPECT_TRUE(CheckPartialQuota(kOpen, "T-A", 1, 700, 1000).ok());
  EXPECT_FALSE(CheckPartialQuota(kOpen, "T-A", 2, 700, 1000).ok());
}

TEST(UploadQuotaTest, NamesThreeUploadsAndCountsTheRest) {
  std::vector<OpenUpload> many(5, OpenUpload{"T-A", 0, 10, 0});
  for (int i = 0; i < 5; ++i) many[i].lot = i + 1;
  absl::Status st = CheckPartialQuota(many, "T-B", 1, 1, 50);
  EXPECT_NE(st.message().find("lot 3 of tender T-A (0 of 10 bytes stored), 2 more;"),
            absl::string_view::npos)
      << st.message();
}

}  // namespace
}  // namespace bidopen::bid
