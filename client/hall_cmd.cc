// bidctl opening sign-in | announcement | confirm | object | answer | close |
// record T/L: the live hall (docs/opening-hall.md). What a bidder confirms is
// the announcement recomputed from the verified log on its own machine, and
// the record is shown only once checked against that log.
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/audit_bundle.h"
#include "client/command.h"
#include "client/hall_text.h"
#include "client/opening_view.h"
#include "client/record_text.h"
#include "client/signed_call.h"
#include "client/verified_lot.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/opening/announcement.h"
#include "core/opening/confirmation.h"
#include "core/opening/fold.h"
#include "core/opening/tender_rules.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

struct HallFlags {
  LotFlags lot;
  std::string text;        // object, answer
  uint64_t objection = 0;  // answer
  std::string html;        // close, record
};

void Show(const Globals& g, const v1::HallResult& r, absl::string_view what) {
  if (g.json) return PrintJson(r);
  PrintHallResult(std::cout, r, what);
}

absl::Status SignIn(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::HallResult r;
  BO_ASSIGN_OR_RETURN(auto ctx,
                      SignedContext(s.profile, "/bidopen.v1.OpeningService/SignIn", ToRef(lot)));
  BO_RETURN_IF_ERROR(
      s.Check(v1::OpeningService::NewStub(s.channel)->SignIn(ctx.get(), ToRef(lot), &r)));
  Show(g, r, absl::StrCat("Signed in 已签到 to lot ", lot.lot, " of tender ", lot.tender_id));
  return absl::OkStatus();
}

// The lot's announcement as the verified log gives it: the table recomputed
// here, equal to the hash the server announced (the fold checks that).
absl::StatusOr<v1::AnnouncementTable> VerifiedAnnouncement(const Globals& g, const Session& s,
                                                           const LotName& lot) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, FetchBundle(s, lot.tender_id, lot.lot));
  BO_ASSIGN_OR_RETURN(std::vector<v1::Event> events, VerifiedEvents(g, b, lot));
  BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(events));
  BO_ASSIGN_OR_RETURN(const fold::Lot* l, FindLot(state.tender, lot.lot));
  if (!l->hall().has_announced())
    return absl::FailedPreconditionError(
        absl::StrCat("the results of lot ", lot.lot, " of tender ", lot.tender_id,
                     " have not been announced yet (the log, verified up to its signed head of ",
                     b.head().size(), " events, holds no announcement)"));
  BO_ASSIGN_OR_RETURN(v1::AnnouncementTable table, AnnouncementOf(state, lot.lot));
  if (AnnouncementHash(table) != l->hall().announcement_sha256())
    return absl::DataLossError("the announced hash is not the announcement's");  // the fold checks
  return table;
}

absl::Status Announcement(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::AnnouncementTable table, VerifiedAnnouncement(g, s, lot));
  if (g.json) return PrintJson(table), absl::OkStatus();
  PrintAnnouncement(std::cout, table);
  std::cout << "  sha256 " << crypto::Hex(AnnouncementHash(table))
            << " (recomputed from the verified log)\n";
  return absl::OkStatus();
}

absl::Status Confirm(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::AnnouncementTable table, VerifiedAnnouncement(g, s, lot));
  const std::string hash = AnnouncementHash(table);
  BO_ASSIGN_OR_RETURN(std::string pem, ReadFileBytes(s.profile.key, "--key"));
  BO_ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PrivateKeyFromPem(pem));
  v1::ConfirmRequest req;
  *req.mutable_lot() = ToRef(lot);
  req.set_announcement_sha256(hash);
  BO_ASSIGN_OR_RETURN(*req.mutable_signature(),
                      crypto::Sign(key.get(), ConfirmationMessage(lot.tender_id, lot.lot, hash)));
  // What is signed is shown first, whatever the server answers.
  if (!g.json) PrintAnnouncement(std::cout, table);
  v1::HallResult r;
  BO_RETURN_IF_ERROR(
      s.Check(v1::OpeningService::NewStub(s.channel)->Confirm(CallContext().get(), req, &r)));
  if (g.json) return PrintJson(r), absl::OkStatus();
  PrintHallResult(std::cout, r,
                  absl::StrCat("Confirmed 已确认: you signed announcement sha256 ",
                               crypto::Hex(hash), " with your certificate key"));
  return absl::OkStatus();
}

absl::Status Object(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::ObjectRequest req;
  *req.mutable_lot() = ToRef(lot);
  req.set_text(f.text);
  v1::HallResult r;
  BO_ASSIGN_OR_RETURN(auto ctx, SignedContext(s.profile, "/bidopen.v1.OpeningService/Object", req));
  BO_RETURN_IF_ERROR(s.Check(v1::OpeningService::NewStub(s.channel)->Object(ctx.get(), req, &r)));
  Show(g, r, absl::StrCat("Objection 异议 raised: its id is ", r.seq(), "; the agency answers it"));
  return absl::OkStatus();
}

