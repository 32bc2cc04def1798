// The pure fold of events into state (design.md §2). The server uses it to
// decide and to build its query tables; auditors use it to replay.
#ifndef BIDOPEN_CORE_OPENING_FOLD_H_
#define BIDOPEN_CORE_OPENING_FOLD_H_

#include <map>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/identity.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen {

// Applies one event of the tender to `tender` (empty before TenderCreated).
// Events of other tenders or kinds that do not concern tenders are ignored.
// DATA_LOSS if the event cannot follow the state (a corrupted or reordered log).
absl::Status ApplyTenderEvent(const v1::Event& event, v1::Tender* tender);

// Folds a tender's events, in log order. NOT_FOUND if none creates it.
absl::StatusOr<v1::Tender> FoldTender(std::span<const v1::Event> events);

// Registered key-wrapping keys by certificate fingerprint; the latest wins.
using KeyRegistry = std::map<std::string, v1::RegisteredKey>;
void ApplyKeyEvent(const v1::Event& event, KeyRegistry* keys);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_FOLD_H_
