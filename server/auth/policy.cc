#include "server/auth/policy.h"

#include <google/protobuf/descriptor.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "core/crypto/certificate.h"
#include "core/opening/roles.h"
#include "server/auth/identity.h"

namespace bidopen::auth {
namespace {

using R = v1::Role;
constexpr R kEveryone[] = {v1::ROLE_BIDDER,     v1::ROLE_AGENCY,  v1::ROLE_CUSTODIAN,
                           v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR, v1::ROLE_OPERATOR};

struct Rule {
  absl::string_view what;
  std::vector<R> roles;
  bool appends = false;  // the call appends to the log (rate-limited: call_limits.h)
};

const Rule& RuleOf(Action action) {
  static const Rule kCreate{"create a tender", {v1::ROLE_AGENCY}, true};
  static const Rule kAmend{"amend a lot", {v1::ROLE_AGENCY}, true};
  static const Rule kCancel{"cancel a tender", {v1::ROLE_AGENCY}, true};
  static const Rule kRead{"read tenders", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kWho{"ask who you are", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kRegister{
      "register a key-wrapping key", {v1::ROLE_BIDDER, v1::ROLE_CUSTODIAN}, true};
  static const Rule kList{"list registered keys", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kRevoke{"revoke a certificate", {v1::ROLE_OPERATOR}, true};
  static const Rule kLog{"read the audit log", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kBid{"submit or withdraw a bid", {v1::ROLE_BIDDER}, true};
  static const Rule kOwnBids{"list your own bids", {v1::ROLE_BIDDER}};
  static const Rule kStart{"start an opening", {v1::ROLE_AGENCY}, true};
  static const Rule kEnd{"end decryption", {v1::ROLE_AGENCY}, true};
  static const Rule kOpening{"read an opening", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kOwnBid{"read your own sealed bid", {v1::ROLE_BIDDER}};
  static const Rule kRelease{"release your bid's key", {v1::ROLE_BIDDER}, true};
  static const Rule kResupply{
      "put back your bid's sealed file the opening's start found altered", {v1::ROLE_BIDDER}, true};
  static const Rule kReleaseLot{"release a per-lot custodian key", {v1::ROLE_CUSTODIAN}, true};
  static const Rule kFetch{"fetch an opened bid", {v1::ROLE_AGENCY, v1::ROLE_SUPERVISOR}};
  static const Rule kEvidence{"fetch a bid's evidence", {v1::ROLE_AUDITOR, v1::ROLE_SUPERVISOR}};
  static const Rule kWatch{"watch a lot's opening",
                           {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN,
                            v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR}};
  static const Rule kSignIn{"sign in to an opening", {v1::ROLE_BIDDER}, true};
  static const Rule kRespond{"confirm or object to an announcement", {v1::ROLE_BIDDER}, true};
  static const Rule kAnswer{"answer an objection", {v1::ROLE_AGENCY}, true};
  static const Rule kClose{"close an opening", {v1::ROLE_AGENCY}, true};
  // The record is a function of the log, which every role reads (kLog).
  static const Rule kRecord{"read an opening record", {std::begin(kEveryone), std::end(kEveryone)}};
  static const Rule kNotBuilt{"call a method this server does not implement yet", {}};
  switch (action) {
    case Action::kCreateTender:
      return kCreate;
    case Action::kAmendLot:
      return kAmend;
    case Action::kCancelTender:
      return kCancel;
    case Action::kReadTenders:
      return kRead;
    case Action::kWhoAmI:
      return kWho;
    case Action::kRegisterKey:
      return kRegister;
    case Action::kListKeys:
      return kList;
    case Action::kRevokeCertificate:
      return kRevoke;
    case Action::kReadLog:
      return kLog;
    case Action::kSubmitBid:
      return kBid;
    case Action::kListOwnBids:
      return kOwnBids;
    case Action::kStartOpening:
      return kStart;
    case Action::kEndDecryption:
      return kEnd;
    case Action::kReadOpening:
      return kOpening;
    case Action::kReadOwnBid:
      return kOwnBid;
    case Action::kReleaseKey:
      return kRelease;
    case Action::kResupplyBid:
      return kResupply;
    case Action::kReleaseLotKey:
      return kReleaseLot;
    case Action::kFetchBid:
      return kFetch;
    case Action::kReadEvidence:
      return kEvidence;
    case Action::kWatchLot:
      return kWatch;
    case Action::kSignIn:
      return kSignIn;
    case Action::kRespond:
      return kRespond;
    case Action::kAnswer:
      return kAnswer;
    case Action::kCloseOpening:
      return kClose;
    case Action::kReadRecord:
      return kRecord;
    case Action::kNotBuilt:
      return kNotBuilt;
  }
  return kNotBuilt;  // fails closed: an action without a rule allows no role
}

absl::Status NoRule(absl::string_view method) {
  return absl::PermissionDeniedError(
      absl::StrCat("method ", method, " has no authorization rule on this server; refused"));
}

}  // namespace

const MethodRules& Rules() {
  static const MethodRules kRules = {
      {"/bidopen.v1.TenderService/CreateTender", Action::kCreateTender},
      {"/bidopen.v1.TenderService/ListTenders", Action::kReadTenders},
      {"/bidopen.v1.TenderService/GetTender", Action::kReadTenders},
      {"/bidopen.v1.TenderService/AmendLot", Action::kAmendLot},
      {"/bidopen.v1.TenderService/CancelTender", Action::kCancelTender},
      {"/bidopen.v1.IdentityService/WhoAmI", Action::kWhoAmI},
      {"/bidopen.v1.IdentityService/RegisterKey", Action::kRegisterKey},
      {"/bidopen.v1.IdentityService/ListKeys", Action::kListKeys},
      {"/bidopen.v1.IdentityService/RevokeCertificate", Action::kRevokeCertificate},
      {"/bidopen.v1.BidService/Upload", Action::kSubmitBid},
      {"/bidopen.v1.BidService/GetUploadOffset", Action::kSubmitBid},
      {"/bidopen.v1.BidService/Withdraw", Action::kSubmitBid},
      {"/bidopen.v1.BidService/ListMyBids", Action::kListOwnBids},
      {"/bidopen.v1.AuditService/GetTreeHead", Action::kReadLog},
      {"/bidopen.v1.AuditService/GetEvents", Action::kReadLog},
      {"/bidopen.v1.AuditService/GetInclusionProof", Action::kReadLog},
      {"/bidopen.v1.AuditService/GetConsistencyProof", Action::kReadLog},
      {"/bidopen.v1.OpeningService/StartOpening", Action::kStartOpening},
      {"/bidopen.v1.OpeningService/GetOpening", Action::kReadOpening},
      {"/bidopen.v1.OpeningService/GetMyBid", Action::kReadOwnBid},
      {"/bidopen.v1.OpeningService/ReleaseKey", Action::kReleaseKey},
      {"/bidopen.v1.OpeningService/ResupplyBid", Action::kResupplyBid},
      {"/bidopen.v1.OpeningService/EndDecryption", Action::kEndDecryption},
      {"/bidopen.v1.OpeningService/FetchBid", Action::kFetchBid},
      {"/bidopen.v1.OpeningService/GetBidEvidence", Action::kReadEvidence},
      {"/bidopen.v1.OpeningService/Watch", Action::kWatchLot},
      {"/bidopen.v1.OpeningService/SignIn", Action::kSignIn},
      {"/bidopen.v1.OpeningService/Confirm", Action::kRespond},
      {"/bidopen.v1.OpeningService/Object", Action::kRespond},
      {"/bidopen.v1.OpeningService/AnswerObjection", Action::kAnswer},
      {"/bidopen.v1.OpeningService/CloseOpening", Action::kCloseOpening},
      {"/bidopen.v1.OpeningService/GetRecord", Action::kReadRecord},
      {"/bidopen.v1.OpeningService/Rate", Action::kNotBuilt},
      {"/bidopen.v1.CustodyService/ReleaseLotKey", Action::kReleaseLotKey},
      {"/bidopen.v1.EvaluationService/Report", Action::kNotBuilt},
      {"/bidopen.v1.EvaluationService/ExportOcds", Action::kNotBuilt},
  };
  return kRules;
}

absl::Status CheckEveryMethodHasARule(std::span<const std::string> services,
                                      const MethodRules& rules) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr)
      return absl::FailedPreconditionError(
          absl::StrCat("service ", name, " is registered but its descriptor is not compiled in"));
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = absl::StrCat("/", name, "/", service->method(i)->name());
      if (!rules.contains(method))
        return absl::FailedPreconditionError(
            absl::StrCat("method ", method,
                         " has no authorization rule (server/auth/policy.cc); every "
                         "method needs one"));
    }
  }
  return absl::OkStatus();
}

bool AppendsToLog(Action action) { return RuleOf(action).appends; }

bool Allowed(Action action, v1::Role role) {
  for (R r : RuleOf(action).roles)
    if (r == role) return true;
  return false;
}

absl::StatusOr<v1::Party> Authorizer::Authorize(const grpc::ServerContextBase& ctx,
                                                absl::string_view method) const {
  auto auth = ctx.auth_context();
  if (!auth) return absl::UnauthenticatedError("no TLS peer");
  auto party = PartyFromAuthContext(*auth);
  if (!party.ok()) return party.status();
  if (absl::Status st = revoked_.Check(party->fingerprint()); !st.ok()) return st;
  // The handshake checked the certificate's dates once; a long-lived
  // connection must not sign (confirm, release, submit) after it expired.
  auto pems = auth->FindPropertyValues("x509_pem_cert");
  if (absl::Status st = crypto::CheckValidAt(
          absl::string_view(pems.front().data(), pems.front().size()), absl::Now());
      !st.ok())
    return st;
  auto rule = rules_.find(method);
  if (rule == rules_.end()) return NoRule(method);
  if (Allowed(rule->second, party->role())) return party;
  const Rule& needed = RuleOf(rule->second);
  if (needed.roles.empty())
    return absl::PermissionDeniedError(
        absl::StrCat("no role may ", needed.what, " (", method, ")"));
  std::vector<absl::string_view> names;
  for (R r : needed.roles) names.push_back(RoleName(r));
  return absl::PermissionDeniedError(
      absl::StrCat("role ", absl::StrJoin(names, " or "), " is needed to ", needed.what,
                   "; you are ", RoleName(party->role()), " (", party->organization(), ")"));
}

}  // namespace bidopen::auth
