// What the bid e2e tests share: tenders made by agency1, keys registered and
// bids sealed with bidctl, files in the test's directory.
#ifndef BIDOPEN_TESTS_E2E_BID_FIXTURE_H_
#define BIDOPEN_TESTS_E2E_BID_FIXTURE_H_

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/strip.h"
#include "bidopen/fold/state.pb.h"
#include "core/crypto/certificate.h"
#include "server/store/pg.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {

inline bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class BidTest : public E2eTest {
 protected:
  // As the application role (a DBA with the server's role, not the log's
  // owner): edits lot 1 of tender `id` in its query row, which GetOpening and
  // GetTender show unsigned.
  void EditLotRow(const std::string& id, const std::function<void(fold::Lot*)>& edit) {
    auto conn = store::Conn::Open(db_.conninfo());
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)->Query("SET ROLE bidopen_app", {}).ok());
    auto row = (*conn)->Query("SELECT state FROM tenders WHERE id = $1", store::Params().Text(id));
    ASSERT_TRUE(row.ok() && row->rows() == 1) << row.status();
    fold::Tender t;
    ASSERT_TRUE(t.ParseFromString(std::string(row->Bytes(0, 0))));
    edit(t.mutable_lots(0));
    ASSERT_TRUE((*conn)
                    ->Query("UPDATE tenders SET state = $1 WHERE id = $2",
                            store::Params().Bytes(t.SerializeAsString()).Text(id))
                    .ok());
  }
  std::string WriteFile(const std::string& name, const std::string& bytes) {
    std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string Fingerprint(const std::string& identity) {
    auto party = crypto::PartyFromPem(ReadWholeFile(Cert(identity)));
    EXPECT_TRUE(party.ok()) << party.status();
    return party.ok() ? party->fingerprint() : "";
  }
  // The private key bidctl keeps in this test's config directory.
  std::string PrivateKey(const std::string& identity) {
    std::string hex =
        ReadWholeFile(dir_.path() + "/config/keys/" + Fingerprint(identity) + ".x25519");
    return absl::HexStringToBytes(absl::StripAsciiWhitespace(hex));
  }
  void RegisterKey(const std::string& identity) {
    CommandResult r = Bidctl(identity, {"identity", "register-key"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Deadline of Tender(): 30 d 12 h from now, so `bid seal` counts "in 30 d"
  // down to it at any time of day.
  static constexpr absl::Duration kUntilDeadline = absl::Hours(30 * 24 + 12);
  // A tender as agency1 with the given extra flags; returns its id.
  std::string Tender(std::vector<std::string> flags) {
    std::vector<std::string> args = {
        "--json",        "tender",           "create",
        "--title",       "Road resurfacing", "--timezone",
        "Asia/Shanghai", "--deadline",       LocalTimeAfter(kUntilDeadline)};
    args.insert(args.end(), flags.begin(), flags.end());
    CommandResult r = Bidctl("agency1", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return TenderIdOf(r.out);
  }
  std::string PriceAndDuration() {
    return Tender(
        {"--field", "price:decimal:CNY", "--field", "duration_days:int", "--policy", "BIDDER"});
  }
  CommandResult Seal(const std::string& id, std::vector<std::string> extra,
                     const std::string& who = "bidder1") {
    std::vector<std::string> args = {"bid", "seal", "--tender", id};
    args.insert(args.end(), extra.begin(), extra.end());
    return Bidctl(who, args);
  }
  std::string out() const { return dir_.path() + "/bid.sealed"; }
  bool Exists(const std::string& path) const { return std::filesystem::exists(path); }
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_E2E_BID_FIXTURE_H_
