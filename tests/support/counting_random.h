// The deterministic random source of the test vectors (test builds only):
// bytes 00 01 02 ... ff 00 01 ..., continuing from one draw to the next.
#ifndef BIDOPEN_TESTS_SUPPORT_COUNTING_RANDOM_H_
#define BIDOPEN_TESTS_SUPPORT_COUNTING_RANDOM_H_

#include <cstdint>
#include <string>

#include "core/seal/format.h"

namespace bidopen::testing {

class CountingRandom : public seal::RandomSource {
 public:
  std::string Bytes(size_t n) override {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(next_++);
    return out;
  }

 private:
  uint8_t next_ = 0;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_SUPPORT_COUNTING_RANDOM_H_
