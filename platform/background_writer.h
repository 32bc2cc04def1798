// A std::streambuf that hands what is written to a second thread, which
// hashes it (SHA-256) and writes it to a file descriptor. At most two pieces in
// flight (copies). Errors of the writing thread show as a failed stream.
#ifndef BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_
#define BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <streambuf>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "core/seal/digest.h"

namespace bidopen::platform {

class BackgroundWriter : public std::streambuf {
 public:
  // REQUIRES: `fd` open for writing; the caller closes it after Finish.
  explicit BackgroundWriter(int fd);
  ~BackgroundWriter() override;
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Waits for every byte to be written; the SHA-256 of them all, or the first
  // write error. Once.
  absl::StatusOr<std::string> Finish();

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  void Run();
  bool Drain();  // waits until the queue is empty; false after an error

  int fd_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool done_ = false;
  absl::Status error_;
  seal::Sha256Stream hash_;
  std::thread worker_;
};

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_
