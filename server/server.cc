#include "server/server.h"

#include <grpcpp/resource_quota.h>
#include <grpcpp/server_builder.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/evaluation.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "core/crypto/certificate.h"
#include "core/status_macros.h"
#include "platform/files.h"
#include "server/auth/tls.h"
#include "server/rpc/audit_service.h"
#include "server/rpc/bid_service.h"
#include "server/rpc/identity_service.h"
#include "server/rpc/opening_service.h"
#include "server/rpc/tender_service.h"
#include "server/store/migrations.h"
#include "server/store/projector.h"
#include "server/store/revocation_rows.h"
#include "server/store/serving_role.h"

namespace bidopen {
namespace {

int Millis(absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); }

// What one connection may hold (docs/operations.md "Limits per client"). The
// thread quota is the sync server's: a call that arrives when every thread
// is busy is answered RESOURCE_EXHAUSTED "Server Threadpool Exhausted".
void ApplyStreamLimits(const StreamLimits& l, grpc::ServerBuilder& builder) {
  grpc::ResourceQuota quota("bidopend");
  quota.SetMaxThreads(l.max_threads);
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, l.max_streams_per_connection);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(l.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(l.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);  // keep probing a stall
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, Millis(l.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Millis(l.min_client_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, l.max_ping_strikes);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerConfig& config,
                                                      const Clock& clock) {
  std::unique_ptr<Server> server(new Server());
  BO_RETURN_IF_ERROR(server->Open(config, clock));
  BO_RETURN_IF_ERROR(server->Serve(config));
  return server;
}

absl::StatusOr<int> Server::Migrate(const ServerConfig& config) {
  BO_ASSIGN_OR_RETURN(std::unique_ptr<store::Conn> conn, store::Conn::Open(config.database));
  return store::Migrate(*conn, store::EmbeddedMigrations());
}

Server::~Server() {
  Shutdown();
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (publisher_.joinable()) publisher_.join();
  if (opener_.joinable()) opener_.join();
}

absl::Status Server::Open(const ServerConfig& config, const Clock& clock) {
  BO_ASSIGN_OR_RETURN(pool_, store::Pool::Create(config.database, config.pool_size));
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_->Acquire());
    BO_RETURN_IF_ERROR(store::CheckServingRole(*conn, store::EmbeddedMigrations()));
  }
  BO_RETURN_IF_ERROR(OpenAuditLog(config, clock));
  // The log's one writer has its own connection: appends never queue behind
  // upload chunks for the shared pool.
  BO_ASSIGN_OR_RETURN(log_pool_, store::Pool::Create(config.database, 1));
  log_ = std::make_unique<store::EventLog>(*log_pool_, clock, audit_->tree(), config.max_clock_step,
                                           &audit_->commit_mu());
  if (!audit_->integrity().ok()) {
    std::cerr << "bidopend: " << audit_->integrity().message() << "\n";
    log_->RefuseWrites(audit_->integrity());
  } else {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_->Acquire());
    BO_ASSIGN_OR_RETURN(bool rebuilt, store::Projector::EnsureCurrent(*conn));
    if (rebuilt && audit_->tree().committed_size() > 0)
      std::clog << "bidopend: rebuilt the query tables from the event log\n";
  }
  BO_RETURN_IF_ERROR(ReloadRevocations());
  tenders_ = std::make_unique<app::TenderApp>(*pool_, *log_, config.min_lead, config.response_bytes,
                                              &revoked_);
  identities_ = std::make_unique<app::IdentityApp>(*pool_, *log_, revoked_, config.response_bytes);
  audit_app_ = std::make_unique<app::AuditApp>(*pool_, *audit_, config.response_bytes, log_.get());
  bids_ = std::make_unique<app::BidApp>(
      *pool_, *log_, audit_->signer(),
      app::UploadLimits{config.max_bid_size, config.streams.partial_upload_quota,
                        config.streams.upload_idle_timeout});
  limits_ = std::make_unique<auth::CallLimits>(clock, config.call_limits);
  BO_RETURN_IF_ERROR(OpenOpenings(config));
  BO_RETURN_IF_ERROR(OpenHub(config));
  publisher_ = std::thread([this, interval = config.head_interval] { Housekeeping(interval); });
  opener_ = std::thread([this] { Opener(); });
  return absl::OkStatus();
}

// The live hall's fan-out: its own connection LISTENs for every replica's
// appends; the heartbeat is the server's signed time.
absl::Status Server::OpenHub(const ServerConfig& config) {
  BO_ASSIGN_OR_RETURN(std::unique_ptr<store::Conn> conn, store::Conn::Open(config.database));
  auto sign_now = [this]() -> absl::StatusOr<v1::SignedTreeHead> {
    BO_ASSIGN_OR_RETURN(absl::Time now, log_->Now());
    return audit_->SignedNow(now);
  };
  BO_ASSIGN_OR_RETURN(hub_, watch::EventHub::Start(std::move(conn), sign_now, absl::Seconds(1)));
  return absl::OkStatus();
}

// The at-rest key, and the server as a party (the log certificate's): the
// actor of what it appends by itself at an opening.
absl::Status Server::OpenOpenings(const ServerConfig& config) {
  BO_ASSIGN_OR_RETURN(opening::AtRestKey key, opening::AtRestKey::Load(config.release_key));
  BO_ASSIGN_OR_RETURN(v1::Party server, crypto::AnyPartyFromPem(audit_->signer().cert_pem()));
  openings_ =
      std::make_unique<app::OpeningApp>(*pool_, *log_, *audit_, std::move(key), std::move(server));
  return absl::OkStatus();
}

