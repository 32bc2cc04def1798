#include "client/connection.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/opening/time_text.h"
#include "platform/files.h"

namespace bidopen::client {

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const Profile& p) {
  grpc::SslCredentialsOptions opts;
  auto ca = ReadFileBytes(p.ca, "--ca");
  if (!ca.ok()) return ca.status();
  auto cert = ReadFileBytes(p.cert, "--cert");
  if (!cert.ok()) return cert.status();
  auto key = ReadFileBytes(p.key, "--key");
  if (!key.ok()) return key.status();
  opts.pem_root_certs = *ca;
  opts.pem_cert_chain = *cert;
  opts.pem_private_key = *key;
  return grpc::CreateChannel(p.server, grpc::SslCredentials(opts));
}

std::unique_ptr<grpc::ClientContext> CallContext(int seconds) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

grpc::Status RetryWhileBusy(const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  constexpr int kRetries = 12;
  absl::Duration backoff = absl::Milliseconds(500);
  for (int retry = 1;; ++retry) {
    const grpc::Status st = call(CallContext().get());
    if (st.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED ||
        st.error_message() != kServerBusy || retry > kRetries)
      return st;
    std::cerr << "bidctl: RESOURCE_EXHAUSTED: " << kServerBusy << "; retry " << retry << " of "
              << kRetries << " in " << DurationText(backoff) << "\n";
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(8));
  }
}

absl::Status FromGrpc(const grpc::Status& st, const Profile& p) {
  if (st.ok()) return absl::OkStatus();
  auto code = static_cast<absl::StatusCode>(st.error_code());
  std::string msg = st.error_message();
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded)
    absl::StrAppend(&msg, " (could not talk to bidopend at ", p.server,
                    " over mutual TLS: is it running, does --ca match the server, and was "
                    "--cert issued by the server's CA?)");
  return absl::Status(code, msg);
}

}  // namespace bidopen::client
