#include "bench/opening_splits.h"

#include <openssl/evp.h>

#include <atomic>
#include <functional>
#include <istream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/bench_util.h"
#include "bench/bid_setup.h"
#include "bidopen/v1/events.pb.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/opening/time_text.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/digest.h"
#include "core/seal/format.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"
#include "server/store/bid_store.h"
#include "server/store/pg.h"
#include "server/store/stored_file.h"

namespace bidopen::bench {
namespace {

using store::PgConnPtr;
using store::PgResultPtr;

constexpr size_t kRecord = seal::kDefaultChunkSize + crypto::kGcmTagSize;
constexpr size_t kPrefix = seal::kMagic.size() + 4;  // magic, header length

absl::StatusOr<PgConnPtr> Connect(const std::string& conninfo) {
  PgConnPtr c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    return absl::UnavailableError(
        absl::StrCat("raw opening: cannot connect: ", c ? PQerrorMessage(c.get()) : "no memory"));
  return c;
}

struct EvpCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// Decrypts sealed chunks of one file as they are pushed, skipping the
// magic, the header length and the header.
class RawDecryptor {
 public:
  RawDecryptor(EVP_CIPHER_CTX* ctx, double* aes) : ctx_(ctx), aes_(aes) {}
  void Push(const char* p, size_t n) {
    while (n > 0) {
      if (skip_ == SIZE_MAX) {  // the prefix, then the header of its length
        const size_t take = std::min(n, kPrefix - prefix_.size());
        prefix_.append(p, take);
        p += take, n -= take;
        if (prefix_.size() < kPrefix) return;
        const auto* b = reinterpret_cast<const unsigned char*>(prefix_.data() + kPrefix - 4);
        skip_ = (size_t{b[0]} << 24) | (size_t{b[1]} << 16) | (size_t{b[2]} << 8) | b[3];
        continue;
      }
      if (skip_ > 0) {
        const size_t take = std::min(n, skip_);
        skip_ -= take, p += take, n -= take;
        continue;
      }
      const size_t take = std::min(n, kRecord - record_.size());
      record_.append(p, take);
      p += take, n -= take;
      if (record_.size() == kRecord) Open();
    }
  }
  void Finish() {
    if (record_.size() > crypto::kGcmTagSize) Open();
  }

 private:
  void Open() {
    const SteadyClock::time_point t0 = SteadyClock::now();
    unsigned char iv[crypto::kGcmNonceSize] = {};
    iv[8] = static_cast<unsigned char>(index_ >> 8);
    iv[9] = static_cast<unsigned char>(index_++);
    static const unsigned char kAd[32] = {};
    const size_t body = record_.size() - crypto::kGcmTagSize;
    out_.resize(body);
    auto* in = reinterpret_cast<unsigned char*>(record_.data());
    int len = 0;
    EVP_DecryptInit_ex(ctx_, nullptr, nullptr, nullptr, iv);
    EVP_DecryptUpdate(ctx_, nullptr, &len, kAd, sizeof kAd);
    EVP_DecryptUpdate(ctx_, reinterpret_cast<unsigned char*>(out_.data()), &len, in,
                      static_cast<int>(body));
    EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, crypto::kGcmTagSize, in + body);
    (void)EVP_DecryptFinal_ex(ctx_, reinterpret_cast<unsigned char*>(out_.data()) + len, &len);
    record_.clear();
    *aes_ += SecondsSince(t0);
  }

  EVP_CIPHER_CTX* ctx_;
  double* aes_;
  std::string prefix_;
  size_t skip_ = SIZE_MAX;
  std::string record_;
  std::string out_;
  uint32_t index_ = 0;
};

// What OpeningApp::Decrypt does with a bid's stored file.
absl::Status DecryptAsServer(store::Conn& conn, const StoredBid& b, const v1::LotSpec& spec) {
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(conn, b.seq));
  if (!held) return absl::NotFoundError(absl::StrCat("bid ", b.seq, ": no stored bid row"));
  store::StoredFileBuf buf(conn, held->row.upload_id, b.size);
  std::istream in(&buf);
  BO_ASSIGN_OR_RETURN(seal::SealReader reader, seal::SealReader::Open(in));
  return seal::ReadBid(reader, b.secret, nullptr, &spec).status();
}

}  // namespace

