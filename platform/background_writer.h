// A std::streambuf that hands what is written to a second thread, which
// writes it to a file descriptor, so that the encrypting thread never waits
// for the kernel's copy. Bytes are gathered in 1 MiB buffers; at most two are
// in flight. Errors of the writing thread show as a failed stream.
#ifndef BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_
#define BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace bidopen::platform {

class BackgroundWriter : public std::streambuf {
 public:
  // REQUIRES: `fd` open for writing; the caller closes it after Finish.
  explicit BackgroundWriter(int fd);
  ~BackgroundWriter() override;
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Writes what is gathered, waits for every byte to be written; the first
  // write error, if any. Once.
  absl::Status Finish();

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  void Run();
  bool HandOff();  // queues current_; false after an error
  bool Drain();    // waits until the queue is empty; false after an error

  int fd_;
  std::string current_;  // being filled by the caller
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;  // to write, in order
  std::vector<std::string> free_;  // written, to reuse
  bool done_ = false;
  absl::Status error_;
  std::thread worker_;
};

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_BACKGROUND_WRITER_H_
