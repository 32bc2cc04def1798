// bidctl bid submit: the resumable upload of a sealed bid and its receipt
// (docs/protocol.md "Submitting a bid").
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/local_identity.h"
#include "client/my_bids.h"
#include "client/progress.h"
#include "client/receipt_file.h"
#include "client/receipt_text.h"
#include "client/seal_record.h"
#include "client/sealed_file.h"
#include "client/upload.h"
#include "core/bid/bid_rules.h"
#include "core/bid/statement.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

struct SubmitFlags {
  std::string file;
  bool resume = false;
  int retries = 12;  // backoff 0.5 s doubling to 8 s: 71.5 s, past the server's 60 s idle limit
  std::string out;   // default: FILE.receipt
  size_t chunk = 256 * 1024;
};

UploadPlan PlanFor(const SealedFile& file, const SignedStatement& st, const SubmitFlags& f) {
  UploadPlan plan;
  plan.path = file.path;
  plan.start.set_tender_id(file.header.tender_id());
  plan.start.set_lot(file.header.lot());
  plan.start.set_size(file.size);
  plan.start.set_ciphertext_sha256(file.ciphertext_sha256);
  plan.commit.set_statement(st.bytes);
  plan.commit.set_signature(st.signature);
  plan.chunk = f.chunk;
  plan.retries = f.retries;
  plan.resume = f.resume;
  return plan;
}

// DATA_LOSS unless the receipt verifies and is for this file.
absl::StatusOr<bid::VerifiedReceipt> CheckReceipt(const Session& s, const v1::Receipt& receipt,
                                                  const SealedFile& file) {
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  BO_ASSIGN_OR_RETURN(bid::VerifiedReceipt v, bid::VerifyReceipt(receipt, ca));
  if (v.statement.ciphertext_sha256() != file.ciphertext_sha256 ||
      v.statement.lot() != file.header.lot() || v.statement.tender_id() != file.header.tender_id())
    return absl::DataLossError("the server's receipt is for another sealed file");
  return v;
}

// The receipt of this file if it is the live bid (NOT_FOUND otherwise).
absl::StatusOr<v1::Receipt> LiveReceipt(const Session& s, const SealedFile& file) {
  BO_ASSIGN_OR_RETURN(auto mine, FetchMyReceipts(s, file.header.tender_id()));
  const MyReceipt* live = LiveSubmission(mine, file.header.lot());
  if (live == nullptr || live->v.statement.ciphertext_sha256() != file.ciphertext_sha256)
    return absl::NotFoundError("this sealed file is not your live bid");
  return live->receipt;
}

void PrintSubmitted(const bid::VerifiedReceipt& v, const SealedFile& file, const std::string& out,
                    bool already) {
  std::cout << (already ? "Already your bid: this sealed file was submitted before; nothing was "
                          "uploaded again\n"
                        : "Bid submitted\n")
            << "  file          " << file.path << "\n";
  PrintReceiptLines(std::cout, v);
  std::cout << "  receipt       " << out << "\n"
            << "Check it any time: bidctl receipt verify " << out << "\n";
}

absl::Status Finish(const Globals& g, const Session& s, const v1::Receipt& receipt,
                    const SealedFile& file, const std::string& out, bool already) {
  BO_RETURN_IF_ERROR(WriteReceipt(out, receipt));
  BO_ASSIGN_OR_RETURN(bid::VerifiedReceipt v, CheckReceipt(s, receipt, file));
  if (already)
    std::cerr << "bidctl: note: this sealed file already is your live bid (log index "
              << v.body.seq() << "); its receipt is saved to " << out << "\n";
  if (g.json) return PrintJson(receipt), absl::OkStatus();
  PrintSubmitted(v, file, out, already);
  return absl::OkStatus();
}

absl::StatusOr<SealedFile> MySealedFile(const Profile& profile, const std::string& path) {
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(profile));
  BO_ASSIGN_OR_RETURN(SealedFile file, InspectSealedFile(path));
  BO_RETURN_IF_ERROR(CheckSealedBy(file, me.fingerprint()));
  return file;
}

// The upload, with progress on stderr.
absl::StatusOr<v1::Receipt> Send(const Globals& g, const Session& s, const SealedFile& file,
                                 const UploadPlan& plan) {
  Progress progress(file.size, StderrIsTerminal(), g.json);
  absl::StatusOr<v1::Receipt> receipt = UploadSealedFile(s, plan, progress);
  if (receipt.ok()) progress.Done("uploaded");
  return receipt;
}

// A refused upload of a file that already is the live bid succeeds with its
// receipt: the server says so (ALREADY_EXISTS), or a resumed upload was
// committed but the answer lost (NOT_FOUND with --resume). Other refusals stand.
absl::Status IfAlreadyLive(const Globals& g, const Session& s, const SealedFile& file,
                           const std::string& out, bool resume, const absl::Status& refusal) {
  if (!absl::IsAlreadyExists(refusal) && !(resume && absl::IsNotFound(refusal))) return refusal;
  absl::StatusOr<v1::Receipt> live = LiveReceipt(s, file);
  if (absl::IsNotFound(live.status()) && absl::IsNotFound(refusal)) return refusal;
  if (!live.ok()) return live.status();
  return Finish(g, s, *live, file, out, true);
}

// The seq of the bidder's live bid in the file's lot, which a submission
// replaces (the server's fold says which; nullopt if none).
absl::StatusOr<std::optional<uint64_t>> LiveSeq(const Session& s, const SealedFile& file) {
  BO_ASSIGN_OR_RETURN(auto mine, FetchMyReceipts(s, file.header.tender_id()));
  const MyReceipt* live = LiveSubmission(mine, file.header.lot());
  if (live == nullptr) return std::nullopt;
  return live->v.body.seq();
}

absl::Status Submit(const Globals& g, const SubmitFlags& f) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(SealedFile file, MySealedFile(s.profile, f.file));
  BO_RETURN_IF_ERROR(CheckAgainstSealRecord(file));
  BO_ASSIGN_OR_RETURN(std::optional<uint64_t> replaces, LiveSeq(s, file));
  BO_ASSIGN_OR_RETURN(SignedStatement st,
                      SignStatement(s.profile, StatementFor(file, bid::kSubmitPurpose, replaces)));
  const std::string out = f.out.empty() ? f.file + ".receipt" : f.out;
  absl::StatusOr<v1::Receipt> receipt = Send(g, s, file, PlanFor(file, st, f));
  if (receipt.ok()) return Finish(g, s, *receipt, file, out, false);
  return IfAlreadyLive(g, s, file, out, f.resume, receipt.status());
}

}  // namespace

void AddBidSubmitCommand(CLI::App& bid, Globals& g, Action& action) {
  auto f = std::make_shared<SubmitFlags>();
  auto* c = bid.add_subcommand(
      "submit", "Upload a sealed bid (resumable) and save the server's signed receipt");
  c->add_option("file", f->file, "Sealed bid file (from `bid seal`)")->required();
  c->add_flag("--resume", f->resume,
              "Only continue an upload the server already has (fails if there is none)");
  c->add_option("--retries", f->retries,
                "Attempts in a row without progress after a dropped connection before giving up")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  c->add_option("-o,--output", f->out, "Receipt file to write (default: FILE.receipt)");
  c->add_option("--chunk", f->chunk, "Bytes per upload message, e.g. 64KiB (at most 1MiB)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(size_t{1}, static_cast<size_t>(bid::kMaxChunk)))
      ->capture_default_str();
  c->callback([&g, &action, f] { action = [&g, f] { return Submit(g, *f); }; });
}

}  // namespace bidopen::client
