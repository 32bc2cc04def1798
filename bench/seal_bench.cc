// Sealing throughput (issue 4, benchmark (a)): MB/s (10^6 bytes/s) of plaintext
// sealed by seal::SealWriter (plaintext generated in memory) and seal::SealBid (one
// document file), output discarded, against raw OpenSSL AES-256-GCM and SHA-256
// timed in the same process; plus the pieces SealBid is made of, to explain it.
// Every measurement covers --mib MiB and runs --runs times, interleaved; each
// prints its median and best. bench/run_seal.sh adds `openssl speed` at the same
// chunk size and the ratio to the bound 1/(1/aes + 1/sha); bench/README.md says
// what each line measures.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/flags.h"
#include "bench/report.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/crypto/ossl.h"
#include "core/crypto/x25519.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/release_check.h"
#include "core/seal/seal_bid.h"
#include "core/seal/stream_reader.h"
#include "core/seal/stream_writer.h"
#include "platform/file_env.h"
#include "platform/file_source.h"
#include "platform/seal_file.h"

namespace bidopen::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, crypto::Deleter<EVP_CIPHER_CTX_free>>;

constexpr size_t kMiB = size_t{1} << 20;
constexpr size_t kUnalignedPrefix = 100;

constexpr char kUsage[] =
    "usage: seal_bench [--mib=1024] [--runs=5] [--chunk=65536] [--dir=DIR] [--file=true|false]\n"
    "  --mib    plaintext per measurement, in MiB (the document file has this size)\n"
    "  --runs   repetitions of every measurement; median and best are printed\n"
    "  --chunk  chunk size of the sealed bid (default kDefaultChunkSize)\n"
    "  --dir    where the document and the sealed file go (default: the temp dir)\n"
    "  --file   also seal into a real file (default true)\n";

struct Options {
  uint64_t mib = 1024;
  int runs = 5;
  uint32_t chunk = seal::kDefaultChunkSize;
  std::string dir = fs::temp_directory_path().string();
  bool file = true;
};

[[noreturn]] void Usage(absl::string_view why) { UsageExit(kUsage, why); }

void MustSsl(bool ok, absl::string_view what) {
  if (!ok) Fail(what, crypto::OpensslError(what));
}

template <typename T>
T Positive(absl::string_view flag, absl::string_view text) {
  T v{};
  if (!absl::SimpleAtoi(text, &v) || v <= 0) Usage(absl::StrCat(flag, ": not a positive number"));
  return v;
}

void SetFlag(Options& o, absl::string_view key, absl::string_view value) {
  if (key == "mib") {
    o.mib = Positive<uint64_t>(key, value);
  } else if (key == "runs") {
    o.runs = Positive<int>(key, value);
  } else if (key == "chunk") {
    o.chunk = Positive<uint32_t>(key, value);
  } else if (key == "dir") {
    o.dir = std::string(value);
  } else if (key == "file") {
    o.file = value != "false" && value != "0";
  } else {
    Usage(absl::StrCat("unknown flag --", key));
  }
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  ParseFlags(argc, argv, kUsage, {"file"},
             [&](absl::string_view k, absl::string_view v) { SetFlag(o, k, v); });
  if (o.chunk < seal::kMinChunkSize || o.chunk > seal::kMaxChunkSize)
    Usage(absl::StrCat("--chunk: outside ", seal::kMinChunkSize, "..", seal::kMaxChunkSize));
  return o;
}

// An output stream that drops everything: the disk must not dominate.
class DiscardBuf : public std::streambuf {
 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

// Writes a file's dirty pages to disk, so that a bidder's document is, as on
// its machine, clean in the page cache: a freshly written 1 GiB document left
// dirty makes the kernel throttle the sealed file's writes (on this VM at
// about 160 MB/s once some 1-2 GB are dirty), which is not sealing.
void SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) Fail(absl::StrCat("fsync ", path), absl::DataLossError(std::strerror(errno)));
}

// The plaintext: `total` bytes, a random block of whole chunks (about 1 MiB)
// repeated, so it is generated in memory without being held whole.
class Plaintext {
 public:
  Plaintext(uint64_t total, size_t chunk)
      : total_(total), chunk_(chunk), block_(crypto::RandomBytes(BlockSize(chunk))) {}