absl::StatusOr<LogTimes> ReadLogTimes(const std::string& conninfo, const std::string& tender_id) {
  BO_ASSIGN_OR_RETURN(PgConnPtr c, Connect(conninfo));
  const char* values[1] = {tender_id.c_str()};
  PgResultPtr r(PQexecParams(c.get(),
                             "SELECT body FROM events WHERE tender_id = $1 AND kind IN "
                             "('key_released', 'bid_decrypted') ORDER BY seq",
                             1, nullptr, values, nullptr, nullptr, 1));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    return absl::InternalError(absl::StrCat("events: ", PQerrorMessage(c.get())));
  std::optional<absl::Time> released, first, last;
  LogTimes out;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    v1::Event e;
    if (!e.ParseFromArray(PQgetvalue(r.get(), i, 0), PQgetlength(r.get(), i, 0)))
      return absl::DataLossError("events: unreadable body");
    const absl::Time t = FromProto(e.time());
    if (e.has_key_released() && !released) released = t;
    if (e.has_bid_decrypted() && e.bid_decrypted().opened()) {
      if (!first) first = t;
      last = t;
      ++out.decrypted;
    }
  }
  if (!released || !last) return absl::NotFoundError("events: no release or no opened bid");
  out.release_to_last_decrypted = absl::ToDoubleSeconds(*last - *released);
  out.first_to_last_decrypted = absl::ToDoubleSeconds(*last - *first);
  return out;
}

absl::Status FindUploads(const std::string& conninfo, std::vector<StoredBid>* bids) {
  BO_ASSIGN_OR_RETURN(std::unique_ptr<store::Conn> conn, store::Conn::Open(conninfo));
  for (StoredBid& b : *bids) {
    BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(*conn, b.seq));
    if (!held) return absl::NotFoundError(absl::StrCat("bid ", b.seq, ": no stored bid row"));
    b.upload_id = held->row.upload_id;
  }
  return absl::OkStatus();
}

namespace {

struct RawCipher {
  std::unique_ptr<EVP_CIPHER_CTX, EvpCtxFree> ctx;
};

absl::StatusOr<RawCipher> NewRawCipher() {
  RawCipher c{std::unique_ptr<EVP_CIPHER_CTX, EvpCtxFree>(EVP_CIPHER_CTX_new())};
  const std::string key = crypto::RandomBytes(crypto::kAesKeySize);
  if (!c.ctx ||
      EVP_DecryptInit_ex(c.ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), nullptr) != 1)
    return absl::InternalError("raw opening: EVP_DecryptInit_ex");
  return c;
}

// The raw path for one bid: one SELECT of all its chunks, then (if `cipher`)
// AES-256-GCM of every sealed chunk.
absl::Status RawOpenOne(PGconn* c, EVP_CIPHER_CTX* cipher, const StoredBid& b, RawTimes* t) {
  const std::string id = std::to_string(b.upload_id);
  const char* values[1] = {id.c_str()};
  SteadyClock::time_point q0 = SteadyClock::now();
  PgResultPtr r(PQexecParams(c, "SELECT data FROM bid_chunks WHERE upload_id = $1 ORDER BY pos", 1,
                             nullptr, values, nullptr, nullptr, 1));
  t->query += SecondsSince(q0);
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    return absl::InternalError(absl::StrCat("raw opening: SELECT: ", PQerrorMessage(c)));
  RawDecryptor d(cipher, &t->aes);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    const size_t n = static_cast<size_t>(PQgetlength(r.get(), i, 0));
    if (cipher != nullptr) d.Push(PQgetvalue(r.get(), i, 0), n);
    t->bytes += n;
  }
  if (cipher != nullptr) d.Finish();
  return absl::OkStatus();
}

