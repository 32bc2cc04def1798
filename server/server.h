// bidopend assembled: database, migrations, query tables, services, gRPC.
#ifndef BIDOPEN_SERVER_SERVER_H_
#define BIDOPEN_SERVER_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "core/clock.h"
#include "server/app/audit_app.h"
#include "server/app/bid_app.h"
#include "server/app/identity_app.h"
#include "server/app/opening_app.h"
#include "server/app/tender_app.h"
#include "server/audit/audit_log.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"
#include "server/auth/revocations.h"
#include "server/config.h"
#include "server/rpc/upload_streams.h"
#include "server/store/event_log.h"
#include "server/store/pool.h"
#include "server/watch/event_hub.h"

namespace bidopen {

class Server {
 public:
  // Connects as the application role, checks that the schema is migrated,
  // brings the query tables up to date and starts serving.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerConfig& config,
                                                       const Clock& clock);
  // Applies the pending migrations as the --database role (the owner role);
  // returns how many it applied.
  static absl::StatusOr<int> Migrate(const ServerConfig& config);
  ~Server();

  int port() const { return port_; }
  void Shutdown();

 private:
  Server() = default;
  absl::Status Open(const ServerConfig& config, const Clock& clock);
  absl::Status Serve(const ServerConfig& config);
  absl::Status OpenAuditLog(const ServerConfig& config, const Clock& clock);
  void Housekeeping(absl::Duration interval);
  void Opener();
  absl::Status OpenOpenings(const ServerConfig& config);
  absl::Status OpenHub(const ServerConfig& config);
  absl::Status ReloadRevocations();
  void Add(std::string name, std::unique_ptr<grpc::Service> service);

  std::unique_ptr<store::Pool> pool_;
  std::unique_ptr<store::Pool> log_pool_;  // the event log's own connection
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<app::AuditApp> audit_app_;
  std::unique_ptr<app::TenderApp> tenders_;
  std::unique_ptr<app::IdentityApp> identities_;
  std::unique_ptr<app::BidApp> bids_;
  std::unique_ptr<app::OpeningApp> openings_;
  std::unique_ptr<auth::CallLimits> limits_;
  std::unique_ptr<rpc::UploadStreams> upload_streams_;  // outlives the services' calls
  auth::RevocationList revoked_;
  uint64_t revocations_read_ = 0;  // the log is folded for revocations up to here
  auth::Authorizer authorizer_{revoked_};
  std::unique_ptr<watch::EventHub> hub_;  // outlives the Watch calls (grpc_ goes first)
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::vector<std::string> service_names_;  // full names, for the rule check
  std::unique_ptr<grpc::Server> grpc_;
  int port_ = 0;
  absl::Notification stop_;
  std::thread publisher_;
  std::thread opener_;  // auto-starts, decryption, verdicts at the window's end
};

}  // namespace bidopen

#endif  // BIDOPEN_SERVER_SERVER_H_