absl::Status Answer(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::AnswerObjectionRequest req;
  *req.mutable_lot() = ToRef(lot);
  req.set_objection_seq(f.objection);
  req.set_text(f.text);
  v1::HallResult r;
  BO_ASSIGN_OR_RETURN(auto ctx,
                      SignedContext(s.profile, "/bidopen.v1.OpeningService/AnswerObjection", req));
  BO_RETURN_IF_ERROR(
      s.Check(v1::OpeningService::NewStub(s.channel)->AnswerObjection(ctx.get(), req, &r)));
  Show(g, r, absl::StrCat("Answered 已答复 objection ", f.objection));
  return absl::OkStatus();
}

// Fetches the lot's bundle with its record, verifies both (audit verify's
// checks) and shows the record; writes the HTML page if asked.
absl::Status ShowRecord(const Globals& g, const Session& s, const LotName& lot,
                        const std::string& html) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, FetchBundle(s, lot.tender_id, lot.lot));
  BO_ASSIGN_OR_RETURN(AuditedBundle audited, VerifyAndAudit(g, b));
  for (const v1::BundleRecord& r : b.records()) {
    if (r.lot() != lot.lot) continue;
    v1::OpeningRecordBody body;
    body.ParseFromString(r.record());  // checked by VerifyAndAudit
    if (!html.empty())
      BO_RETURN_IF_ERROR(WriteFileAtomically(html, RecordHtml(body, r.signature())));
    if (g.json) return PrintJson(body), absl::OkStatus();
    PrintRecord(std::cout, body);
    if (!html.empty()) std::cout << "  printable page written to " << html << "\n";
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat("the opening of lot ", lot.lot, " of tender ",
                                                    lot.tender_id,
                                                    " has not closed: it has no record yet"));
}

absl::Status Close(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::OpeningRecord rec;
  BO_ASSIGN_OR_RETURN(
      auto ctx, SignedContext(s.profile, "/bidopen.v1.OpeningService/CloseOpening", ToRef(lot)));
  BO_RETURN_IF_ERROR(
      s.Check(v1::OpeningService::NewStub(s.channel)->CloseOpening(ctx.get(), ToRef(lot), &rec)));
  if (!g.json)
    std::cout << "Closed 开标结束: lot " << lot.lot << " of tender " << lot.tender_id << "\n";
  return ShowRecord(g, s, lot, f.html);
}

absl::Status Record(const Globals& g, const HallFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  return ShowRecord(g, s, lot, f.html);
}

using Run = absl::Status (*)(const Globals&, const HallFlags&);

CLI::App* Add(CLI::App& opening, Globals& g, Action& action, const char* name, const char* help,
              Run run, std::shared_ptr<HallFlags> f) {
  auto* sub = opening.add_subcommand(name, help);
  AddLotArgument(*sub, f->lot);
  sub->callback([&g, &action, f, run] { action = [&g, f, run] { return run(g, *f); }; });
  return sub;
}

}  // namespace

void AddHallCommands(CLI::App& opening, Globals& g, Action& action) {
  Add(opening, g, action, "sign-in",
      "Bidder: sign in to the lot's opening (签到), from sign-in opens (30 min before the opening "
      "time by default) until decryption ends",
      SignIn, std::make_shared<HallFlags>());
  Add(opening, g, action, "announcement",
      "The announcement (唱标) recomputed from the verified log: each bid's bidder and values, or "
      "its failure",
      Announcement, std::make_shared<HallFlags>());
  Add(opening, g, action, "confirm",
      "Bidder: confirm the announcement by signing its hash (recomputed here from the verified "
      "log) with your certificate key, inside the confirmation window",
      Confirm, std::make_shared<HallFlags>());
  auto object = std::make_shared<HallFlags>();
  Add(opening, g, action, "object",
      "Bidder: object to the opening (异议) inside the confirmation window; the agency answers",
      Object, object)
      ->add_option("--text", object->text, "What the objection is about (one paragraph)")
      ->required();
  auto answer = std::make_shared<HallFlags>();
  auto* a = Add(opening, g, action, "answer", "Agency: answer an objection (答复), before closing",
                Answer, answer);
  a->add_option("objection", answer->objection, "The objection's id (its log seq)")->required();
  a->add_option("--text", answer->text, "The answer (one paragraph)")->required();
  auto close = std::make_shared<HallFlags>();
  Add(opening, g, action, "close",
      "Agency: close the opening after the confirmation window, every objection answered; "
      "prints the signed record, checked against the verified log",
      Close, close)
      ->add_option("--html", close->html, "Also write the printable record (HTML) to this file");
  auto record = std::make_shared<HallFlags>();
  Add(opening, g, action, "record",
      "The opening record (开标记录表) of a closed lot, checked against the verified log", Record,
      record)
      ->add_option("--html", record->html, "Also write the printable record (HTML) to this file");
}

}  // namespace bidopen::client