// The server's paged query (16 chunks a page) with plain libpq, no copies.
absl::Status RawPaged(PGconn* c, const StoredBid& b) {
  for (uint64_t at = 0; at < b.size;) {
    const std::string id = std::to_string(b.upload_id), from = std::to_string(at),
                      end = std::to_string(b.size);
    const char* values[3] = {id.c_str(), from.c_str(), end.c_str()};
    PgResultPtr r(PQexecParams(c,
                               "SELECT pos, data FROM bid_chunks WHERE upload_id = $1 AND pos >= "
                               "$2 AND pos < $3 ORDER BY pos LIMIT 16",
                               3, nullptr, values, nullptr, nullptr, 1));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) == 0)
      return absl::InternalError(absl::StrCat("paged SELECT: ", PQerrorMessage(c)));
    for (int i = 0; i < PQntuples(r.get()); ++i)
      at += static_cast<uint64_t>(PQgetlength(r.get(), i, 1));
  }
  return absl::OkStatus();
}

// StoredFileBuf without its copies (a proposal, measured here): the same
// paged query, but the get area points into the PGresult's own memory, which
// is kept until the page is read.
class ZeroCopyBuf : public std::streambuf {
 public:
  ZeroCopyBuf(PGconn* c, const StoredBid& b) : c_(c), b_(b) {}
  const absl::Status& status() const { return status_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    while (page_ == nullptr || row_ >= PQntuples(page_.get())) {
      if (!NextPage()) return traits_type::eof();
    }
    char* p = PQgetvalue(page_.get(), row_, 1);
    const int n = PQgetlength(page_.get(), row_, 1);
    ++row_;
    setg(p, p, p + n);
    return n > 0 ? traits_type::to_int_type(*gptr()) : underflow();
  }

 private:
  bool NextPage() {
    page_.reset();
    row_ = 0;
    if (next_ >= b_.size || !status_.ok()) return false;
    const std::string id = std::to_string(b_.upload_id), from = std::to_string(next_),
                      end = std::to_string(b_.size);
    const char* values[3] = {id.c_str(), from.c_str(), end.c_str()};
    page_.reset(PQexecParams(c_,
                             "SELECT pos, data FROM bid_chunks WHERE upload_id = $1 AND pos >= "
                             "$2 AND pos < $3 ORDER BY pos LIMIT 16",
                             3, nullptr, values, nullptr, nullptr, 1));
    if (!page_ || PQresultStatus(page_.get()) != PGRES_TUPLES_OK || PQntuples(page_.get()) == 0) {
      status_ = absl::DataLossError("zero-copy read failed");
      return false;
    }
    for (int i = 0; i < PQntuples(page_.get()); ++i)
      next_ += static_cast<uint64_t>(PQgetlength(page_.get(), i, 1));
    return true;
  }

  PGconn* c_;
  const StoredBid& b_;
  uint64_t next_ = 0;
  PgResultPtr page_;
  int row_ = 0;
  absl::Status status_;
};

absl::Status DecryptZeroCopy(PGconn* c, const StoredBid& b, const v1::LotSpec& spec) {
  ZeroCopyBuf buf(c, b);
  std::istream in(&buf);
  BO_ASSIGN_OR_RETURN(seal::SealReader reader, seal::SealReader::Open(in));
  BO_RETURN_IF_ERROR(seal::ReadBid(reader, b.secret, nullptr, &spec).status());
  return buf.status();
}

}  // namespace

absl::StatusOr<RawTimes> RawOpen(const std::string& conninfo, const std::vector<StoredBid>& bids) {
  BO_ASSIGN_OR_RETURN(PgConnPtr c, Connect(conninfo));
  BO_ASSIGN_OR_RETURN(RawCipher cipher, NewRawCipher());
  RawTimes t;
  const SteadyClock::time_point t0 = SteadyClock::now();
  for (const StoredBid& b : bids) BO_RETURN_IF_ERROR(RawOpenOne(c.get(), cipher.ctx.get(), b, &t));
  t.seconds = SecondsSince(t0);
  return t;
}

