// Opening-form values (canonical text by type, checked against the lot's form)
// and the fixed-length values section of a v2 sealed bid.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/documents.h"
#include "core/seal/form_values.h"
#include "core/seal/value_syntax.h"
#include "core/seal/values_section.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;

std::string Decimal(absl::string_view v) { return *CanonicalDecimal("form.price", v); }

TEST(SealDecimalTest, CanonicalFormKeepsScaleDropsLeadingZerosAndSignOfZero) {
  EXPECT_EQ(Decimal("12.50"), "12.50");
  EXPECT_EQ(Decimal("007.5"), "7.5");
  EXPECT_EQ(Decimal("0.001"), "0.001");
  EXPECT_EQ(Decimal("-12"), "-12");
  EXPECT_EQ(Decimal("-0.00"), "0.00");
  EXPECT_EQ(Decimal("000"), "0");
  EXPECT_EQ(*CanonicalValue(v1::FIELD_TYPE_DECIMAL, "form.price", " 1234567.89\n"), "1234567.89");
}

TEST(SealDecimalTest, RefusesWhatIsNotDigitsWithAnOptionalFraction) {
  EXPECT_TRUE(InvalidField(CanonicalDecimal("form.price", "12,5"), "form.price",
                           {"form.price: \"12,5\" is not a decimal (digits with an optional . "
                            "and fraction)"}));
  for (const char* bad : {"1e5", "+1", ".5", "1.", "", "-", "--1", "1.2.3", "0x10", "1 000"})
    EXPECT_TRUE(InvalidField(CanonicalDecimal("form.price", bad), "form.price",
                             {absl::StrCat("\"", bad, "\" is not a decimal")}))
        << bad;
}

TEST(SealDecimalTest, AtMost38SignificantDigits) {
  const std::string digits38(38, '9');
  EXPECT_EQ(Decimal(digits38), digits38);
  EXPECT_EQ(Decimal("1234567890123456789012345678901234567.8"),
            "1234567890123456789012345678901234567.8");
  EXPECT_EQ(Decimal(absl::StrCat(std::string(50, '0'), "1")), "1");
  EXPECT_TRUE(InvalidField(CanonicalDecimal("form.price", digits38 + "9"), "form.price",
                           {"has 39 significant digits; at most 38"}));
  EXPECT_TRUE(InvalidField(CanonicalDecimal("form.price", "1." + digits38), "form.price",
                           {"has 39 significant digits; at most 38"}));
}

