// SHA-256 of a byte stream computed on a second thread, so that hashing the
// sealed file does not slow the thread that encrypts it. Holds at most two
// pieces in flight (copies); Update blocks while both are taken.
#ifndef BIDOPEN_PLATFORM_BACKGROUND_HASH_H_
#define BIDOPEN_PLATFORM_BACKGROUND_HASH_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/seal/digest.h"
#include "core/seal/env.h"

namespace bidopen::platform {

class BackgroundSha256 : public seal::Hasher {
 public:
  BackgroundSha256();
  ~BackgroundSha256();
  BackgroundSha256(const BackgroundSha256&) = delete;
  BackgroundSha256& operator=(const BackgroundSha256&) = delete;

  void Update(absl::string_view bytes) override;
  // The raw 32-byte digest of everything given; waits for the thread. Once.
  std::string Finish() override;

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;  // pieces to hash, in order
  std::vector<std::string> free_;  // buffers to reuse
  bool done_ = false;
  seal::Sha256Stream hash_;
  std::thread worker_;
};

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_BACKGROUND_HASH_H_
