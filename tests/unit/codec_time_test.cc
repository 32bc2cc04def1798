// The stored bytes of an event (EncodeEvent/DecodeEvent/EventKind) and the
// times people read and write (ParseTime, TimeText, DurationText, proto times).
#include <gtest/gtest.h>

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;

const absl::TimeZone kUtc = absl::UTCTimeZone();
// 2026-03-01T01:30:00Z, i.e. 09:30 in Shanghai.
const absl::Time kHalfPastOne = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 1, 30, 0), kUtc);

absl::TimeZone Shanghai() {
  auto zone = LoadZone("Asia/Shanghai");
  EXPECT_TRUE(zone.ok()) << zone.status();
  return zone.ok() ? *zone : kUtc;
}

v1::Event TenderCreatedEvent(uint64_t seq) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(kHalfPastOne + absl::Nanoseconds(250));
  e.mutable_actor()->set_fingerprint(std::string(64, 'e'));
  e.mutable_actor()->set_organization("City Works Bureau");
  e.mutable_actor()->set_role(v1::ROLE_AGENCY);
  e.set_tender_id("T-1");
  v1::TenderCreated* c = e.mutable_tender_created();
  c->set_title("City road works 2026");
  c->set_time_zone("Asia/Shanghai");
  v1::LotSpec* lot = c->add_lots();
  lot->set_title("Section 1");
  *lot->mutable_submission_deadline() = ToProto(kHalfPastOne + absl::Hours(24));
  lot->set_min_valid_bids(3);
  lot->add_custodians(std::string(64, 'a'));
  return e;
}

TEST(EventCodecTest, DecodeReturnsTheEncodedEvent) {
  const v1::Event event = TenderCreatedEvent(17);
  const std::string bytes = EncodeEvent(event);
  ASSERT_FALSE(bytes.empty());
  auto decoded = DecodeEvent(bytes, 17);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(ProtoEquals(*decoded, event));
}

TEST(EventCodecTest, ReencodingDecodedBytesGivesTheSameBytes) {
  // What the audit log hashes must survive a decode/encode round trip.
  const std::string bytes = EncodeEvent(TenderCreatedEvent(17));
  auto decoded = DecodeEvent(bytes, 17);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeEvent(*decoded), bytes);
}

TEST(EventCodecTest, EncodingIsDeterministic) {
  const v1::Event event = TenderCreatedEvent(3);
  // The same content built in another order of setters.
  v1::Event same;
  *same.mutable_tender_created() = event.tender_created();
  same.set_tender_id(event.tender_id());
  *same.mutable_actor() = event.actor();
  *same.mutable_time() = event.time();
  same.set_seq(3);
  EXPECT_EQ(EncodeEvent(event), EncodeEvent(event));
  EXPECT_EQ(EncodeEvent(same), EncodeEvent(event));
}

TEST(EventCodecTest, WrongSeqIsDataLoss) {
  const std::string bytes = EncodeEvent(TenderCreatedEvent(7));
  EXPECT_TRUE(
      StatusIs(DecodeEvent(bytes, 8), absl::StatusCode::kDataLoss, {"event 8", "carry seq 7"}));
}

TEST(EventCodecTest, GarbageBytesAreDataLoss) {
  EXPECT_TRUE(StatusIs(DecodeEvent(std::string("\xff\xff\xff\xff", 4), 3),
                       absl::StatusCode::kDataLoss, {"event 3", "do not parse"}));
}

TEST(EventCodecTest, TruncatedBytesAreDataLoss) {
  const std::string bytes = EncodeEvent(TenderCreatedEvent(7));
  EXPECT_TRUE(StatusIs(DecodeEvent(bytes.substr(0, bytes.size() - 3), 7),
                       absl::StatusCode::kDataLoss, {"event 7", "do not parse"}));
}

TEST(EventCodecTest, KindIsTheBodyFieldName) {
  EXPECT_EQ(EventKind(TenderCreatedEvent(0)), "tender_created");
  v1::Event key;
  key.mutable_key_registered()->set_x25519_public_key(std::string(32, '\x01'));
  EXPECT_EQ(EventKind(key), "key_registered");
  EXPECT_EQ(EventKind(v1::Event()), "none");
}

TEST(ParseTimeTest, AcceptsRfc3339WithOffset) {
  auto t = ParseTime("2026-03-01T09:30:00+08:00", kUtc);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, kHalfPastOne);
}

