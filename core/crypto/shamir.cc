#include "core/crypto/shamir.h"

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"

namespace bidopen::crypto {

// Constant time: no tables (a log/antilog table lookup indexed by secret bytes leaks them
// through the cache) and no branches on operands. Shift-and-add: for each bit of b, add a
// (masked in by that bit); then multiply a by x, reducing by 0x11b when the top bit falls out
// (also masked).
uint8_t Gf256Mul(uint8_t a, uint8_t b) {
  unsigned r = 0, aa = a, bb = b;
  for (int i = 0; i < 8; ++i) {
    r ^= aa & (0u - (bb & 1u));
    aa = (aa << 1) ^ (0x11bu & (0u - (aa >> 7)));
    bb >>= 1;
  }
  return static_cast<uint8_t>(r);
}

// a^254 = a^-1 in GF(2^8) (a^255 = 1 for a != 0), by a fixed chain of squarings and
// multiplications: 254 = 2 + 4 + ... + 128. Maps 0 to 0.
uint8_t Gf256Inverse(uint8_t a) {
  uint8_t power = a, result = 1;
  for (int i = 1; i < 8; ++i) {
    power = Gf256Mul(power, power);  // a^(2^i)
    result = Gf256Mul(result, power);
  }
  return result;
}

namespace {

// f(x) for f with constant term `constant` and coefficients c_1..c_{k-1} in `coeffs`
// (Horner's rule, from the highest degree down).
uint8_t Evaluate(uint8_t constant, absl::string_view coeffs, uint8_t x) {
  uint8_t acc = 0;
  for (size_t d = coeffs.size(); d > 0; --d)
    acc = Gf256Mul(acc, x) ^ static_cast<uint8_t>(coeffs[d - 1]);
  return Gf256Mul(acc, x) ^ constant;
}

absl::Status CheckSplitArguments(absl::string_view secret, int k, int n) {
  if (n < 1 || n > 255)
    return absl::InvalidArgumentError(absl::StrCat("n: must be 1..255, got ", n));
  if (k < 1 || k > n)
    return absl::InvalidArgumentError(absl::StrCat("k: must be 1..n (", n, "), got ", k));
  if (secret.empty()) return absl::InvalidArgumentError("secret: must not be empty");
  return absl::OkStatus();
}

absl::Status CheckShares(const std::vector<Share>& shares) {
  if (shares.empty()) return absl::InvalidArgumentError("shares: none given");
  bool seen[256] = {};
  for (const Share& s : shares) {
    if (s.x == 0) return absl::InvalidArgumentError("shares: x must not be 0");
    if (seen[s.x])
      return absl::InvalidArgumentError(absl::StrCat("shares: duplicate x ", int{s.x}));
    seen[s.x] = true;
    if (s.y.size() != shares[0].y.size())
      return absl::InvalidArgumentError(
          absl::StrCat("shares: y lengths differ: ", shares[0].y.size(), " bytes for x ",
                       int{shares[0].x}, ", ", s.y.size(), " bytes for x ", int{s.x}));
  }
  if (shares[0].y.empty()) return absl::InvalidArgumentError("shares: y must not be empty");
  return absl::OkStatus();
}

// The Lagrange basis polynomial of share i evaluated at 0:
// prod over j != i of x_j / (x_j - x_i); subtraction is XOR.
uint8_t LagrangeAtZero(const std::vector<Share>& shares, size_t i) {
  uint8_t num = 1, den = 1;
  for (size_t j = 0; j < shares.size(); ++j) {
    if (j == i) continue;
    num = Gf256Mul(num, shares[j].x);
    den = Gf256Mul(den, shares[j].x ^ shares[i].x);
  }
  return Gf256Mul(num, Gf256Inverse(den));
}

}  // namespace

absl::StatusOr<std::vector<Share>> ShamirSplit(absl::string_view secret, int k, int n,
                                               const std::function<std::string(size_t)>& random) {
  if (absl::Status st = CheckSplitArguments(secret, k, n); !st.ok()) return st;
  const size_t degree = static_cast<size_t>(k - 1);
  std::string coeffs = random(degree * secret.size());
  if (coeffs.size() != degree * secret.size())
    return absl::InternalError(absl::StrCat("Shamir: asked for ", degree * secret.size(),
                                            " random bytes, got ", coeffs.size()));
  std::vector<Share> shares(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Share& share = shares[static_cast<size_t>(i)];
    share.x = static_cast<uint8_t>(i + 1);
    share.y.resize(secret.size());
    for (size_t j = 0; j < secret.size(); ++j)
      share.y[j] = static_cast<char>(Evaluate(static_cast<uint8_t>(secret[j]),
                                              absl::string_view(coeffs).substr(j * degree, degree),
                                              share.x));
  }
  OPENSSL_cleanse(coeffs.data(), coeffs.size());
  return shares;
}

absl::StatusOr<std::string> ShamirCombine(const std::vector<Share>& shares) {
  if (absl::Status st = CheckShares(shares); !st.ok()) return st;
  std::string secret(shares[0].y.size(), '\0');
  for (size_t i = 0; i < shares.size(); ++i) {
    const uint8_t basis = LagrangeAtZero(shares, i);
    for (size_t b = 0; b < secret.size(); ++b)
      secret[b] = static_cast<char>(static_cast<uint8_t>(secret[b]) ^
                                    Gf256Mul(basis, static_cast<uint8_t>(shares[i].y[b])));
  }
  return secret;
}

}  // namespace bidopen::crypto
