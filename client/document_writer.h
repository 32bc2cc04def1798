// Writes an opened bid's documents into a directory as their bytes stream in
// (bidctl bid fetch): DIR/<name>, never outside DIR, never over an existing
// file. Each document goes to DIR/<name>.part while it is hashed and is
// renamed to DIR/<name> only when its size and SHA-256 are the manifest's;
// otherwise DATA_LOSS naming it, and the partial file is removed.
#ifndef BIDOPEN_CLIENT_DOCUMENT_WRITER_H_
#define BIDOPEN_CLIENT_DOCUMENT_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/seal/digest.h"

namespace bidopen::client {

class DocumentWriter {
 public:
  // REQUIRES: `manifest` outlives the writer.
  DocumentWriter(std::string dir, const v1::BidManifest& manifest);
  ~DocumentWriter();  // removes a partial file left open
  DocumentWriter(const DocumentWriter&) = delete;
  DocumentWriter& operator=(const DocumentWriter&) = delete;

  // Creates DIR; INVALID_ARGUMENT for a name that could leave it,
  // ALREADY_EXISTS if a document's file is there already.
  absl::Status Prepare();
  // Bytes of document `index`; documents come in order (earlier ones finish).
  absl::Status Write(int index, absl::string_view data);
  // Finishes every document (a document with no bytes becomes an empty file).
  absl::Status Finish();

  const std::string& dir() const { return dir_; }
  std::string PathOf(int index) const;

 private:
  absl::Status Open(int index);
  absl::Status Close();
  void Abandon();

  std::string dir_;
  const v1::BidManifest& manifest_;
  int current_ = -1;  // the document being written
  int fd_ = -1;
  uint64_t written_ = 0;
  seal::Sha256Stream hash_;
};

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_DOCUMENT_WRITER_H_
