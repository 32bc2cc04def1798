#include "bench/bid_client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/signed_action.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "platform/file_env.h"
#include "platform/files.h"

namespace bidopen::bench {
namespace {

absl::Status FromGrpc(const grpc::Status& st, absl::string_view what) {
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

std::unique_ptr<grpc::ClientContext> Context(int seconds = 60) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

v1::LotSpec BenchLot() {
  v1::LotSpec lot;
  lot.set_title("Benchmark lot");
  const absl::Time deadline = absl::Now() + absl::Hours(24);
  *lot.mutable_submission_deadline() = ToProto(deadline);
  *lot.mutable_opening_time() = ToProto(deadline);
  v1::FormField* price = lot.add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  price->set_unit("CNY");
  price->set_required(true);
  lot.set_policy(v1::OPENING_POLICY_BIDDER);
  return lot;
}

}  // namespace

absl::StatusOr<Identity> OpenIdentity(const std::string& server, const std::string& pki,
                                      const std::string& name) {
  Identity id;
  id.name = name;
  const std::string prefix = absl::StrCat(pki, "/", name);
  BO_ASSIGN_OR_RETURN(id.cert_pem, ReadFileBytes(prefix + ".crt", "certificate"));
  BO_ASSIGN_OR_RETURN(std::string key_pem, ReadFileBytes(prefix + ".key", "key"));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(pki + "/ca.crt", "CA certificate"));
  BO_ASSIGN_OR_RETURN(id.party, crypto::PartyFromPem(id.cert_pem));
  BO_ASSIGN_OR_RETURN(id.key, crypto::PrivateKeyFromPem(key_pem));
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ca;
  tls.pem_cert_chain = id.cert_pem;
  tls.pem_private_key = key_pem;
  // Each identity has its own connection (and TLS client certificate), as
  // separate bidders' machines would.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  id.channel = grpc::CreateCustomChannel(server, grpc::SslCredentials(tls), args);
  return id;
}

absl::Status SignInto(grpc::ClientContext* ctx, const Identity& who, absl::string_view method,
                      const google::protobuf::Message& request) {
  BO_ASSIGN_OR_RETURN(v1::SignedAction sa, SignAction(who.key.get(), method, request, absl::Now()));
  ctx->AddMetadata(kActionMetadata, sa.SerializeAsString());
  return absl::OkStatus();
}

absl::StatusOr<v1::Tender> CreateBenchTender(const Identity& agency, const std::string& title) {
  v1::CreateTenderRequest req;
  req.set_title(title);
  req.set_time_zone("UTC");
  *req.add_lots() = BenchLot();
  v1::Tender out;
  auto stub = v1::TenderService::NewStub(agency.channel);
  std::unique_ptr<grpc::ClientContext> ctx = Context();
  BO_RETURN_IF_ERROR(SignInto(ctx.get(), agency, "/bidopen.v1.TenderService/CreateTender", req));
  BO_RETURN_IF_ERROR(FromGrpc(stub->CreateTender(ctx.get(), req, &out), "CreateTender"));
  return out;
}

absl::StatusOr<std::string> RegisterFreshKey(const Identity& bidder) {
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair pair, crypto::GenerateX25519());
  v1::RegisterKeyRequest req;
  req.set_x25519_public_key(pair.public_key);
  v1::RegisteredKey out;
  auto stub = v1::IdentityService::NewStub(bidder.channel);
  BO_RETURN_IF_ERROR(FromGrpc(stub->RegisterKey(Context().get(), req, &out),
                              absl::StrCat("RegisterKey as ", bidder.name)));
  return pair.public_key;
}

absl::Status MakeDocument(const std::string& path, uint64_t bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).close();
  if (::truncate(path.c_str(), static_cast<off_t>(bytes)) != 0)
    return absl::PermissionDeniedError(absl::StrCat("cannot make the document ", path));
  return absl::OkStatus();
}

uint64_t DocumentBytesFor(uint64_t sealed_bytes) {
  // Each 64 KiB chunk gains a 16-byte tag; header and manifest take < 4 KiB.
  const uint64_t tags = (sealed_bytes / seal::kDefaultChunkSize + 1) * 16;
  return sealed_bytes - tags - 4096;
}

absl::StatusOr<SealedFile> SealBenchBid(const Identity& bidder, const std::string& bidder_public,
                                        const v1::Tender& tender, const std::string& document,
                                        const std::string& path) {
  seal::SealParams params;
  params.tender_id = tender.id();
  params.lot = tender.lots(0);
  params.keys.bidder_fingerprint = bidder.party.fingerprint();
  params.keys.bidder_public = bidder_public;
  params.form = {{"price", "1234.50"}};
  params.documents = {{"offer.bin", document}};
  params.env = &platform::DefaultFileEnv();
  params.hash_ciphertext = true;  // the statement and the upload start name it
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  SealedFile file{path, {}};
  BO_ASSIGN_OR_RETURN(file.result, seal::SealBid(params, out));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  return file;
}

}  // namespace bidopen::bench
