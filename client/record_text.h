// The opening record (开标记录表) for people: as text on the terminal and as a
// printable HTML page (labels in Chinese with English beside them, times in
// the tender's zone, the signatures and the tree head shown with how to
// check them). Both show exactly the signed, checked body.
#ifndef BIDOPEN_CLIENT_RECORD_TEXT_H_
#define BIDOPEN_CLIENT_RECORD_TEXT_H_

#include <ostream>
#include <string>

#include "bidopen/v1/hall.pb.h"

namespace bidopen::client {

// A bid's announced values with their units ("price 1250000.00 CNY, days
// 90"), or its failure with fault and consequence.
std::string AnnouncedText(const v1::AnnouncementTable& table, const v1::AnnouncedBid& b);

// The announcement table (唱标) as the verified log gives it.
void PrintAnnouncement(std::ostream& out, const v1::AnnouncementTable& t);

void PrintRecord(std::ostream& out, const v1::OpeningRecordBody& r);

// A whole HTML document, self-contained (no script, no external asset).
std::string RecordHtml(const v1::OpeningRecordBody& r, const std::string& record_signature);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RECORD_TEXT_H_
