// Tenders for people: times in the tender's own time zone.
#ifndef BIDOPEN_CLIENT_TENDER_TEXT_H_
#define BIDOPEN_CLIENT_TENDER_TEXT_H_

#include <ostream>

#include "bidopen/v1/tender.pb.h"

namespace bidopen::client {

void PrintTender(std::ostream& out, const v1::Tender& t);
void PrintTenderTable(std::ostream& out, const v1::ListTendersResponse& list);
const char* LotStatusName(v1::LotStatus s);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_TENDER_TEXT_H_
