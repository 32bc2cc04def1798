// bidctl receipt verify: checks a receipt offline with the trusted CA and,
// online, that its event is in the log the server signs (design.md §5).
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "client/audit_state.h"
#include "client/command.h"
#include "client/log_head.h"
#include "client/receipt_file.h"
#include "client/receipt_text.h"
#include "client/trusted_ca.h"
#include "core/crypto/sha256.h"
#include "core/log/bundle.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

struct VerifyFlags {
  std::string path;
  bool offline = false;
};

// Where the receipt's event stands in the log, as checked online.
struct InLog {
  v1::SignedTreeHead head;
  std::optional<uint64_t> previous;  // size of the head verified before, if any
};

absl::Status SameLogKey(const v1::Receipt& r, const v1::SignedTreeHead& head) {
  if (r.log_certificate_pem() == head.log_certificate_pem()) return absl::OkStatus();
  return absl::DataLossError(
      "receipt: its log certificate is not the one that signs the server's tree heads");
}

// The current signed head (verified, extending the remembered one, then
// remembered) includes the receipt's event.
absl::StatusOr<InLog> CheckInLog(const Globals& g, const v1::Receipt& r,
                                 const bid::VerifiedReceipt& v, const std::string& ca) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  AuditStub stub = v1::AuditService::NewStub(s.channel);
  InLog out;
  BO_ASSIGN_OR_RETURN(out.head, FetchHead(s, stub));
  BO_RETURN_IF_ERROR(log::VerifyHead(out.head, ca).status());
  BO_RETURN_IF_ERROR(SameLogKey(r, out.head));
  BO_ASSIGN_OR_RETURN(auto extension, Extension(s, stub, out.head));
  if (extension) out.previous = extension->first.size();
  BO_ASSIGN_OR_RETURN(log::Hash leaf, log::HashFromBytes(v.body.leaf_hash()));
  BO_RETURN_IF_ERROR(CheckIncluded(s, stub, out.head, v.body.seq(), leaf));
  BO_RETURN_IF_ERROR(RememberHead(out.head));
  return out;
}

std::string InLogText(const std::optional<InLog>& in) {
  if (!in) return "not checked (--offline); run without --offline to check the inclusion proof";
  return absl::StrCat("included in the signed tree head of size ", in->head.size(), " (signed ",
                      TimeText(in->head.time(), absl::UTCTimeZone()), "); ",
                      in->previous ? absl::StrCat("consistent with the head of size ",
                                                  *in->previous, " you verified before")
                                   : std::string("first head seen from this log; remembered"));
}

std::string Proves(const bid::VerifiedReceipt& v, bool in_log) {
  const bool withdrawal = v.body.kind() == v1::RECEIPT_KIND_WITHDRAWN;
  return absl::StrCat(
      "This proves that the platform's log key, certified by your CA, signed that\n  the server "
      "recorded ",
      withdrawal ? "the withdrawal of the bid in this sealed file" : "this sealed file as a bid",
      " at ", ReceivedText(v), " (server clock),\n  signed by the bidder above, at index ",
      v.body.seq(), " of log ", v.body.log_origin(),
      in_log ? ";\n  the log the server signs now contains that entry (inclusion proof verified)."
             : ".");
}

void PrintText(const bid::VerifiedReceipt& v, const std::optional<InLog>& in) {
  std::cout << "OK: receipt verified: a " << ReceiptKindName(v.body.kind())
            << ", signed by the log key, over the bidder's own signed statement\n";
  PrintReceiptLines(std::cout, v);
  std::cout << "  in the log    " << InLogText(in) << "\n" << Proves(v, in.has_value()) << "\n";
}

void PrintJsonResult(const bid::VerifiedReceipt& v, const std::optional<InLog>& in) {
  const v1::BidStatement& s = v.statement;
  nlohmann::json j = {{"ok", true},
                      {"kind", ReceiptKindName(v.body.kind())},
                      {"tender_id", s.tender_id()},
                      {"lot", s.lot()},
                      {"bidder", s.bidder()},
                      {"ciphertext_sha256", crypto::Hex(s.ciphertext_sha256())},
                      {"header_sha256", crypto::Hex(s.header_sha256())},
                      {"size", s.size()},
                      {"received", ReceivedText(v)},
                      {"log_index", v.body.seq()},
                      {"log_origin", v.body.log_origin()},
                      {"included_in_tree_size", nullptr}};
  if (in) j["included_in_tree_size"] = in->head.size();
  std::cout << j.dump(2) << "\n";
}

absl::Status Verify(const Globals& g, const VerifyFlags& f) {
  BO_ASSIGN_OR_RETURN(std::string ca, ReadTrustedCa(g));
  BO_ASSIGN_OR_RETURN(v1::Receipt receipt, ReadReceipt(f.path));
  auto v = bid::VerifyReceipt(receipt, ca);
  if (!v.ok())
    return absl::Status(v.status().code(), absl::StrCat(v.status().message(), " (", f.path, ")"));
  std::optional<InLog> in;
  if (!f.offline) {
    BO_ASSIGN_OR_RETURN(in, CheckInLog(g, receipt, *v, ca));
  }
  g.json ? PrintJsonResult(*v, in) : PrintText(*v, in);
  return absl::OkStatus();
}

}  // namespace

void AddReceiptCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("receipt", "Check the receipts of submissions and withdrawals");
  cmd->require_subcommand(1);
  auto f = std::make_shared<VerifyFlags>();
  auto* v = cmd->add_subcommand(
      "verify", "Check a receipt's signature (offline) and that the log includes it (online)");
  v->add_option("receipt", f->path, "Receipt file (from `bid submit` or `bid withdraw`)")
      ->required();
  v->add_flag("--offline", f->offline,
              "Check only the signature and contents with the CA; do not contact bidopend");
  v->callback([&g, &action, f] { action = [&g, f] { return Verify(g, *f); }; });
}

}  // namespace bidopen::client