absl::StatusOr<ServerSplits> TimeServerPath(const std::string& conninfo,
                                            const std::vector<StoredBid>& bids,
                                            const v1::LotSpec& spec, int threads) {
  BO_ASSIGN_OR_RETURN(std::unique_ptr<store::Conn> conn, store::Conn::Open(conninfo));
  BO_ASSIGN_OR_RETURN(PgConnPtr raw, Connect(conninfo));
  BO_ASSIGN_OR_RETURN(RawCipher cipher, NewRawCipher());
  ServerSplits s;
  std::vector<char> sink(1 << 20);
  RawTimes ignored;
  // Each way of reading, bid by bid in turn (the order rotating), so that the
  // machine's drift hits them alike.
  struct Way {
    double* total;
    std::function<absl::Status(const StoredBid&)> run;
  };
  const std::vector<Way> ways = {
      {&s.raw_query,
       [&](const StoredBid& b) { return RawOpenOne(raw.get(), nullptr, b, &ignored); }},
      {&s.raw_open,
       [&](const StoredBid& b) { return RawOpenOne(raw.get(), cipher.ctx.get(), b, &ignored); }},
      {&s.raw_pages, [&](const StoredBid& b) { return RawPaged(raw.get(), b); }},
      {&s.pages,
       [&](const StoredBid& b) {
         return store::ForEachStoredPiece(*conn, b.upload_id, b.size,
                                          [](uint64_t, std::string&) { return absl::OkStatus(); });
       }},
      {&s.read,
       [&](const StoredBid& b) {
         store::StoredFileBuf buf(*conn, b.upload_id, b.size);
         std::istream in(&buf);
         while (in.read(sink.data(), static_cast<std::streamsize>(sink.size())) || in.gcount() > 0)
           s.bytes += static_cast<uint64_t>(in.gcount());
         return buf.status();
       }},
      {&s.decrypt, [&](const StoredBid& b) { return DecryptAsServer(*conn, b, spec); }},
      {&s.decrypt_zero_copy,
       [&](const StoredBid& b) { return DecryptZeroCopy(raw.get(), b, spec); }},
  };
  for (size_t i = 0; i < bids.size(); ++i)
    for (size_t k = 0; k < ways.size(); ++k) {
      const Way& w = ways[(i + k) % ways.size()];
      const SteadyClock::time_point t0 = SteadyClock::now();
      BO_RETURN_IF_ERROR(w.run(bids[i]));
      *w.total += SecondsSince(t0);
    }
  SteadyClock::time_point t0;

  std::vector<std::unique_ptr<store::Conn>> conns;
  for (int i = 0; i < threads; ++i) {
    BO_ASSIGN_OR_RETURN(conns.emplace_back(), store::Conn::Open(conninfo));
  }
  std::atomic<int> next{0};
  t0 = SteadyClock::now();
  BO_RETURN_IF_ERROR(ParallelFor(threads, threads, [&](int t) -> absl::Status {
    for (size_t i; (i = static_cast<size_t>(next++)) < bids.size();)
      BO_RETURN_IF_ERROR(DecryptAsServer(*conns[static_cast<size_t>(t)], bids[i], spec));
    return absl::OkStatus();
  }));
  s.decrypt_parallel = SecondsSince(t0);

  // The two passes over the bytes from memory, chunk by chunk.
  const std::string chunk(seal::kDefaultChunkSize, 'x');
  const uint64_t chunks = s.bytes / kRecord;
  seal::Sha256Stream sha;
  t0 = SteadyClock::now();
  for (uint64_t i = 0; i < chunks; ++i) sha.Update(chunk);
  (void)sha.Finish();
  s.sha256 = SecondsSince(t0);
  const std::string key = crypto::RandomBytes(crypto::kAesKeySize);
  const std::string nonce(crypto::kGcmNonceSize, '\0'), ad(32, '\0');
  std::string sealed, out;
  BO_RETURN_IF_ERROR(crypto::AesGcmSealTo(key, nonce, ad, chunk, &sealed));
  t0 = SteadyClock::now();
  for (uint64_t i = 0; i < chunks; ++i) {
    out.clear();
    BO_RETURN_IF_ERROR(crypto::AesGcmOpenTo(key, nonce, ad, sealed, &out));
  }
  s.aes = SecondsSince(t0);
  return s;
}

}  // namespace bidopen::bench
