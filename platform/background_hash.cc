#include "platform/background_hash.h"

namespace bidopen::platform {
namespace {

constexpr size_t kInFlight = 2;

}  // namespace

BackgroundSha256::BackgroundSha256() : worker_([this] { Run(); }) {}

BackgroundSha256::~BackgroundSha256() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void BackgroundSha256::Update(absl::string_view bytes) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < kInFlight; });
  std::string piece;
  if (!free_.empty()) {
    piece = std::move(free_.back());
    free_.pop_back();
  }
  piece.assign(bytes.data(), bytes.size());
  queue_.push_back(std::move(piece));
  changed_.notify_all();
}

void BackgroundSha256::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return;  // done_ and nothing left
    std::string piece = std::move(queue_.front());
    lock.unlock();
    hash_.Update(piece);
    lock.lock();
    queue_.pop_front();
    free_.push_back(std::move(piece));
    changed_.notify_all();
  }
}

std::string BackgroundSha256::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  changed_.notify_all();
  worker_.join();
  return hash_.Finish();
}

}  // namespace bidopen::platform
