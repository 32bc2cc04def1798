// Builds tender requests from bidctl's flags (or a JSON spec file).
#ifndef BIDOPEN_CLIENT_TENDER_REQUEST_H_
#define BIDOPEN_CLIENT_TENDER_REQUEST_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/identity.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::client {

struct CreateFlags {
  std::string spec_file;  // JSON of bidopen.v1.CreateTenderRequest; other flags but
                          // --auto-start ignored
  std::string title, reference, time_zone = "UTC";
  std::string lot_title, deadline, opening, window;
  std::string sign_in_lead, confirm_window;  // the live hall's (docs/opening-hall.md)
  int objection_limit = 0;                   // 0: server default
  int min_bids = 0;                          // 0: server default
  std::vector<std::string> fields;           // name:type[:unit]
  std::string policy;                        // BIDDER|QUORUM|ANY|BOTH
  std::vector<std::string> custodians;       // fingerprint, organization or name
  int threshold = 0;
  bool auto_start = false;  // the server starts the opening (with --spec: every lot)
};

// `registered`: custodians' keys, to turn names into fingerprints.
absl::StatusOr<v1::CreateTenderRequest> BuildCreate(
    const CreateFlags& f, const std::vector<v1::RegisteredKey>& registered);

// FieldType from "decimal", "int", "text", "date".
absl::StatusOr<v1::FieldType> ParseFieldType(const std::string& name);
absl::StatusOr<v1::OpeningPolicy> ParsePolicy(const std::string& name);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_TENDER_REQUEST_H_