// Every 300 ms: the openings' own work (OpeningApp::Tick). An error is
// printed once until it changes.
void Server::Opener() {
  std::string last;
  while (!stop_.WaitForNotificationWithTimeout(absl::Milliseconds(300))) {
    absl::Status st = openings_->Tick();
    std::string now = st.ok() ? "" : std::string(st.message());
    if (!now.empty() && now != last) std::cerr << "bidopend: opening: " << now << "\n";
    last = now;
  }
}

absl::Status Server::OpenAuditLog(const ServerConfig& config, const Clock& clock) {
  BO_ASSIGN_OR_RETURN(std::string key, ReadFileBytes(config.log_key, "--log-key"));
  BO_ASSIGN_OR_RETURN(std::string cert, ReadFileBytes(config.log_cert, "--log-cert"));
  BO_ASSIGN_OR_RETURN(audit::HeadSigner signer,
                      audit::HeadSigner::Create(config.log_origin, key, cert));
  BO_ASSIGN_OR_RETURN(
      audit_, audit::AuditLog::Open(*pool_, std::move(signer), clock, config.max_clock_step));
  return absl::OkStatus();
}

// Revocations another replica appended reach this one here (the list only grows).
absl::Status Server::ReloadRevocations() {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_->Acquire());
  Revocations found;
  BO_ASSIGN_OR_RETURN(revocations_read_,
                      store::FoldRevocationsFromLog(*conn, revocations_read_, &found));
  revoked_.Merge(found);
  return absl::OkStatus();
}

// Every `interval`: signs a new tree head if the log grew, discards uploads
// still partial at their lot's deadline, and re-reads the revocations.
void Server::Housekeeping(absl::Duration interval) {
  while (!stop_.WaitForNotificationWithTimeout(interval)) {
    if (absl::Status st = ReloadRevocations(); !st.ok())
      std::cerr << "bidopend: reading revoked certificates: " << st.message() << "\n";
    if (absl::Status st = log_->CatchUpWithOthers(); !st.ok())
      std::cerr << "bidopend: catching up with other replicas' appends: " << st.message() << "\n";
    if (auto head = audit_->Head(); !head.ok() && audit_->integrity().ok())
      std::cerr << "bidopend: publishing a tree head: " << head.status().message() << "\n";
    if (auto late = bids_->DiscardLate(); !late.ok())
      std::cerr << "bidopend: discarding late uploads: " << late.status().message() << "\n";
    else if (*late > 0)
      std::clog << "bidopend: discarded " << *late << " partial upload(s) at their deadline\n";
  }
}

absl::Status Server::Serve(const ServerConfig& config) {
  BO_ASSIGN_OR_RETURN(auto creds, auth::ServerCredentials(config.tls));
  Add(v1::TenderService::service_full_name(),
      std::make_unique<rpc::TenderService>(*tenders_, authorizer_, *limits_));
  Add(v1::IdentityService::service_full_name(),
      std::make_unique<rpc::IdentityService>(*identities_, authorizer_, *limits_));
  upload_streams_ = std::make_unique<rpc::UploadStreams>(config.streams.max_uploads_per_identity,
                                                         config.streams.upload_idle_timeout);
  Add(v1::BidService::service_full_name(),
      std::make_unique<rpc::BidService>(*bids_, authorizer_, *upload_streams_, *limits_));
  Add(v1::OpeningService::service_full_name(),
      std::make_unique<rpc::OpeningService>(*openings_, authorizer_, *limits_, *pool_, *hub_));
  Add(v1::CustodyService::service_full_name(),
      std::make_unique<rpc::CustodyService>(*openings_, authorizer_, *limits_));
  Add(v1::AuditService::service_full_name(),
      std::make_unique<rpc::AuditService>(*audit_app_, authorizer_));
  // Declared, not built yet: the generated base class answers UNIMPLEMENTED.
  Add(v1::EvaluationService::service_full_name(),
      std::make_unique<v1::EvaluationService::Service>());
  // Fails closed: a method without an authorization rule stops the start.
  BO_RETURN_IF_ERROR(auth::CheckEveryMethodHasARule(service_names_));
  grpc::ServerBuilder builder;
  // A fixed window per stream: without it, gRPC grows the window until a
  // whole bid is in flight, which costs memory in a deadline surge.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, config.stream_window);
  // Bounds what one message may make the server allocate before it is parsed.
  builder.SetMaxReceiveMessageSize(limits::kMaxRequestBytes);
  ApplyStreamLimits(config.streams, builder);
  builder.AddListeningPort(config.listen, creds, &port_);
  for (auto& s : services_) builder.RegisterService(s.get());
  grpc_ = builder.BuildAndStart();
  if (!grpc_ || port_ == 0)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config.listen));
  return absl::OkStatus();
}

void Server::Add(std::string name, std::unique_ptr<grpc::Service> service) {
  service_names_.push_back(std::move(name));
  services_.push_back(std::move(service));
}

void Server::Shutdown() {
  if (!grpc_) return;
  grpc_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc_->Wait();
  grpc_.reset();
}

}  // namespace bidopen
