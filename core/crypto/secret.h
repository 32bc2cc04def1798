// Secret bytes that are wiped (OPENSSL_cleanse) when their owner goes away.
#ifndef BIDOPEN_CORE_CRYPTO_SECRET_H_
#define BIDOPEN_CORE_CRYPTO_SECRET_H_

#include <openssl/crypto.h>

#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace bidopen::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string bytes) : bytes_(std::move(bytes)) {}
  Secret(const Secret& other) : bytes_(other.bytes_) {}
  Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.Wipe(); }
  Secret& operator=(Secret other) noexcept {
    Wipe();
    bytes_.swap(other.bytes_);
    return *this;
  }
  ~Secret() { Wipe(); }

  const std::string& bytes() const { return bytes_; }
  absl::string_view view() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  void Wipe() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_.clear();
  }

  std::string bytes_;
};

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_SECRET_H_
