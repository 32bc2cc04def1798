// bidctl bid withdraw | bid list: the caller's own bids in a tender.
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bidopen/v1/bid.grpc.pb.h"
#include "client/command.h"
#include "client/local_identity.h"
#include "client/my_bids.h"
#include "client/receipt_file.h"
#include "client/receipt_text.h"
#include "client/sealed_file.h"
#include "client/tender_cache.h"
#include "core/bid/statement.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/files.h"
#include "core/opening/lot_rules.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

struct WithdrawFlags {
  std::string tender;
  int lot = 1;
  std::string sealed;
  std::string out;  // default: <tender>-lot<lot>.withdrawal.receipt
};

// The receipt of the live bid's submission (NOT_FOUND if there is none).
absl::StatusOr<MyReceipt> LiveBid(const Session& s, const WithdrawFlags& f) {
  BO_ASSIGN_OR_RETURN(auto mine, FetchMyReceipts(s, f.tender));
  const MyReceipt* live = LiveSubmission(mine, f.lot);
  if (live == nullptr)
    return absl::NotFoundError(absl::StrCat("you have no live bid in lot ", f.lot, " of tender ",
                                            f.tender, " to withdraw"));
  return *live;
}

// A fresh withdrawal of the live bid, naming its file as its receipt does.
v1::BidStatement LiveStatement(const MyReceipt& live) {
  v1::BidStatement statement = live.v.statement;
  statement.set_client_nonce(crypto::RandomBytes(bid::kClientNonceSize));
  statement.set_bid_seq(live.v.body.seq());
  return statement;
}

// The withdrawal naming the sealed file given with --sealed.
absl::StatusOr<v1::BidStatement> SealedStatement(const Session& s, const WithdrawFlags& f,
                                                 const MyReceipt& live) {
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  BO_ASSIGN_OR_RETURN(SealedFile file, InspectSealedFile(f.sealed));
  BO_RETURN_IF_ERROR(CheckSealedBy(file, me.fingerprint()));
  if (file.header.tender_id() != f.tender || file.header.lot() != f.lot)
    return absl::InvalidArgumentError(
        absl::StrCat("--sealed: ", f.sealed, " is a bid for lot ", file.header.lot(), " of tender ",
                     file.header.tender_id(), ", not for lot ", f.lot, " of tender ", f.tender));
  return StatementFor(file, bid::kWithdrawPurpose, live.v.body.seq());
}

absl::StatusOr<v1::Receipt> CallWithdraw(const Session& s, const SignedStatement& st) {
  auto stub = v1::BidService::NewStub(s.channel);
  v1::WithdrawRequest req;
  req.set_statement(st.bytes);
  req.set_signature(st.signature);
  v1::Receipt receipt;
  BO_RETURN_IF_ERROR(s.Check(stub->Withdraw(CallContext().get(), req, &receipt)));
  return receipt;
}

// Under QUORUM and ANY the per-lot keys released at the opening open every file
// sealed to the lot, withdrawn ones too (docs/threat-model.md, Limits).
void PrintReadableAfterOpening(const WithdrawFlags& f) {
  auto cached = LoadTenderCache(f.tender);
  if (!cached.ok()) return;
  for (const v1::Lot& lot : cached->tender.lots()) {
    const v1::OpeningPolicy p = lot.spec().policy();
    if (lot.number() != f.lot || (p != v1::OPENING_POLICY_QUORUM && p != v1::OPENING_POLICY_ANY &&
                                  p != v1::OPENING_POLICY_UNSPECIFIED))
      continue;
    std::cout << "Note: this lot opens with the custodians' per-lot keys (policy "
              << PolicyName(p == v1::OPENING_POLICY_UNSPECIFIED ? v1::OPENING_POLICY_ANY : p)
              << ").\n  Once they are released at the opening they open every file sealed to "
                 "the lot, this withdrawn one too,\n  for whoever kept its bytes (the server "
                 "stored them). Under policies BIDDER and BOTH a withdrawn\n  bid stays closed "
                 "(the agency chooses the policy).\n";
  }
}

