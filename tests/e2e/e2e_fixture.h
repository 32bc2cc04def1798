// A real bidopend (mutual TLS, own database) and bidctl run as each identity.
#ifndef BIDOPEN_TESTS_E2E_E2E_FIXTURE_H_
#define BIDOPEN_TESTS_E2E_E2E_FIXTURE_H_

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"

namespace bidopen::testing {

// The tender id in `bidctl --json tender create` output ("" if none).
std::string TenderIdOf(const std::string& json);

// "YYYY-MM-DD 09:30" `days` from now, in `zone`. The time of day is fixed, so
// the span from now to it depends on when the test runs (29 d 23 h at 09:31,
// 30 d 0 h at 09:29): never assert a countdown to it; use LocalTimeAfter.
std::string InDays(int days, const char* zone = "Asia/Shanghai");

// "YYYY-MM-DD HH:MM" `ahead` from now, in `zone`: a countdown to it is `ahead`
// less the seconds since the minute began, whatever the time of day.
std::string LocalTimeAfter(absl::Duration ahead, const char* zone = "Asia/Shanghai");

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }
  void TearDown() override { Stop(server_, SIGTERM); }

  // Migrates `db` (default: this test's database) as its owner role, then
  // starts bidopend on it as the application role, as deploy/ does, listening
  // on `port` (default: any free port; port_ says which).
  void StartServer(const TestDatabase* db = nullptr, int port = 0);
  // bidopend's arguments to serve `conninfo` on `listen`, writing `port_file`.
  std::vector<std::string> ServerArgs(const std::string& conninfo, const std::string& listen,
                                      const std::string& port_file) const;
  // Runs SQL on this test's database (as its superuser); expects success.
  void Sql(const std::string& sql);
  // The server log so far (for messages it printed at start-up).
  std::string ServerLog() const { return ReadWholeFile(dir_.path() + "/bidopend.log"); }
  void KillServer() {
    Stop(server_, SIGKILL);
    server_ = -1;
  }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

  // A mutual-TLS channel to the server as `identity`, for raw RPCs.
  std::shared_ptr<grpc::Channel> Channel(const std::string& identity) const;

  // bidctl with the certificate of `identity` (e.g. "agency1") from `pki`.
  CommandResult Bidctl(const std::string& identity, std::vector<std::string> args,
                       const std::string& pki = "");
  std::string Cert(const std::string& identity) const { return pki_ + "/" + identity + ".crt"; }
  std::string Key(const std::string& identity) const { return pki_ + "/" + identity + ".key"; }
  // Signs `request` for `method` (the RPC's full name) as `identity`, as
  // bidctl does for an action the log keeps signed (docs/protocol.md "Signed
  // actions"), into `ctx`'s metadata.
  void Sign(grpc::ClientContext* ctx, const std::string& identity, const std::string& method,
            const google::protobuf::Message& request) const;
  // The metadata value Sign adds (a serialized SignedAction), signed now.
  std::string SignedAction(const std::string& identity, const std::string& method,
                           const google::protobuf::Message& request) const;

  // Creates a one-lot tender as agency1 (flags override the defaults) and
  // returns its id (expects success).
  std::string CreateTender(const std::map<std::string, std::string>& overrides = {});

  std::string pki_ = RequireEnv("BIDOPEN_TEST_PKI");
  std::vector<std::string> server_flags_;  // more bidopend flags, set before SetUp
  std::string foreign_pki_ = RequireEnv("BIDOPEN_TEST_FOREIGN_PKI");
  TestDatabase db_;
  TempDir dir_;
  pid_t server_ = -1;
  int port_ = 0;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_E2E_E2E_FIXTURE_H_
