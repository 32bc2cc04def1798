#include "server/config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <vector>

namespace bidopen {

namespace {

// --NAME-burst and --NAME-interval for one rate rule; the interval is in
// seconds and converted after parsing (ApplyRateIntervals).
void AddRateOptions(CLI::App& app, const std::string& name, const std::string& what,
                    RateRule& rule) {
  app.add_option("--" + name + "-burst", rule.burst,
                 "Per certificate: " + what + " allowed at once (0: no limit, for benchmarks)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  app.add_option_function<double>(
         "--" + name + "-interval",
         [&rule](double seconds) { rule.interval = absl::Seconds(seconds); },
         "Per certificate: seconds until one more of the " + what + " is allowed (default " +
             absl::FormatDuration(rule.interval) + ")")
      ->check(CLI::Range(0.001, 86400.0));
}

}  // namespace

ServerConfig ParseServerConfig(int argc, char** argv) {
  ServerConfig c;
  CLI::App app{"bidopend: the bidopen remote bid-opening server (gRPC over mutual TLS)"};
  app.set_config("--config", "", "Read options from a file of `key = value` lines");
  app.add_option("--listen", c.listen, "Address to listen on (port 0: any free port)")
      ->capture_default_str();
  // Required to serve; --migrate-only needs only --database.
  const std::vector<CLI::Option*> serving = {
      app.add_option("--tls-cert", c.tls.cert, "Server certificate (PEM); required to serve"),
      app.add_option("--tls-key", c.tls.key, "Server private key (PEM); required to serve"),
      app.add_option("--client-ca", c.tls.client_ca,
                     "CA certificate (PEM) that issues client certificates; required to serve"),
      app.add_option("--log-key", c.log_key,
                     "Audit-log signing key (PEM, ECDSA P-256); required to serve"),
      app.add_option("--log-cert", c.log_cert,
                     "Certificate of the audit-log key (PEM); required to serve"),
      app.add_option("--release-key", c.release_key,
                     "At-rest key for released keys and opened bids: a file of 64 hex digits "
                     "(openssl rand -hex 32), kept outside the database; required to serve")};
  app.add_option("--log-origin", c.log_origin, "Name of this log in its checkpoints")
      ->capture_default_str();
  double head_seconds = absl::ToDoubleSeconds(c.head_interval);
  app.add_option("--head-interval", head_seconds,
                 "Seconds between signed tree heads while the log grows")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--database", c.database,
                 "PostgreSQL conninfo of the application role, e.g. \"host=127.0.0.1 port=5432"
                 " dbname=bidopen user=bidopen_app passfile=app.pgpass\" (with --migrate-only:"
                 " of the owner role)")
      ->required();
  app.add_flag("--migrate-only", c.migrate_only,
               "Apply the pending database migrations as the --database role (the schema's"
               " owner) and exit");
  app.add_option("--pool-size", c.pool_size, "Database connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--stream-window", c.stream_window,
                 "Bytes a client may have in flight on one stream (HTTP/2 window); bounds memory"
                 " per upload")
      ->check(CLI::Range(64 * 1024, 64 << 20))
      ->capture_default_str();
  app.add_option("--max-bid-size", c.max_bid_size, "Largest sealed bid accepted, in bytes")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 40))
      ->capture_default_str();
  double min_lead_seconds = absl::ToDoubleSeconds(c.min_lead);
  app.add_option("--min-lead-time", min_lead_seconds,
                 "Shortest time, in seconds, from creating or amending a lot to its submission "
                 "deadline; a deadline closer than this is refused (tests and demos may set 0)")
      ->check(CLI::Range(0.0, 30 * 24 * 3600.0))
      ->capture_default_str();
  app.add_option("--max-response-bytes", c.response_bytes,
                 "Most bytes of entries, tenders or keys in one list or event response; longer "
                 "lists are paged (one item always fits)")
      ->check(CLI::Range(size_t{4096}, size_t{3} << 20))
      ->capture_default_str();
  AddRateOptions(app, "append",
                 "calls that append to the log (tenders, amendments, uploads, "
                 "withdrawals, key registrations)",
                 c.call_limits.appends);
  AddRateOptions(app, "key", "key registrations", c.call_limits.keys);
  AddStreamLimitFlags(app, c.streams);
  double max_step_seconds = absl::ToDoubleSeconds(c.max_clock_step);
  app.add_option("--max-clock-step", max_step_seconds,
                 "Seconds the wall clock may be set back or forward (against the monotonic clock "
                 "since start-up), or read before the log's last event, before bidopend refuses "
                 "writes with UNAVAILABLE until an operator sets the clock right")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str();
  app.add_option("--port-file", c.port_file,
                 "Write the bound port here once serving (for scripts and tests)");
  try {
    app.parse(argc, argv);
    for (const CLI::Option* option : serving)
      if (!c.migrate_only && option->count() == 0) throw CLI::RequiredError(option->get_name());
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  if (std::string problem = StreamLimitsProblem(c.streams, c.max_bid_size); !problem.empty())
    std::exit(app.exit(CLI::ValidationError(problem)));
  c.head_interval = absl::Seconds(head_seconds);
  c.min_lead = absl::Seconds(min_lead_seconds);
  c.max_clock_step = absl::Seconds(max_step_seconds);
  return c;
}

}  // namespace bidopen
