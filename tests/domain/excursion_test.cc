#include "domain/excursion.h"

#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/readiness_world.h"

namespace cpctrack::domain {
namespace {

using namespace testing_world;  // NOLINT: the readiness world's names
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time H(int hours) { return kT0 + absl::Hours(hours); }

StepContext Ctx(absl::Time now = H(1000)) { return StepContext{now, kUtc, "qa.tanaka"}; }

Use UseOf(const std::string& batch, const std::string& resource, absl::Time at,
          const std::string& detail = "") {
  Use u;
  u.batch_id = batch;
  u.resource = resource;
  u.at = at;
  u.detail = detail;
  return u;
}

Excursion Request(ExcursionScope scope, const std::string& subject) {
  Excursion e;
  e.scope = scope;
  e.subject = subject;
  e.description = "incubator alarm overnight: 41 °C for 3 h";
  return e;
}

UnitEvent Event(UnitEventKind kind, absl::Time at, std::optional<Position> to) {
  UnitEvent e;
  e.kind = kind;
  e.at = at;
  e.to_position = std::move(to);
  return e;
}

Position At(const std::string& box, int column) { return Position{box, 1, column}; }

// --- Which batches an excursion reaches -------------------------------------

TEST(ExcursionTest, UsesReachEachBatchOnceInBatchOrder) {
  const std::vector<AffectedBatch> affected = AffectedByUses(
      {UseOf("B2", "records/7", H(5), "reagent_lot of seeding"), UseOf("B1", "records/3", H(1)),
       UseOf("B2", "units/B2-01", H(9), "unit of the batch"), UseOf("", "audit/4", H(2))});
  ASSERT_EQ(affected.size(), 2u);
  EXPECT_EQ(affected[0].batch_id, "B1");
  EXPECT_THAT(affected[0].reached, ElementsAre("records/3"));
  EXPECT_EQ(affected[1].batch_id, "B2");
  EXPECT_THAT(affected[1].reached, ElementsAre("reagent_lot of seeding (records/7)",
                                               "unit of the batch (units/B2-01)"));
}

TEST(ExcursionTest, ALotWindowKeepsOnlyUsesThatMeetIt) {
  const std::vector<Use> uses = {UseOf("B1", "records/1", H(1)), UseOf("B2", "records/2", H(10)),
                                 UseOf("B3", "records/3", H(20))};
  EXPECT_EQ(UsesInWindow(uses, absl::InfinitePast(), absl::InfiniteFuture()).size(), 3u);
  const std::vector<Use> kept = UsesInWindow(uses, H(5), H(10));
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].batch_id, "B2");
}

TEST(ExcursionTest, AUnitInTheTankDuringTheWindowIsReachedByItsHistory) {
  // Frozen into LN2-A at H(0), moved to LN2-B at H(10), thawed at H(20).
  const std::vector<UnitEvent> events = {
      Event(UnitEventKind::kFrozen, H(0), At("LN2-A/R1/B1", 1)),
      Event(UnitEventKind::kMoved, H(10), At("LN2-B/R1/B1", 1)),
      Event(UnitEventKind::kThawed, H(20), std::nullopt)};
  EXPECT_TRUE(StoredInTankDuring(events, "LN2-A", H(5), H(6)));    // there then
  EXPECT_TRUE(StoredInTankDuring(events, "LN2-A", H(9), H(30)));   // moved out within it
  EXPECT_FALSE(StoredInTankDuring(events, "LN2-A", H(11), H(30)));  // gone before it
  EXPECT_TRUE(StoredInTankDuring(events, "LN2-B", H(15), H(16)));
  EXPECT_FALSE(StoredInTankDuring(events, "LN2-B", H(21), H(22)));  // thawed
  EXPECT_FALSE(StoredInTankDuring(events, "LN2-A", H(-5), H(-1)));  // not yet frozen
}

TEST(ExcursionTest, ATankPrefixIsNotAnotherTank) {
  const std::vector<UnitEvent> events = {
      Event(UnitEventKind::kFrozen, H(0), At("LN2-AB/R1/B1", 1))};
  EXPECT_FALSE(StoredInTankDuring(events, "LN2-A", H(1), H(2)));
  EXPECT_TRUE(StoredInTankDuring(events, "LN2-AB", H(1), H(2)));
}