TEST(SealIntTest, CanonicalFormAndInt64Range) {
  EXPECT_EQ(*CanonicalInt("form.days", "42"), "42");
  EXPECT_EQ(*CanonicalInt("form.days", "007"), "7");
  EXPECT_EQ(*CanonicalInt("form.days", "-0"), "0");
  EXPECT_EQ(*CanonicalInt("form.days", "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(*CanonicalInt("form.days", "-9223372036854775808"), "-9223372036854775808");
  EXPECT_TRUE(InvalidField(CanonicalInt("form.days", "9223372036854775808"), "form.days",
                           {"\"9223372036854775808\" is outside the int range"}));
  EXPECT_TRUE(InvalidField(CanonicalInt("form.days", "12.5"), "form.days",
                           {"\"12.5\" is not an int (digits with an optional leading -)"}));
  for (const char* bad : {"+3", "3 ", "", "-", "1e3", "三"})
    EXPECT_TRUE(InvalidField(CanonicalInt("form.days", bad), "form.days", {"is not an int"}))
        << bad;
}

TEST(SealTextTest, ValidUtf8UpTo1000Bytes) {
  EXPECT_EQ(*CanonicalText("form.quality", "质量优良"), "质量优良");
  EXPECT_EQ(*CanonicalText("form.quality", ""), "");
  EXPECT_EQ(*CanonicalText("form.quality", "\xf0\x9f\x98\x80 caf\xc3\xa9"),
            "\xf0\x9f\x98\x80 caf\xc3\xa9");
  EXPECT_TRUE(CanonicalText("form.quality", std::string(1000, 'a')).ok());
  EXPECT_TRUE(InvalidField(CanonicalText("form.quality", std::string(1001, 'a')), "form.quality",
                           {"text of 1001 bytes; at most 1000"}));
}

TEST(SealTextTest, RefusesInvalidUtf8NamingTheByte) {
  EXPECT_TRUE(InvalidField(CanonicalText("form.quality", "ok\xff"), "form.quality",
                           {"not valid UTF-8 (bad byte 0xff at offset 2)"}));
  // Overlong '/', a UTF-16 surrogate, past U+10FFFF, a cut-off sequence.
  for (const char* bad :
       {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe8\xb4"})
    EXPECT_TRUE(
        InvalidField(CanonicalText("form.quality", bad), "form.quality", {"not valid UTF-8"}));
}

TEST(SealDateTest, RealCalendarDaysOnly) {
  for (const char* good : {"2026-03-01", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"})
    EXPECT_EQ(*CanonicalDate("form.start", good), good);
  for (const char* bad : {"2023-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-1-01",
                          "0000-01-01", "2026/03/01", "2026-03-01T00:00", ""})
    EXPECT_TRUE(InvalidField(
        CanonicalDate("form.start", bad), "form.start",
        {absl::StrCat("\"", bad, "\" is not a date (YYYY-MM-DD, a real calendar day)")}))
        << bad;
}

v1::LotSpec Form() {
  v1::LotSpec spec;
  auto add = [&](const char* name, v1::FieldType type, bool required, const char* unit = "") {
    v1::FormField* f = spec.add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_required(required);
    f->set_unit(unit);
  };
  add("price", v1::FIELD_TYPE_DECIMAL, true, "CNY");
  add("duration_days", v1::FIELD_TYPE_INT, true);
  add("quality", v1::FIELD_TYPE_TEXT, false);
  add("start", v1::FIELD_TYPE_DATE, false);
  return spec;
}

TEST(SealFormValuesTest, CanonicalValuesInTheFormsOrderOptionalOnesLeftOut) {
  auto values = CheckFormValues(Form(), {{"start", "2026-05-01"},
                                         {"duration_days", "090"},
                                         {"price", "0012345.60"},
                                         {"quality", ""}});
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[0].name(), "price");
  EXPECT_EQ((*values)[0].value(), "12345.60");
  EXPECT_EQ((*values)[1].name(), "duration_days");
  EXPECT_EQ((*values)[1].value(), "90");
  EXPECT_EQ((*values)[2].name(), "start");
}

TEST(SealFormValuesTest, MissingRequiredFieldIsNamedWithItsType) {
  EXPECT_TRUE(InvalidField(CheckFormValues(Form(), {{"duration_days", "90"}}), "form.price",
                           {"missing", "decimal CNY"}));
  EXPECT_TRUE(InvalidField(CheckFormValues(Form(), {{"price", "1"}, {"duration_days", ""}}),
                           "form.duration_days", {"missing", "int"}));
}

TEST(SealFormValuesTest, UnknownFieldIsRefusedListingTheFormsFields) {
  EXPECT_TRUE(InvalidField(
      CheckFormValues(Form(), {{"price", "1"}, {"duration_days", "2"}, {"colour", "red"}}),
      "form.colour",
      {"not a field of this lot's opening form (fields: price, duration_days, quality, start)"}));
}

TEST(SealFormValuesTest, EachTypeIsCheckedWithTheFieldNamed) {
  const FormInput ok = {{"price", "1"}, {"duration_days", "2"}};
  auto with = [&](const char* name, const char* value) {
    FormInput in = ok;
    in[name] = value;
    return CheckFormValues(Form(), in);
  };
  EXPECT_TRUE(InvalidField(with("price", "12,5"), "form.price",
                           {"\"12,5\" is not a decimal (digits with an optional . and fraction)"}));
  EXPECT_TRUE(InvalidField(with("duration_days", "ninety"), "form.duration_days",
                           {"\"ninety\" is not an int"}));
  EXPECT_TRUE(InvalidField(with("quality", "\xfe"), "form.quality", {"not valid UTF-8"}));
  EXPECT_TRUE(
      InvalidField(with("start", "2026-02-30"), "form.start", {"\"2026-02-30\" is not a date"}));
}

TEST(SealDocumentNameTest, RefusesUnsafeNames) {
  for (const char* bad : {"../etc/passwd", "a\\b", "..", ".", "tab\there", ""})
    EXPECT_TRUE(InvalidField(CheckDocumentName(bad, 0), "documents[0].name", {})) << bad;
  EXPECT_TRUE(InvalidField(CheckDocumentName(std::string(256, 'n'), 3), "documents[3].name",
                           {"(256 bytes) is longer than 255 bytes"}));
  EXPECT_TRUE(CheckDocumentName("price list.xlsx", 0).ok());
}

// The values section has one length per lot, whatever the values: each field
// counts at its type's longest canonical text.
TEST(SealValuesSectionTest, OneFixedSizePerLotWhateverTheDigits) {
  const uint32_t size = ValuesSectionSize(Form());
  EXPECT_EQ(size, 4u + (8 + 5 + 41) + (8 + 13 + 20) + (8 + 7 + 1000) + (8 + 5 + 10));
  for (const FormInput& in : {FormInput{{"price", "1"}, {"duration_days", "1"}},
                              FormInput{{"price", "-0.0000000000000000000000000000000000001"},
                                        {"duration_days", "-9223372036854775808"},
                                        {"quality", std::string(1000, 'q')},
                                        {"start", "2026-05-01"}}}) {
    auto values = CheckFormValues(Form(), in);
    ASSERT_TRUE(values.ok()) << values.status();
    const std::string encoding = ValuesEncoding(*values);
    ASSERT_LE(4 + encoding.size(), size);
    const std::string section = ValuesSection(encoding, size);
    EXPECT_EQ(section.size(), size);
    auto parsed = ParseValuesSection(section);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->encoding, encoding);
    EXPECT_TRUE(CheckValuesForLot(Form(), parsed->values).ok());
  }
}

TEST(SealValuesSectionTest, TheEncodingIsLengthPrefixedPairsInFormOrder) {
  auto values = CheckFormValues(Form(), {{"price", "7.50"}, {"duration_days", "90"}});
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(ValuesEncoding(*values), std::string("\0\0\0\x05price\0\0\0\x04"
                                                 "7.50"
                                                 "\0\0\0\x0d"
                                                 "duration_days\0\0\0\x02"
                                                 "90",
                                                 40));
}

TEST(SealValuesSectionTest, TheOpeningRefusesValuesTheFormWouldNot) {
  auto value = [](const char* name, const char* v) {
    v1::FormValue out;
    out.set_name(name);
    out.set_value(v);
    return out;
  };
  EXPECT_TRUE(CheckValuesForLot(Form(), {value("price", "1"), value("duration_days", "2")}).ok());
  EXPECT_TRUE(
      InvalidField(CheckValuesForLot(Form(), {value("price", "01"), value("duration_days", "2")}),
                   "values: form.price", {"not in canonical form"}));
  EXPECT_TRUE(
      InvalidField(CheckValuesForLot(Form(), {value("duration_days", "2"), value("price", "1")}),
                   "values: form.duration_days", {"not in the form's order"}));
  EXPECT_TRUE(StatusIs(CheckValuesForLot(Form(), {value("price", "1")}),
                       absl::StatusCode::kInvalidArgument, {"form.duration_days: missing"}));
  EXPECT_TRUE(StatusIs(CheckValuesForLot(Form(), {value("price", "1"), value("duration_days", "2"),
                                                  value("colour", "red")}),
                       absl::StatusCode::kInvalidArgument, {"form.colour: not a field"}));
}

}  // namespace
}  // namespace bidopen::seal
