// One Upload stream in progress: the durable upload row it continues, the
// running SHA-256 of the bytes stored so far and the header check. Holds the
// bidder's slot for the lot until destroyed.
#ifndef BIDOPEN_SERVER_APP_UPLOAD_H_
#define BIDOPEN_SERVER_APP_UPLOAD_H_

#include <functional>
#include <string>

#include "bidopen/v1/tender.pb.h"
#include "core/bid/header_scan.h"
#include "core/seal/digest.h"
#include "server/store/bid_store.h"

namespace bidopen::app {

class Upload {
 public:
  Upload(std::string cert_pem, store::UploadRow row, const v1::Lot& lot,
         std::function<void()> release)
      : cert_pem_(std::move(cert_pem)),
        row_(std::move(row)),
        header_(row_.tender_id, lot, row_.bidder, row_.size),
        release_(std::move(release)) {}
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;
  ~Upload() { release_(); }

  const std::string& cert_pem() const { return cert_pem_; }
  const store::UploadRow& row() const { return row_; }
  bool complete() const { return row_.received == row_.size; }
  bool header_checked() const { return header_.done(); }
  const std::string& header_hash() const { return header_.header_hash(); }
  // The header hash is in the upload row now.
  void HeaderSaved() { row_.header_sha256 = header_.header_hash(); }

  // The next bytes of the file, in order (stored by this stream or, on
  // resume, read back from an earlier one): hash them and scan the header.
  absl::Status Absorb(absl::string_view bytes);
  // The next n bytes are durable: move the offset past them.
  void Advance(uint64_t n) { row_.received += n; }
  // SHA-256 of all the bytes. REQUIRES: complete(); once.
  std::string Digest() { return sha_.Finish(); }

 private:
  std::string cert_pem_;
  store::UploadRow row_;
  bid::HeaderScan header_;
  seal::Sha256Stream sha_;
  std::function<void()> release_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_UPLOAD_H_