TEST(ExcursionTest, AMoveTypedUpLateCountsWhenItHappened) {
  // Recorded after the thaw, but the move happened before it.
  const std::vector<UnitEvent> events = {
      Event(UnitEventKind::kFrozen, H(0), At("LN2-A/R1/B1", 1)),
      Event(UnitEventKind::kThawed, H(20), std::nullopt),
      Event(UnitEventKind::kMoved, H(10), At("LN2-B/R1/B1", 1))};
  EXPECT_FALSE(StoredInTankDuring(events, "LN2-A", H(12), H(14)));
  EXPECT_TRUE(StoredInTankDuring(events, "LN2-B", H(12), H(14)));
}

TEST(ExcursionTest, TankReachesEveryUnitsBatchNamingTheUnits) {
  Unit u1;
  u1.unit_id = "B1-01";
  u1.batch_id = "B1";
  Unit u2 = u1;
  u2.unit_id = "B1-02";
  Unit elsewhere = u1;
  elsewhere.unit_id = "B2-01";
  elsewhere.batch_id = "B2";
  const std::vector<UnitHistory> units = {
      {u1, {Event(UnitEventKind::kFrozen, H(0), At("LN2-A/R1/B1", 1))}},
      {u2, {Event(UnitEventKind::kFrozen, H(0), At("LN2-A/R1/B1", 2))}},
      {elsewhere, {Event(UnitEventKind::kFrozen, H(0), At("LN2-B/R1/B1", 1))}}};
  const std::vector<AffectedBatch> affected = AffectedByTank(units, "LN2-A", H(1), H(2));
  ASSERT_EQ(affected.size(), 1u);
  EXPECT_EQ(affected[0].batch_id, "B1");
  EXPECT_THAT(affected[0].reached,
              ElementsAre("unit B1-01 in LN2-A/R1/B1/A1", "unit B1-02 in LN2-A/R1/B1/A2"));
}

// --- Opening: one parent, one child per batch --------------------------------

TEST(ExcursionTest, OpensOneChildExcursionDeviationPerAffectedBatch) {
  Excursion request = Request(ExcursionScope::kEquipment, "INC-01");
  request.from = H(10);
  request.to = H(13);
  const absl::StatusOr<ExcursionDecision> d = DecideOpenExcursion(
      request, {{"B1", {"incubation (records/3)"}}, {"B2", {"incubation (records/9)"}}}, Ctx());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->excursion.opened_by, "qa.tanaka");
  EXPECT_EQ(d->excursion.opened_at, H(1000));
  ASSERT_EQ(d->children.size(), 2u);
  EXPECT_EQ(d->children[0].first, "B1");
  EXPECT_EQ(d->children[1].first, "B2");
  for (const auto& [batch, child] : d->children) {
    EXPECT_EQ(child.kind, DeviationKind::kExcursion);
    EXPECT_EQ(child.state, DeviationState::kOpen);
    EXPECT_EQ(child.opened_by, "qa.tanaka");
    EXPECT_THAT(child.description, HasSubstr("41 °C for 3 h"));
    EXPECT_THAT(child.description, HasSubstr("equipment INC-01"));
  }
  EXPECT_THAT(d->children[1].second.description, HasSubstr("records/9"));
}

TEST(ExcursionTest, AnExcursionReachingNoBatchIsStillRecorded) {
  Excursion request = Request(ExcursionScope::kTank, "LN2-A");
  request.from = H(1);
  request.to = H(2);
  const absl::StatusOr<ExcursionDecision> d = DecideOpenExcursion(request, {}, Ctx());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(d->children, IsEmpty());
}

TEST(ExcursionTest, EquipmentAndTanksNeedAWindowALotDoesNot) {
  for (ExcursionScope scope : {ExcursionScope::kEquipment, ExcursionScope::kTank}) {
    const absl::Status s = DecideOpenExcursion(Request(scope, "X-1"), {}, Ctx()).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("from_time and to_time: required"));
  }
  EXPECT_TRUE(DecideOpenExcursion(Request(ExcursionScope::kLot, "COL-1"), {}, Ctx()).ok());
}