  size_t chunk() const { return chunk_; }
  // Calls fn with successive chunk-sized pieces (the last one may be shorter).
  void ForEach(const std::function<void(absl::string_view)>& fn) const {
    for (uint64_t pos = 0; pos < total_; pos += chunk_) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk_, total_ - pos));
      fn(absl::string_view(block_).substr(static_cast<size_t>(pos % block_.size()), n));
    }
  }
  void WriteFile(const std::string& path) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    ForEach([&](absl::string_view p) { out.write(p.data(), std::streamsize(p.size())); });
    out.close();
    if (!out) Fail(absl::StrCat("write ", path), absl::DataLossError("disk full?"));
    SyncFile(path);
  }

 private:
  static size_t BlockSize(size_t chunk) { return chunk * std::max<size_t>(1, kMiB / chunk); }

  uint64_t total_;
  size_t chunk_;
  std::string block_;
};

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Seals one chunk with a keyed context: new IV, AD, data, tag into `dst`.
bool SealChunkRaw(EVP_CIPHER_CTX* ctx, const unsigned char* nonce, absl::string_view ad,
                  absl::string_view piece, unsigned char* dst) {
  int len = 0;
  unsigned char* tag = dst + piece.size();
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &len, Bytes(ad), static_cast<int>(ad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, dst, &len, Bytes(piece), static_cast<int>(piece.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, tag, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, crypto::kGcmTagSize, tag) == 1;
}

// The least work STREAM can do: one context keyed once, re-IVed per chunk.
void RawAesGcm(const Plaintext& text) {
  const std::string key = crypto::RandomBytes(crypto::kAesKeySize);
  const std::string ad = crypto::RandomBytes(32);
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  MustSsl(ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nullptr),
          "AES-GCM init");
  std::string out(text.chunk() + crypto::kGcmTagSize, '\0');
  unsigned char nonce[crypto::kGcmNonceSize] = {};
  uint32_t index = 0;
  text.ForEach([&](absl::string_view piece) {
    std::memcpy(nonce + seal::kNoncePrefixSize, &index, sizeof index);
    ++index;
    MustSsl(SealChunkRaw(ctx.get(), nonce, ad, piece, reinterpret_cast<unsigned char*>(out.data())),
            "AES-GCM seal");
  });
}

void RawSha256(const Plaintext& text) {
  crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  MustSsl(ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1, "SHA-256 init");
  text.ForEach([&](absl::string_view piece) {
    MustSsl(EVP_DigestUpdate(ctx.get(), piece.data(), piece.size()) == 1, "SHA-256 update");
  });
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  MustSsl(EVP_DigestFinal_ex(ctx.get(), md, &len) == 1, "SHA-256 final");
}

void AeadSealTo(const Plaintext& text) {
  const std::string key = crypto::RandomBytes(crypto::kAesKeySize);
  const std::string nonce = crypto::RandomBytes(crypto::kGcmNonceSize);
  const std::string ad = crypto::RandomBytes(32);
  std::string out;
  out.reserve(text.chunk() + crypto::kGcmTagSize);
  text.ForEach([&](absl::string_view piece) {
    out.clear();
    Must(crypto::AesGcmSealTo(key, nonce, ad, piece, &out), "AesGcmSealTo");
  });
}

// A bid sealed to the bidder's key only: the key wrapping is a fixed cost of
// well under a millisecond; the payload is what is measured.
struct Bid {
  seal::SealParams params;
  v1::SealedHeader header;  // for SealWriter (from an empty bid), with its secret
  crypto::Secret secret;
};

Bid MakeBid(const Options& o, const std::string& document) {
  Bid b;
  b.params.tender_id = "T-BENCH-0001";
  b.params.lot.set_number(1);
  b.params.lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BIDDER);
  b.params.keys.bidder_fingerprint = std::string(64, 'b');
  b.params.keys.bidder_public = Must(crypto::GenerateX25519(), "bidder key").public_key;
  b.params.chunk_size = o.chunk;
  std::ostringstream empty;
  seal::SealResult r = Must(seal::SealBid(b.params, empty), "seal an empty bid");
  b.header = r.header;
  b.secret = r.secret;
  b.params.documents = {{"offer.bin", document}};
  b.params.env = &platform::DefaultFileEnv();
  return b;
}

