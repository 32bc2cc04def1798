#include "tests/e2e/e2e_fixture.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/crypto/signature.h"
#include "core/opening/signed_action.h"
#include "platform/files.h"
#include "server/store/pg.h"

namespace bidopen::testing {

std::vector<std::string> E2eTest::ServerArgs(const std::string& conninfo, const std::string& listen,
                                             const std::string& port_file) const {
  std::vector<std::string> args = {BIDOPEND_PATH,
                                   "--listen",
                                   listen,
                                   "--port-file",
                                   port_file,
                                   "--tls-cert",
                                   pki_ + "/server.crt",
                                   "--tls-key",
                                   pki_ + "/server.key",
                                   "--client-ca",
                                   pki_ + "/ca.crt",
                                   "--log-key",
                                   pki_ + "/log.key",
                                   "--log-cert",
                                   pki_ + "/log.crt",
                                   "--release-key",
                                   pki_ + "/release.key",
                                   "--head-interval",
                                   "0.2",
                                   "--database",
                                   conninfo,
                                   "--pool-size",
                                   "2",
                                   "--min-lead-time",
                                   "0"};
  args.insert(args.end(), server_flags_.begin(), server_flags_.end());
  return args;
}

void E2eTest::StartServer(const TestDatabase* db, int port) {
  if (db == nullptr) db = &db_;
  CommandResult migrated =
      RunCommand({BIDOPEND_PATH, "--migrate-only", "--database", db->owner_conninfo()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  std::string port_file = dir_.path() + "/port";
  std::filesystem::remove(port_file);
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  server_ = Spawn(ServerArgs(db->app_conninfo(), listen, port_file), dir_.path() + "/bidopend.log");
  for (int i = 0; i < 300 && !std::filesystem::exists(port_file); ++i)
    absl::SleepFor(absl::Milliseconds(50));
  ASSERT_TRUE(std::filesystem::exists(port_file)) << "bidopend did not start:\n"
                                                  << ReadWholeFile(dir_.path() + "/bidopend.log");
  port_ = std::stoi(ReadWholeFile(port_file));
}

std::shared_ptr<grpc::Channel> E2eTest::Channel(const std::string& identity) const {
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
  opts.pem_cert_chain = ReadWholeFile(Cert(identity));
  opts.pem_private_key = ReadWholeFile(Key(identity));
  return grpc::CreateChannel(server(), grpc::SslCredentials(opts));
}

void E2eTest::Sql(const std::string& sql) {
  auto conn = store::Conn::Open(db_.conninfo());
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::Status st = (*conn)->Exec(sql);
  ASSERT_TRUE(st.ok()) << st << "\n" << sql;
}

CommandResult E2eTest::Bidctl(const std::string& identity, std::vector<std::string> args,
                              const std::string& pki) {
  std::string dir = pki.empty() ? pki_ : pki;
  std::vector<std::string> argv = {BIDCTL_PATH,
                                   "--server",
                                   server(),
                                   "--ca",
                                   pki_ + "/ca.crt",
                                   "--cert",
                                   dir + "/" + identity + ".crt",
                                   "--key",
                                   dir + "/" + identity + ".key"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {"BIDOPEN_CONFIG_DIR=" + dir_.path() + "/config"});
}

std::string InDays(int days, const char* zone) {
  absl::TimeZone tz;
  absl::LoadTimeZone(zone, &tz);
  return absl::FormatTime("%Y-%m-%d 09:30", absl::Now() + absl::Hours(24 * days), tz);
}

std::string LocalTimeAfter(absl::Duration ahead, const char* zone) {
  absl::TimeZone tz;
  absl::LoadTimeZone(zone, &tz);
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() + ahead, tz);
}

std::string E2eTest::SignedAction(const std::string& identity, const std::string& method,
                                  const google::protobuf::Message& request) const {
  absl::StatusOr<std::string> pem = ReadFileBytes(Key(identity), "key");
  EXPECT_TRUE(pem.ok()) << pem.status();
  if (!pem.ok()) return "";
  absl::StatusOr<crypto::PkeyPtr> key = crypto::PrivateKeyFromPem(*pem);
  EXPECT_TRUE(key.ok()) << key.status();
  if (!key.ok()) return "";
  absl::StatusOr<v1::SignedAction> sa = SignAction(key->get(), method, request, absl::Now());
  EXPECT_TRUE(sa.ok()) << sa.status();
  return sa.ok() ? sa->SerializeAsString() : "";
}

void E2eTest::Sign(grpc::ClientContext* ctx, const std::string& identity, const std::string& method,
                   const google::protobuf::Message& request) const {
  ctx->AddMetadata(kActionMetadata, SignedAction(identity, method, request));
}

std::string E2eTest::CreateTender(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> flags = {{"--title", "Road resurfacing"},
                                              {"--timezone", "Asia/Shanghai"},
                                              {"--deadline", InDays(30)},
                                              {"--field", "price:decimal:CNY"},
                                              {"--policy", "BIDDER"}};
  for (const auto& [k, v] : overrides) flags[k] = v;
  std::vector<std::string> args = {"tender", "create", "--json"};
  for (const auto& [k, v] : flags) args.insert(args.end(), {k, v});
  CommandResult r = Bidctl("agency1", args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return TenderIdOf(r.out);
}

std::string TenderIdOf(const std::string& json) {
  auto at = json.find("\"id\": \"");
  if (at == std::string::npos) return "";
  at += 7;
  return json.substr(at, json.find('"', at) - at);
}

}  // namespace bidopen::testing
