#include "client/audit_actions.h"

#include "absl/strings/str_cat.h"
#include "core/opening/signed_action.h"

namespace bidopen::client {

absl::Status CheckSignedActions(const std::vector<v1::Event>& events, const std::string& ca_pem,
                                int* checked) {
  for (const v1::Event& e : events) {
    if (!e.has_signed_action()) continue;
    if (absl::Status st = CheckActionSignature(e, ca_pem); !st.ok()) return st;
    ++*checked;
  }
  return absl::OkStatus();
}

absl::Status CheckSignedTender(const std::vector<v1::Event>& events, const std::string& tender_id) {
  for (const v1::Event& e : events) {
    if (e.tender_id() != tender_id || !e.has_tender_created()) continue;
    if (e.has_signed_action()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "tender ", tender_id, " was created (log #", e.seq(),
        ") without its agency's signed request, so nothing shows its agency set or changed its "
        "schedule; bidctl releases nothing for it (docs/protocol.md \"Signed actions\")"));
  }
  return absl::NotFoundError(absl::StrCat("tender ", tender_id, " is not in the log"));
}

}  // namespace bidopen::client
