#include "core/seal/env.h"

#include "core/seal/digest.h"

namespace bidopen::seal {
namespace {

class Inline : public Hasher {
 public:
  void Update(absl::string_view bytes) override { hash_.Update(bytes); }
  std::string Finish() override { return hash_.Finish(); }

 private:
  Sha256Stream hash_;
};

}  // namespace

std::unique_ptr<Hasher> InlineHasher() { return std::make_unique<Inline>(); }

std::unique_ptr<Hasher> Env::NewHasher() { return InlineHasher(); }

}  // namespace bidopen::seal
