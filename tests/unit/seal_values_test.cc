// Opening-form values (canonical text by type, checked against the lot's form)
// and the bid manifest built from them and the documents.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/form_values.h"
#include "core/seal/manifest.h"
#include "core/seal/value_syntax.h"
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

class SealManifestTest : public ::testing::Test {
 protected:
  std::string WriteFile(const std::string& name, const std::string& bytes) {
    const std::string path = testing::TempPath(absl::StrCat("seal_manifest_", name));
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  BidIdentity id_{"T-1", 2, "b1dde7"};
  FormInput values_{{"price", "10.00"}, {"duration_days", "30"}};
};

TEST_F(SealManifestTest, HashesEachDocumentAndNamesItAfterItsFileByDefault) {
  const std::string a = WriteFile("a.pdf", "technical proposal");
  const std::string b = WriteFile("b.xlsx", "");
  auto m = BuildManifest(id_, Form(), values_, {{"", a}, {"price list.xlsx", b}});
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->tender_id(), "T-1");
  EXPECT_EQ(m->lot(), 2);
  EXPECT_EQ(m->bidder(), "b1dde7");
  ASSERT_EQ(m->documents_size(), 2);
  EXPECT_EQ(m->documents(0).name(), "seal_manifest_a.pdf");
  EXPECT_EQ(m->documents(0).size(), 18u);
  EXPECT_EQ(m->documents(0).sha256(), crypto::Sha256("technical proposal"));
  EXPECT_EQ(m->documents(1).name(), "price list.xlsx");
  EXPECT_EQ(m->documents(1).size(), 0u);
  EXPECT_EQ(crypto::Hex(m->documents(1).sha256()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(SealManifestTest, EncodingIsDeterministic) {
  const std::string a = WriteFile("det.pdf", "x");
  auto m1 = BuildManifest(id_, Form(), values_, {{"doc", a}});
  auto m2 = BuildManifest(id_, Form(), values_, {{"doc", a}});
  ASSERT_TRUE(m1.ok() && m2.ok());
  EXPECT_EQ(EncodeManifest(*m1), EncodeManifest(*m2));
}

TEST_F(SealManifestTest, RefusesUnsafeOrRepeatedDocumentNames) {
  const std::string a = WriteFile("n.pdf", "x");
  for (const char* bad : {"../etc/passwd", "a\\b", "..", ".", "tab\there"})
    EXPECT_TRUE(
        InvalidField(BuildManifest(id_, Form(), values_, {{bad, a}}), "documents[0].name", {}))
        << bad;
  EXPECT_TRUE(InvalidField(BuildManifest(id_, Form(), values_, {{"x", a}, {"x", a}}),
                           "documents[1].name", {"\"x\" is used twice"}));
  EXPECT_TRUE(InvalidField(BuildManifest(id_, Form(), values_, {{std::string(256, 'n'), a}}),
                           "documents[0].name", {"(256 bytes) is longer than 255 bytes"}));
}

TEST_F(SealManifestTest, MissingFileIsNotFoundNamingTheDocumentAndPath) {
  const std::string path = testing::TempPath("seal_manifest_nonexistent.pdf");
  EXPECT_TRUE(StatusIs(BuildManifest(id_, Form(), values_, {{"x", path}}),
                       absl::StatusCode::kNotFound, {"documents[0]", path, "No such file"}));
  EXPECT_TRUE(StatusIs(BuildManifest(id_, Form(), values_, {{"x", ::testing::TempDir()}}),
                       absl::StatusCode::kFailedPrecondition, {"documents[0]", "is a directory"}));
}

TEST_F(SealManifestTest, FormErrorsComeBeforeDocumentsAreRead) {
  EXPECT_TRUE(InvalidField(BuildManifest(id_, Form(), {{"price", "x"}}, {{"x", "/nonexistent"}}),
                           "form.price", {"is not a decimal"}));
}

}  // namespace
}  // namespace bidopen::seal
