// Shamir k-of-n secret sharing over GF(2^8), byte by byte (ours; see design §9).
//
// The field is GF(2)[x] / (x^8 + x^4 + x^3 + x + 1), the AES field (0x11b, FIPS-197 §4.2):
// addition is XOR, multiplication is carry-less multiplication reduced by 0x11b.
// For each secret byte s_j, ShamirSplit picks a polynomial
//   f_j(x) = s_j + c_{j,1} x + ... + c_{j,k-1} x^(k-1)
// with uniformly random coefficients, and share i (x = i, 1..n) has y[j] = f_j(i).
// ShamirCombine evaluates the Lagrange interpolation polynomial at x = 0.
#ifndef BIDOPEN_CORE_CRYPTO_SHAMIR_H_
#define BIDOPEN_CORE_CRYPTO_SHAMIR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/crypto/kdf.h"

namespace bidopen::crypto {

// k-of-n secret sharing over GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 (0x11b),
// byte-wise: for each secret byte a random polynomial of degree k-1 with that byte as constant
// term; share i has x = i (1..n) and y = one byte per secret byte (32 bytes for a data key).
struct Share {
  uint8_t x;
  std::string y;
};

// INVALID_ARGUMENT naming the value unless 1 <= k <= n <= 255 and the secret is non-empty.
// `random` supplies the coefficient bytes (tests pass a deterministic one); default RandomBytes.
// It is called once, for (k-1) * secret.size() bytes: bytes [j*(k-1), (j+1)*(k-1)) are
// c_{j,1} .. c_{j,k-1} for secret byte j. INTERNAL if it returns another length.
absl::StatusOr<std::vector<Share>> ShamirSplit(
    absl::string_view secret, int k, int n,
    const std::function<std::string(size_t)>& random = RandomBytes);

// Lagrange interpolation at x=0 from >= k shares (uses all given). INVALID_ARGUMENT on
// no shares, duplicate x, x == 0, or different (or empty) y lengths. With fewer than k shares
// it returns a wrong secret (that is the math) — the caller detects it via the AEAD.
absl::StatusOr<std::string> ShamirCombine(const std::vector<Share>& shares);

// Field arithmetic, exposed for tests. Both run in time independent of their operands.
uint8_t Gf256Mul(uint8_t a, uint8_t b);
// The multiplicative inverse of a != 0; 0 for a == 0.
uint8_t Gf256Inverse(uint8_t a);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_SHAMIR_H_
