// The live hall folded after a real opening (fold_hall_test.cc,
// fold_hall_refusals_test.cc): FoldOpeningTest's lot, decrypted, then the
// hall's events as the server would append them, made with the hall's own
// rules (DecideAnnouncement).
#ifndef BIDOPEN_TESTS_UNIT_FOLD_HALL_FIXTURE_H_
#define BIDOPEN_TESTS_UNIT_FOLD_HALL_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/opening/hall_rules.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {

class FoldHallTest : public FoldOpeningTest {
 protected:
  // After Begin and Open of a BIDDER lot: every bidder releases and its bid
  // opens, except those at `failing` (no release: the bidder's fault), then
  // the verdicts and the end of decryption (early if none fails, else at the
  // window's end), at the returned time.
  absl::Time DecryptOpened(const std::vector<int>& failing = {}) {
    auto fails = [&](int i) {
      return std::find(failing.begin(), failing.end(), i) != failing.end();
    };
    const absl::Time t = kStart + absl::Minutes(2);
    for (int i = 0; i < static_cast<int>(bidders_.size()); ++i) {
      if (fails(i)) continue;
      EXPECT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
      EXPECT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
    }
    const absl::Time end = failing.empty() ? t + absl::Seconds(10) : kWindowEnd;
    for (int i = 0; i < static_cast<int>(bidders_.size()); ++i) {
      const Bidder& b = bidders_[i];
      const absl::Status st =
          Apply(Verdict(VerdictFor(b, fails(i) ? seal::Releases{} : BidderReleases(b)), end));
      EXPECT_TRUE(st.ok()) << st;
    }
    const absl::Status ended = Apply(Ended(end, /*early=*/failing.empty()));
    EXPECT_TRUE(ended.ok()) << ended;
    return end;
  }

  // A BIDDER lot of `count` bids through decryption (DecryptOpened).
  absl::Time Decrypt(int count, const std::vector<int>& failing = {},
                     const std::function<void(v1::LotSpec*)>& tweak = nullptr) {
    Begin(v1::OPENING_POLICY_BIDDER, count, tweak);
    Open();
    return DecryptOpened(failing);
  }

  v1::Event SignIn(const Bidder& b, absl::Time t) {
    v1::Event e = At(t, b.party);
    v1::BidderSignedIn* in = e.mutable_bidder_signed_in();
    in->set_lot(1);
    in->set_bid(b.seq);
    in->set_bidder_nonce(b.nonce);
    return e;
  }

  // The server's announcement at `t`.
  v1::Event Announce(absl::Time t) {
    auto decided = DecideAnnouncement(state_, 1, t);
    EXPECT_TRUE(decided.ok()) << decided.status();
    v1::Event e = At(t, ServerParty());
    if (decided.ok()) *e.mutable_results_announced() = *decided;
    return e;
  }

  // Decrypt(count), then the announcement 1 s after; returns its time.
  absl::Time Announced(int count, const std::vector<int>& failing = {},
                       const std::function<void(v1::LotSpec*)>& tweak = nullptr) {
    const absl::Time t = Decrypt(count, failing, tweak) + absl::Seconds(1);
    const absl::Status st = Apply(Announce(t));
    EXPECT_TRUE(st.ok()) << st;
    return t;
  }

  v1::Event Confirm(const Bidder& b, absl::Time t, std::string hash = "") {
    v1::Event e = At(t, b.party);
    v1::AnnouncementConfirmed* c = e.mutable_announcement_confirmed();
    c->set_lot(1);
    c->set_bid(b.seq);
    c->set_announcement_sha256(hash.empty() ? Lot().hall().announcement_sha256() : hash);
    c->set_signature("signature");  // checked with the CA: CheckConfirmationSignature
    c->set_bidder_certificate_pem("certificate");
    return e;
  }

  v1::Event Object(const Bidder& b, absl::Time t, std::string text) {
    v1::Event e = At(t, b.party);
    v1::ObjectionRaised* o = e.mutable_objection_raised();
    o->set_lot(1);
    o->set_bid(b.seq);
    o->set_text(std::move(text));
    return e;
  }

  v1::Event Answer(uint64_t objection, absl::Time t, std::string text,
                   const v1::Party& by = kAgency) {
    v1::Event e = At(t, by);
    v1::ObjectionAnswered* a = e.mutable_objection_answered();
    a->set_lot(1);
    a->set_objection(objection);
    a->set_text(std::move(text));
    return e;
  }

  v1::Event Close(absl::Time t, const v1::Party& by = kAgency) {
    v1::Event e = At(t, by);
    e.mutable_opening_closed()->set_lot(1);
    return e;
  }

  absl::Time ConfirmUntil() const { return FromProto(Lot().hall().confirm_until()); }

  // The server, as the actor of what it appends by itself.
  static v1::Party ServerParty() { return PartyOf('5', "bidopen log", v1::ROLE_UNSPECIFIED); }
};

}  // namespace bidopen::opening_test

#endif  // BIDOPEN_TESTS_UNIT_FOLD_HALL_FIXTURE_H_
