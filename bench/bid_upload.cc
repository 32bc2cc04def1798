#include "bench/bid_upload.h"

#include <algorithm>
#include <fstream>
#include <thread>

#include "bidopen/v1/bid.grpc.pb.h"
#include "core/bid/statement.h"
#include "core/crypto/kdf.h"
#include "core/crypto/signature.h"
#include "core/status_macros.h"

namespace bidopen::bench {
namespace {

v1::UploadRequest StartMessage(const std::string& tender_id, const SealedFile& file) {
  v1::UploadRequest msg;
  v1::UploadStart* start = msg.mutable_start();
  start->set_tender_id(tender_id);
  start->set_lot(1);
  start->set_size(file.result.ciphertext_size);
  start->set_ciphertext_sha256(file.result.ciphertext_sha256);
  return msg;
}

// Writes the file's chunks; false once the stream broke (Finish says why).
bool WriteChunks(grpc::ClientWriter<v1::UploadRequest>& writer, std::ifstream& in, uint64_t size,
                 size_t chunk) {
  v1::UploadRequest msg;
  for (uint64_t offset = 0; offset < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, size - offset));
    v1::UploadChunk* c = msg.mutable_chunk();
    c->set_offset(offset);
    std::string* data = c->mutable_data();
    data->resize(n);
    if (!in.read(data->data(), static_cast<std::streamsize>(n))) return false;
    if (!writer.Write(msg)) return false;
    offset += n;
  }
  return true;
}

// Polls the durable offset until it reaches the file's size; false on an error.
bool WaitDurable(const Identity& bidder, const v1::UploadStart& start) {
  auto stub = v1::BidService::NewStub(bidder.channel);
  for (;;) {
    grpc::ClientContext ctx;
    v1::UploadOffset offset;
    if (!stub->GetUploadOffset(&ctx, start, &offset).ok()) return false;
    if (offset.offset() == start.size()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

absl::StatusOr<SignedStatement> SignSubmission(const Identity& bidder, const v1::Tender& tender,
                                               const SealedFile& file) {
  v1::BidStatement s;
  s.set_purpose(std::string(bid::kSubmitPurpose));
  s.set_tender_id(tender.id());
  s.set_lot(1);
  s.set_bidder(bidder.party.fingerprint());
  s.set_header_sha256(file.result.header_hash);
  s.set_ciphertext_sha256(file.result.ciphertext_sha256);
  s.set_size(file.result.ciphertext_size);
  s.set_client_nonce(crypto::RandomBytes(bid::kClientNonceSize));
  SignedStatement out;
  out.statement = bid::EncodeStatement(s);
  BO_ASSIGN_OR_RETURN(out.signature, crypto::Sign(bidder.key.get(), out.statement));
  return out;
}

double UploadResult::commit_to_receipt_ms() const {
  return std::chrono::duration<double, std::milli>(done - commit_sent).count();
}

double UploadResult::durable_wait_ms() const {
  return std::chrono::duration<double, std::milli>(durable - written).count();
}

double UploadResult::seconds() const {
  return std::chrono::duration<double>(done - opened).count();
}

UploadResult UploadBid(const Identity& bidder, const std::string& tender_id, const SealedFile& file,
                       const SignedStatement& signed_statement, size_t chunk, bool wait_durable) {
  UploadResult r;
  std::ifstream in(file.path, std::ios::binary);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  auto stub = v1::BidService::NewStub(bidder.channel);
  r.opened = r.commit_sent = SteadyClock::now();
  std::unique_ptr<grpc::ClientWriter<v1::UploadRequest>> writer = stub->Upload(&ctx, &r.receipt);
  const v1::UploadRequest start = StartMessage(tender_id, file);
  bool ok = writer->Write(start) && WriteChunks(*writer, in, file.result.ciphertext_size, chunk);
  r.written = SteadyClock::now();
  if (ok && wait_durable) ok = WaitDurable(bidder, start.start());
  r.durable = SteadyClock::now();
  if (ok) {
    v1::UploadRequest commit;
    commit.mutable_commit()->set_statement(signed_statement.statement);
    commit.mutable_commit()->set_signature(signed_statement.signature);
    r.commit_sent = SteadyClock::now();
    writer->Write(commit);
  }
  writer->WritesDone();
  r.status = writer->Finish();
  r.done = SteadyClock::now();
  if (r.status.ok() && !ok)
    r.status = grpc::Status(grpc::StatusCode::DATA_LOSS, "could not read " + file.path);
  return r;
}

}  // namespace bidopen::bench