void SealWithWriter(const Bid& bid, const Plaintext& text, size_t first) {
  DiscardBuf buf;
  std::ostream out(&buf);
  seal::SealWriter writer(out);
  Must(writer.Begin(bid.header, bid.secret.view()), "SealWriter::Begin");
  bool started = first == 0;
  text.ForEach([&](absl::string_view piece) {
    if (!started) {  // split the first piece so every later chunk straddles two Writes
      Must(writer.Write(piece.substr(0, first)), "SealWriter::Write");
      piece.remove_prefix(first);
      started = true;
    }
    Must(writer.Write(piece), "SealWriter::Write");
  });
  Must(writer.Finish(), "SealWriter::Finish");
}

void ReadDocument(const std::string& path) {
  Must(platform::ForEachPiece("document", path, platform::kReadPieceSize,
                              [](absl::string_view) { return absl::OkStatus(); }),
       "read the document");
}

// As `bidctl bid seal` does it (the file hashed on a second thread for
// FILE.seal), unless !hash_ciphertext.
seal::SealResult SealBidTo(const Bid& bid, std::ostream& out, bool hash_ciphertext = true) {
  seal::SealParams params = bid.params;
  params.hash_ciphertext = hash_ciphertext;
  return Must(seal::SealBid(params, out), "SealBid");
}

void SealBidDiscard(const Bid& bid, bool hash_ciphertext = true) {
  DiscardBuf buf;
  std::ostream out(&buf);
  SealBidTo(bid, out, hash_ciphertext);
}

// `bidctl bid seal`: sealed to a file, hashed; keeps what `bid check` needs.
void SealBidToFile(const Bid& bid, const std::string& path, seal::SealResult* kept) {
  *kept = Must(platform::SealBidToFile(bid.params, path), "SealBidToFile");
}

// The same pipeline into the existing file at `path`, overwritten in place
// (no truncation): the kernel copies into pages it already has.
void SealBidOverFile(const Bid& bid, const std::string& path, seal::SealResult* kept) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) Fail(absl::StrCat("open ", path), absl::NotFoundError(std::strerror(errno)));
  auto r = platform::SealBidToFd(bid.params, fd);
  ::close(fd);
  *kept = Must(std::move(r), "SealBidToFd");
}

// Raw baseline: the plaintext written to `path` in 1 MiB write()s, as the
// sealer's writing thread does; a new file unless `in_place`.
void RawWrite(const Plaintext& text, const std::string& path, bool in_place) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (in_place ? 0 : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) Fail(absl::StrCat("open ", path), absl::NotFoundError(std::strerror(errno)));
  std::string buf;
  auto flush = [&] {
    if (::write(fd, buf.data(), buf.size()) != static_cast<ssize_t>(buf.size()))
      Fail(absl::StrCat("write ", path), absl::DataLossError(std::strerror(errno)));
    buf.clear();
  };
  text.ForEach([&](absl::string_view p) {
    buf.append(p.data(), p.size());
    if (buf.size() >= kMiB) flush();
  });
  flush();
  ::close(fd);
}

// `bidctl bid check`: every record as its recipient would open it, then every
// chunk, document hash and the values commitment.
void CheckBidFile(const std::string& path, const seal::SealResult& kept) {
  std::vector<std::string> keys;
  for (const crypto::Secret& k : kept.ephemeral_keys) keys.push_back(k.bytes());
  std::ifstream in(path, std::ios::binary);
  seal::SealReader reader = Must(seal::SealReader::Open(in), "SealReader::Open");
  Must(seal::CheckAsSealer(reader.header(), kept.secret.view(), keys), "CheckAsSealer");
  Must(seal::ReadBid(reader, kept.secret.view(), nullptr).status(), "ReadBid");
}

struct Measurement {
  std::string name;
  std::function<void()> run;
  std::function<void()> after;  // not timed; may be empty
};

