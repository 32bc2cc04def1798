#include "platform/background_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace bidopen::platform {
namespace {

constexpr size_t kBufferSize = size_t{1} << 18;
constexpr size_t kInFlight = 2;

absl::Status WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return absl::DataLossError(absl::StrCat("writing the sealed file failed: ",
                                              n < 0 ? std::strerror(errno) : "no progress"));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

BackgroundWriter::BackgroundWriter(int fd) : fd_(fd), worker_([this] { Run(); }) {
  current_.reserve(kBufferSize);
}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool BackgroundWriter::HandOff() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < kInFlight || !error_.ok(); });
  if (!error_.ok()) return false;
  queue_.push_back(std::move(current_));
  current_ = std::string();
  if (!free_.empty()) {
    current_ = std::move(free_.back());
    free_.pop_back();
  }
  changed_.notify_all();
  lock.unlock();
  current_.clear();
  current_.reserve(kBufferSize);
  return true;
}

std::streamsize BackgroundWriter::xsputn(const char* s, std::streamsize n) {
  auto left = static_cast<size_t>(n);
  while (left > 0) {
    const size_t take = std::min(left, kBufferSize - current_.size());
    current_.append(s, take);
    s += take;
    left -= take;
    if (current_.size() == kBufferSize && !HandOff()) return n - static_cast<std::streamsize>(left);
  }
  return n;
}

BackgroundWriter::int_type BackgroundWriter::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

void BackgroundWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return;
    std::string piece = std::move(queue_.front());
    lock.unlock();
    absl::Status st = error_.ok() ? WriteAll(fd_, piece) : absl::OkStatus();
    lock.lock();
    queue_.pop_front();
    if (!st.ok() && error_.ok()) error_ = st;
    free_.push_back(std::move(piece));
    changed_.notify_all();
  }
}

bool BackgroundWriter::Drain() {
  if (!current_.empty() && !HandOff()) return false;
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return queue_.empty(); });
  return error_.ok();
}

int BackgroundWriter::sync() { return Drain() ? 0 : -1; }

absl::Status BackgroundWriter::Finish() {
  Drain();
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  changed_.notify_all();
  worker_.join();
  return error_;
}

}  // namespace bidopen::platform
