#include "client/upload.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/v1/bid.grpc.pb.h"
#include "client/stall_guard.h"
#include "core/bid/upload_quota.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

using BidStub = std::unique_ptr<v1::BidService::Stub>;
using Writer = grpc::ClientWriter<v1::UploadRequest>;

absl::Status Plain(const grpc::Status& st) {
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()), st.error_message());
}

// Writes start, the chunks from `offset` and commit. false if the stream
// broke (Finish says why); an error if the file could not be read.
absl::StatusOr<bool> WriteAll(Writer& w, const UploadPlan& plan, uint64_t offset,
                              Progress& progress, StallGuard& guard) {
  v1::UploadRequest msg;
  *msg.mutable_start() = plan.start;
  if (!w.Write(msg)) return false;
  std::ifstream in(plan.path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", plan.path));
  const uint64_t size = plan.start.size();
  while (offset < size) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(plan.chunk, size - offset));
    v1::UploadChunk* chunk = msg.mutable_chunk();
    chunk->set_offset(offset);
    std::string* data = chunk->mutable_data();
    data->resize(n);
    if (!in.read(data->data(), static_cast<std::streamsize>(n)))
      return absl::DataLossError(absl::StrCat(plan.path, " ends before byte ", offset + n,
                                              ": it changed after it was hashed; submit again"));
    if (!w.Write(msg)) return false;
    offset += n;
    guard.Touch();
    progress.Sent(offset);
  }
  *msg.mutable_commit() = plan.commit;
  return w.Write(msg);
}

// One Upload stream from `offset` to the receipt.
absl::StatusOr<v1::Receipt> SendFrom(const BidStub& stub, const UploadPlan& plan, uint64_t offset,
                                     Progress& progress) {
  grpc::ClientContext ctx;
  v1::Receipt receipt;
  StallGuard guard(&ctx, plan.stall);
  std::unique_ptr<Writer> writer = stub->Upload(&ctx, &receipt);
  absl::StatusOr<bool> written = WriteAll(*writer, plan, offset, progress, guard);
  if (!written.ok()) ctx.TryCancel();
  if (written.ok() && *written) writer->WritesDone();
  const grpc::Status st = writer->Finish();
  if (!written.ok()) return written.status();
  if (guard.fired())
    return absl::DeadlineExceededError(
        absl::StrCat("the server accepted no data for ", DurationText(plan.stall)));
  if (!st.ok()) return Plain(st);
  if (!*written) return absl::UnavailableError("the upload stream broke");
  return receipt;
}

class Uploader {
 public:
  Uploader(const Session& s, const UploadPlan& plan, Progress& progress)
      : s_(s),
        plan_(plan),
        progress_(progress),
        stub_(v1::BidService::NewStub(s.channel)),
        backoff_(plan.first_backoff) {}

  absl::StatusOr<v1::Receipt> Run() {
    BO_ASSIGN_OR_RETURN(offset_, FirstOffset());
    for (;;) {
      if (offset_ > 0)
        progress_.Note(absl::StrCat("resuming at byte ", offset_, " of ", plan_.start.size(),
                                    " (stored durably by the server)"));
      progress_.Begin(offset_);
      absl::StatusOr<v1::Receipt> r = SendFrom(stub_, plan_, offset_, progress_);
      if (r.ok() || !Retryable(r.status())) return r;
      BO_RETURN_IF_ERROR(Recover(r.status()));
    }
  }

 private:
  absl::StatusOr<uint64_t> FetchOffset(bool wait) {
    auto ctx = CallContext(wait ? 10 : 30);
    ctx->set_wait_for_ready(wait);
    v1::UploadOffset out;
    const grpc::Status st = stub_->GetUploadOffset(ctx.get(), plan_.start, &out);
    if (!st.ok()) return wait ? Plain(st) : s_.Check(st);
    return out.offset();
  }

  absl::StatusOr<uint64_t> FirstOffset() {
    absl::StatusOr<uint64_t> first = FetchOffset(false);
    if (absl::IsResourceExhausted(first.status())) {  // reached, but busy: retried
      BO_RETURN_IF_ERROR(Recover(first.status()));
      first = offset_;
    }
    BO_ASSIGN_OR_RETURN(uint64_t offset, std::move(first));
    if (plan_.resume && offset == 0)
      return absl::NotFoundError(absl::StrCat("no upload of this file in progress for lot ",
                                              plan_.start.lot(), " of tender ",
                                              plan_.start.tender_id(), "; run `bidctl bid submit ",
                                              plan_.path, "` without --resume to start one"));
    return offset;
  }

  // Backs off and asks for the durable offset until the server answers.
  absl::Status Recover(absl::Status why) {
    const uint64_t before = offset_;
    for (;;) {
      BO_RETURN_IF_ERROR(Wait(why));
      absl::StatusOr<uint64_t> next = FetchOffset(true);
      if (next.ok()) {
        if (*next > before) failures_ = 0, backoff_ = plan_.first_backoff;  // it moved on
        offset_ = *next;
        return absl::OkStatus();
      }
      if (!Retryable(next.status())) return next.status();
      why = absl::Status(next.status().code(),
                         absl::StrCat("asking for the durable offset: ", next.status().message()));
    }
  }

  // Sleeps before the next attempt; the error itself once out of retries.
  absl::Status Wait(const absl::Status& why) {
    if (++failures_ > plan_.retries)
      return absl::Status(why.code(),
                          absl::StrCat(why.message(), " (gave up after ", plan_.retries,
                                       " retries; the server keeps what it stored: run `bidctl "
                                       "bid submit ",
                                       plan_.path, " --resume` to continue)"));
    progress_.Note(absl::StrCat(absl::StatusCodeToString(why.code()), ": ", why.message(),
                                "; retry ", failures_, " of ", plan_.retries, " in ",
                                DurationText(backoff_)));
    absl::SleepFor(backoff_);
    backoff_ = std::min(backoff_ * 2, plan_.max_backoff);
    return absl::OkStatus();
  }

  const Session& s_;
  const UploadPlan& plan_;
  Progress& progress_;
  BidStub stub_;
  absl::Duration backoff_;
  uint64_t offset_ = 0;
  int failures_ = 0;  // in a row, without progress
};

}  // namespace

bool Retryable(const absl::Status& st) {
  switch (st.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kInternal:
    // A chunk not at the durable offset: an earlier stream stored one more
    // chunk after the offset was read. Asking again resolves it.
    case absl::StatusCode::kOutOfRange:
      return true;
    // The server is short of threads or the caller has too many streams,
    // unless it is the bidder's quota of unfinished uploads: waiting does not free it.
    case absl::StatusCode::kResourceExhausted:
      return !absl::StrContains(st.message(), bid::kPartialQuotaFlag);
    default:
      return false;
  }
}

absl::StatusOr<v1::Receipt> UploadSealedFile(const Session& s, const UploadPlan& plan,
                                             Progress& progress) {
  return Uploader(s, plan, progress).Run();
}

}  // namespace bidopen::client