std::vector<Measurement> Measurements(const Options& o, const Plaintext& text, const Bid& bid,
                                      const std::string& sealed) {
  const std::string doc = bid.params.documents[0].path;
  std::vector<Measurement> m = {
      {"raw_aes256gcm", [&] { RawAesGcm(text); }, {}},
      {"raw_sha256", [&] { RawSha256(text); }, {}},
      {"aead_seal_to", [&] { AeadSealTo(text); }, {}},
      {"seal_writer", [&] { SealWithWriter(bid, text, 0); }, {}},
      {"seal_writer_unaligned", [&] { SealWithWriter(bid, text, kUnalignedPrefix); }, {}},
      {"read_document", [doc] { ReadDocument(doc); }, {}},
      {"seal_bid", [&] { SealBidDiscard(bid); }, {}},
      {"seal_bid_unhashed", [&] { SealBidDiscard(bid, false); }, {}},
  };
  if (o.file) {
    auto kept = std::make_shared<seal::SealResult>();
    const std::string raw = sealed + ".raw";
    m.push_back({"raw_write_new", [&text, raw] { RawWrite(text, raw, false); }, {}});
    m.push_back({"raw_write_in_place", [&text, raw] { RawWrite(text, raw, true); },
                 [raw] { fs::remove(raw); }});
    m.push_back(
        {"seal_bid_file", [&bid, sealed, kept] { SealBidToFile(bid, sealed, kept.get()); }, {}});
    m.push_back({"seal_bid_file_in_place",
                 [&bid, sealed, kept] { SealBidOverFile(bid, sealed, kept.get()); },
                 {}});
    m.push_back({"check_bid_file", [sealed, kept] { CheckBidFile(sealed, *kept); },
                 [sealed] { fs::remove(sealed); }});
  }
  return m;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Best(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

// MB/s of each measurement, one sample per run.
std::map<std::string, std::vector<double>> RunAll(const Options& o,
                                                  const std::vector<Measurement>& ms) {
  const double megabytes = static_cast<double>(o.mib * kMiB) / 1e6;
  std::map<std::string, std::vector<double>> rates;
  for (int run = 0; run < o.runs; ++run) {
    for (const Measurement& m : ms) {
      const Clock::time_point start = Clock::now();
      m.run();
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      rates[m.name].push_back(megabytes / seconds);
      if (m.after) m.after();
    }
  }
  return rates;
}

void ReportRates(const std::vector<Measurement>& ms,
                 const std::map<std::string, std::vector<double>>& rates) {
  for (const Measurement& m : ms) {
    const std::vector<double>& v = rates.at(m.name);
    Report(absl::StrCat(m.name, "_mbps"), Median(v), "MB/s");
    Report(absl::StrCat(m.name, "_best_mbps"), Best(v), "MB/s");
  }
}

double Bound(double aes, double sha) { return 1 / (1 / aes + 1 / sha); }

void ReportRatios(const std::map<std::string, std::vector<double>>& rates) {
  const double bound = Bound(Median(rates.at("raw_aes256gcm")), Median(rates.at("raw_sha256")));
  Report("raw_bound_mbps", bound, "MB/s");
  for (const char* name : {"seal_writer", "seal_writer_unaligned", "seal_bid", "seal_bid_unhashed",
                           "seal_bid_file", "seal_bid_file_in_place"})
    if (rates.count(name) > 0)
      Report(absl::StrCat(name, "_vs_raw_bound"), Median(rates.at(name)) / bound, "ratio");
  // Writing a new file is limited by the machine's page allocation: compare
  // the sealed file with a bare write of as many bytes.
  if (rates.count("raw_write_new") > 0)
    Report("seal_bid_file_vs_raw_write_new",
           Median(rates.at("seal_bid_file")) / Median(rates.at("raw_write_new")), "ratio");
}

void Main(const Options& o) {
  const std::string base = absl::StrCat(o.dir, "/seal_bench_", getpid());
  const std::string doc = base + "_document.bin", sealed = base + "_sealed.bid";
  const Plaintext text(o.mib * kMiB, o.chunk);
  Note(absl::StrCat("plaintext ", o.mib, " MiB, chunk ", o.chunk, " bytes, ", o.runs,
                    " runs; MB/s = 10^6 bytes of plaintext per second; document ", doc));
  text.WriteFile(doc);
  const Bid bid = MakeBid(o, doc);
  const std::vector<Measurement> ms = Measurements(o, text, bid, sealed);
  const auto rates = RunAll(o, ms);
  fs::remove(doc);
  ReportRates(ms, rates);
  ReportRatios(rates);
}

}  // namespace
}  // namespace bidopen::bench

int main(int argc, char** argv) {
  bidopen::bench::Main(bidopen::bench::ParseOptions(argc, argv));
  return 0;
}
