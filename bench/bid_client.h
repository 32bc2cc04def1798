// The client side of the bid benchmarks, on the generated gRPC stubs only (not
// bidctl's code): a party's mutual-TLS channel, a tender to bid in, a
// registered X25519 key and a really sealed bid file.
#ifndef BIDOPEN_BENCH_BID_CLIENT_H_
#define BIDOPEN_BENCH_BID_CLIENT_H_

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/common.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/crypto/ossl.h"
#include "core/seal/seal_bid.h"

namespace bidopen::bench {

// One party: its certificate (<pki>/<name>.crt), key and channel.
struct Identity {
  std::string name;
  v1::Party party;  // as the server derives it from the certificate
  std::string cert_pem;
  crypto::PkeyPtr key;  // the certificate's key: signs statements
  std::shared_ptr<grpc::Channel> channel;
};

// Opens <pki>/<name>.{crt,key} and a channel to `server` trusting <pki>/ca.crt.
// The channel connects on first use.
absl::StatusOr<Identity> OpenIdentity(const std::string& server, const std::string& pki,
                                      const std::string& name);

// As the agency: a one-lot tender (policy BIDDER, a required decimal `price`,
// deadline in a day), as the server returns it.
// Puts `who`'s signature of `request` for `method` (an action the log keeps
// signed: docs/protocol.md "Signed actions") into `ctx`'s metadata.
absl::Status SignInto(grpc::ClientContext* ctx, const Identity& who, absl::string_view method,
                      const google::protobuf::Message& request);

absl::StatusOr<v1::Tender> CreateBenchTender(const Identity& agency, const std::string& title);

// Registers a fresh X25519 key for `bidder`; returns the public key.
absl::StatusOr<std::string> RegisterFreshKey(const Identity& bidder);

struct SealedFile {
  std::string path;
  seal::SealResult result;
};

// A zero-filled (sparse) document of `bytes` bytes at `path`.
absl::Status MakeDocument(const std::string& path, uint64_t bytes);

// The document size whose sealed bid is at most `sealed_bytes` (and close).
uint64_t DocumentBytesFor(uint64_t sealed_bytes);

// Seals `document` as `bidder`'s bid for lot 1 of `tender` into `path`.
absl::StatusOr<SealedFile> SealBenchBid(const Identity& bidder, const std::string& bidder_public,
                                        const v1::Tender& tender, const std::string& document,
                                        const std::string& path);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_CLIENT_H_