TEST(ExcursionTest, RefusesABadRequestNamingTheField) {
  Excursion e = Request(ExcursionScope::kEquipment, "INC-01");
  e.from = H(10);
  e.to = H(9);
  EXPECT_THAT(DecideOpenExcursion(e, {}, Ctx()).status().message(),
              HasSubstr("to_time: 2026-04-01 18:00 UTC is before from_time"));
  e.to = absl::InfiniteFuture();
  EXPECT_THAT(DecideOpenExcursion(e, {}, Ctx()).status().message(), HasSubstr("give both"));
  e.from = H(2000);
  e.to = H(2001);
  EXPECT_THAT(DecideOpenExcursion(e, {}, Ctx()).status().message(),
              HasSubstr("from_time: 2026-06-23 17:00 UTC is in the future"));
  Excursion no_scope = Request(ExcursionScope::kUnspecified, "INC-01");
  EXPECT_THAT(DecideOpenExcursion(no_scope, {}, Ctx()).status().message(),
              HasSubstr("scope is required"));
  Excursion no_subject = Request(ExcursionScope::kLot, "");
  EXPECT_THAT(DecideOpenExcursion(no_subject, {}, Ctx()).status().message(),
              HasSubstr("subject: required"));
  Excursion no_text = Request(ExcursionScope::kLot, "COL-1");
  no_text.description = "";
  EXPECT_THAT(DecideOpenExcursion(no_text, {}, Ctx()).status().message(),
              HasSubstr("description"));
}

// --- Closing the parent ------------------------------------------------------

Deviation Child(int64_t id, bool closed) {
  Deviation d;
  d.deviation_id = id;
  d.kind = DeviationKind::kExcursion;
  d.state = closed ? DeviationState::kClosed : DeviationState::kOpen;
  if (closed) d.closure = DeviationClosure{Disposition::kContinue, "ok", H(5), "qa.tanaka", ""};
  return d;
}

TEST(ExcursionTest, ClosesOnlyOnceEveryChildIsDisposedOf) {
  Excursion e = Request(ExcursionScope::kLot, "COL-1");
  e.excursion_id = 3;
  const absl::Status s =
      DecideCloseExcursion(e, {{"B1", Child(11, true)}, {"B2", Child(12, false)},
                               {"B3", Child(13, false)}},
                           "all batches assessed", Ctx())
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("EXC-3 has 2 open deviations"));
  EXPECT_THAT(s.message(), HasSubstr("deviation #12 on batch B2, deviation #13 on batch B3"));

  const absl::StatusOr<ExcursionClosure> c = DecideCloseExcursion(
      e, {{"B1", Child(11, true)}, {"B2", Child(12, true)}}, "all batches assessed", Ctx());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->closed_by, "qa.tanaka");
  EXPECT_EQ(c->reason, "all batches assessed");
}

TEST(ExcursionTest, ClosingNeedsAReasonAndHappensOnce) {
  Excursion e = Request(ExcursionScope::kLot, "COL-1");
  e.excursion_id = 3;
  EXPECT_THAT(DecideCloseExcursion(e, {}, "", Ctx()).status().message(), HasSubstr("reason"));
  e.closure = ExcursionClosure{"done", H(3), "qa.mori"};
  EXPECT_EQ(DecideCloseExcursion(e, {}, "again", Ctx()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ExcursionTest, LabelsRoundTrip) {
  EXPECT_EQ(ExcursionLabel(3), "EXC-3");
  EXPECT_EQ(*ParseExcursionLabel("EXCURSION", "exc-3"), 3);
  EXPECT_EQ(*ParseExcursionLabel("EXCURSION", "3"), 3);
  EXPECT_THAT(ParseExcursionLabel("EXCURSION", "EXC-x").status().message(),
              HasSubstr("EXCURSION: \"EXC-x\" is not an excursion ID"));
}

// A child is an ordinary deviation on its batch: open, it holds release.
TEST(ExcursionTest, AnOpenChildHoldsReleaseLikeAnyOpenDeviation) {
  World w = ReleasableWorld();
  Excursion request = Request(ExcursionScope::kLot, "CS10-7");
  absl::StatusOr<ExcursionDecision> d =
      DecideOpenExcursion(request, {{w.batch.batch_id.compact(), {"unit"}}}, Ctx(w.now));
  ASSERT_TRUE(d.ok());
  Deviation child = d->children[0].second;
  child.deviation_id = 21;
  child.excursion_id = 4;
  w.deviations.push_back(child);
  const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
  EXPECT_FALSE(r.ready);
  const Criterion* open = FindCriterion(r, "open deviations");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->status, CriterionStatus::kNotMet);
  EXPECT_THAT(open->value, HasSubstr("21 (excursion)"));
}

}  // namespace
}  // namespace cpctrack::domain