TEST(ParseTimeTest, AcceptsRfc3339WithZ) {
  // The zone argument must not matter when the text carries its own offset.
  auto t = ParseTime("2026-03-01T01:30:00Z", Shanghai());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, kHalfPastOne);
}

TEST(ParseTimeTest, ReadsLocalTimeInTheGivenZone) {
  auto t = ParseTime("2026-03-01 09:30", Shanghai());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, kHalfPastOne);
}

TEST(ParseTimeTest, RefusesTextThatIsNoTime) {
  EXPECT_TRUE(StatusIs(ParseTime("tomorrow", Shanghai()), absl::StatusCode::kInvalidArgument,
                       {"cannot read time \"tomorrow\"", "2026-03-01T09:30:00+08:00"}));
}

TEST(TimeTextTest, FormatsInTheZoneWithItsOffset) {
  EXPECT_EQ(TimeText(kHalfPastOne, Shanghai()), "2026-03-01T09:30:00+08:00");
  EXPECT_EQ(TimeText(kHalfPastOne, kUtc), "2026-03-01T01:30:00+00:00");
  EXPECT_EQ(TimeText(ToProto(kHalfPastOne), Shanghai()), "2026-03-01T09:30:00+08:00");
}

// DISABLED: fails on the current core. time_text.h promises "whole seconds unless
// there is a fraction", but TimeText formats with %S and drops the fraction, so
// "opening 00:00:00 is before the submission deadline 00:00:00" can be shown.
// Enable once TimeText uses %E*S.
TEST(TimeTextTest, ShowsAFractionWhenThereIsOne) {
  EXPECT_EQ(TimeText(kHalfPastOne + absl::Milliseconds(250), kUtc), "2026-03-01T01:30:00.25+00:00");
}

TEST(TimeTextTest, ParsesWhatItFormats) {
  auto t = ParseTime(TimeText(kHalfPastOne, Shanghai()), kUtc);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, kHalfPastOne);
}

TEST(LoadZoneTest, UnknownZoneNamesTheFieldAndTheValue) {
  EXPECT_TRUE(InvalidField(LoadZone("Mars/Olympus", "tenders[3].time_zone"), "tenders[3].time_zone",
                           {"\"Mars/Olympus\""}));
}

TEST(DurationTextTest, ReadsLikeAPersonWouldSayIt) {
  EXPECT_EQ(DurationText(absl::Milliseconds(1204)), "1.204 s");
  EXPECT_EQ(DurationText(absl::Seconds(185)), "3 min 5 s");
  EXPECT_EQ(DurationText(absl::Minutes(30)), "30 min");
  EXPECT_EQ(DurationText(absl::Hours(2)), "2 h");
  EXPECT_EQ(DurationText(absl::Minutes(125)), "2 h 5 min");
  EXPECT_EQ(DurationText(-absl::Seconds(5)), "-5.000 s");
}

TEST(ProtoTimeTest, TimestampRoundTripKeepsNanos) {
  const absl::Time t = kHalfPastOne + absl::Nanoseconds(123456789);
  const google::protobuf::Timestamp p = ToProto(t);
  EXPECT_EQ(p.seconds(), absl::ToUnixSeconds(kHalfPastOne));
  EXPECT_EQ(p.nanos(), 123456789);
  EXPECT_EQ(FromProto(p), t);
}

TEST(ProtoTimeTest, TimestampBeforeEpochHasNonNegativeNanos) {
  // google.protobuf.Timestamp requires nanos in [0, 1e9).
  const absl::Time t = absl::UnixEpoch() - absl::Milliseconds(1500);
  const google::protobuf::Timestamp p = ToProto(t);
  EXPECT_EQ(p.seconds(), -2);
  EXPECT_EQ(p.nanos(), 500000000);
  EXPECT_EQ(FromProto(p), t);
}

TEST(ProtoTimeTest, DurationRoundTripKeepsNanosAndSign) {
  const absl::Duration d = absl::Seconds(90) + absl::Nanoseconds(7);
  const google::protobuf::Duration p = ToProto(d);
  EXPECT_EQ(p.seconds(), 90);
  EXPECT_EQ(p.nanos(), 7);
  EXPECT_EQ(FromProto(p), d);

  // google.protobuf.Duration: nanos carry the sign of seconds.
  const absl::Duration neg = -absl::Milliseconds(1500);
  const google::protobuf::Duration q = ToProto(neg);
  EXPECT_EQ(q.seconds(), -1);
  EXPECT_EQ(q.nanos(), -500000000);
  EXPECT_EQ(FromProto(q), neg);
}

}  // namespace
}  // namespace bidopen