absl::Status Withdraw(const Globals& g, const WithdrawFlags& f) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(MyReceipt live, LiveBid(s, f));
  v1::BidStatement statement = LiveStatement(live);
  if (!f.sealed.empty()) {
    BO_ASSIGN_OR_RETURN(statement, SealedStatement(s, f, live));
  }
  statement.set_purpose(std::string(bid::kWithdrawPurpose));
  BO_ASSIGN_OR_RETURN(SignedStatement st, SignStatement(s.profile, statement));
  BO_ASSIGN_OR_RETURN(v1::Receipt receipt, CallWithdraw(s, st));
  const std::string out =
      f.out.empty() ? absl::StrCat(f.tender, "-lot", f.lot, ".withdrawal.receipt") : f.out;
  BO_RETURN_IF_ERROR(WriteReceipt(out, receipt));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  BO_ASSIGN_OR_RETURN(bid::VerifiedReceipt v, bid::VerifyReceipt(receipt, ca));
  if (g.json) return PrintJson(receipt), absl::OkStatus();
  std::cout << "Bid withdrawn\n";
  PrintReceiptLines(std::cout, v);
  std::cout << "  receipt       " << out << "\n"
            << "Check it any time: bidctl receipt verify " << out << "\n";
  PrintReadableAfterOpening(f);
  return absl::OkStatus();
}

nlohmann::json ListEntry(const MyReceipt& r) {
  const v1::BidStatement& s = r.v.statement;
  return {{"kind", ReceiptKindName(r.v.body.kind())},
          {"tender_id", s.tender_id()},
          {"lot", s.lot()},
          {"log_index", r.v.body.seq()},
          {"received", ReceivedText(r.v)},
          {"ciphertext_sha256", crypto::Hex(s.ciphertext_sha256())},
          {"size", s.size()},
          {"state", StateText(r)}};
}

void PrintList(const std::string& tender, const std::vector<MyReceipt>& all) {
  if (all.empty()) {
    std::cout << "no bids of yours in tender " << tender << "\n";
    return;
  }
  std::cout << absl::StrFormat("%-11s %-4s %-10s %-30s %-13s %s\n", "KIND", "LOT", "LOG INDEX",
                               "RECEIVED", "SHA-256", "STATE");
  for (const MyReceipt& r : all)
    std::cout << absl::StrFormat(
        "%-11s %-4d %-10d %-30s %-13s %s\n", ReceiptKindName(r.v.body.kind()), r.v.statement.lot(),
        r.v.body.seq(), ReceivedText(r.v),
        crypto::Hex(r.v.statement.ciphertext_sha256()).substr(0, 12), StateText(r));
}

absl::Status List(const Globals& g, const std::string& tender) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(auto all, FetchMyReceipts(s, tender));
  if (!g.json) return PrintList(tender, all), absl::OkStatus();
  nlohmann::json j = nlohmann::json::array();
  for (const MyReceipt& r : all) j.push_back(ListEntry(r));
  std::cout << j.dump(2) << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddMyBidsCommands(CLI::App& bid, Globals& g, Action& action) {
  auto f = std::make_shared<WithdrawFlags>();
  auto* w = bid.add_subcommand("withdraw", "Withdraw your live bid in a lot before its deadline");
  w->add_option("--tender", f->tender, "Tender id")->required();
  w->add_option("--lot", f->lot, "Lot number")->capture_default_str();
  w->add_option("--sealed", f->sealed,
                "The sealed file of the bid (default: the live bid as the server lists it)");
  w->add_option("-o,--output", f->out,
                "Withdrawal receipt to write (default: TENDER-lotLOT.withdrawal.receipt)");
  w->callback([&g, &action, f] { action = [&g, f] { return Withdraw(g, *f); }; });

  auto tender = std::make_shared<std::string>();
  auto* l = bid.add_subcommand("list", "Your receipts in a tender: submissions and withdrawals");
  l->add_option("--tender", *tender, "Tender id")->required();
  l->callback([&g, &action, tender] { action = [&g, tender] { return List(g, *tender); }; });
}

}  // namespace bidopen::client
