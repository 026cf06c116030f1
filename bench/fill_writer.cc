// HistoryWriter: reference data, the helpers every event uses, and a batch's
// registration, culture, plan and infusions (QC, units and release are in
// fill_writer_qc.cc). Every write is an app/ function: the domain decides.
#include "bench/fill_writer.h"

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "app/batch_steps.h"
#include "app/deviations.h"
#include "app/inventory.h"
#include "app/patients.h"
#include "app/treatment.h"
#include "app/units.h"
#include "app/users.h"
#include "domain/product.h"
#include "domain/qualification.h"
#include "domain/status_macros.h"
#include "domain/treatment_plan.h"

namespace cpctrack::bench {
namespace {

// Reference data is the generator's own doing, and says so in the trail.
constexpr char kSetupActor[] = "cpc-bench-fill";
constexpr char kScheduler[] = "lab.sched1";
constexpr char kNurse[] = "lab.nurse1";
constexpr char kFacility[] = "W1234";  // as cpcd is started by tests/e2e/server_process
constexpr int64_t kSeededCells = 2'000'000;
// Never a valid Argon2id string: nobody can log in as the generated staff
// (cpcd's test users are created separately, by the benchmark).
constexpr char kNoLoginHash[] = "$argon2id$v=19$m=65536,t=2,p=1$cpc-bench-fill$no-login";

struct Staff {
  const char* name;
  const char* full_name;
  domain::Role role;
};
constexpr Staff kStaff[] = {
    {"lab.tech1", "Aoki Yui", domain::Role::kTechnician},
    {"lab.tech2", "Ito Sora", domain::Role::kTechnician},
    {"lab.tech3", "Ueda Ren", domain::Role::kTechnician},
    {"lab.nurse1", "Mori Hana", domain::Role::kTechnician},
    {"lab.qa1", "Saito Mei", domain::Role::kReviewer},
    {"lab.qa2", "Kudo Riku", domain::Role::kReviewer},
    {"lab.sched1", "Endo Kai", domain::Role::kScheduler},
};

std::mt19937_64 EventRng(const BatchTraits& batch, const Event& e) {
  return std::mt19937_64((batch.key << 16) ^ (static_cast<uint64_t>(e.kind) << 8) ^ e.arg);
}

std::string FullName(absl::string_view user) {
  for (const Staff& staff : kStaff) {
    if (user == staff.name) return staff.full_name;
  }
  return std::string(user);
}

// The instruments the lab keeps; those that need calibration are calibrated
// yearly (HistoryWriter::Calibrate).
constexpr std::pair<const char*, domain::EquipmentKind> kEquipment[] = {
    {"INC-01", domain::EquipmentKind::kIncubator},
    {"INC-02", domain::EquipmentKind::kIncubator},
    {"INC-03", domain::EquipmentKind::kIncubator},
    {"INC-04", domain::EquipmentKind::kIncubator},
    {"BSC-01", domain::EquipmentKind::kBiosafetyCabinet},
    {"BSC-02", domain::EquipmentKind::kBiosafetyCabinet},
    {"CRF-01", domain::EquipmentKind::kControlledRateFreezer},
    {"NC-01", domain::EquipmentKind::kCellCounter},
};

}  // namespace

HistoryWriter::HistoryWriter(const Schedule& schedule)
    : schedule_(schedule), live_(schedule.batches.size()) {}

app::WriteContext HistoryWriter::As(absl::string_view user, absl::Time at) const {
  return app::WriteContext{.now = at,
                           .zone = absl::UTCTimeZone(),
                           .user = std::string(user),
                           .full_name = FullName(user),
                           .request_id = request_id_,
                           .late_entry_reason = ""};
}

absl::Status HistoryWriter::WriteStaff(store::Transaction& tx, absl::Time at) {
  for (const Staff& staff : kStaff) {
    RETURN_IF_ERROR(app::CreateUser(tx, As(kSetupActor, at),
                                    {staff.name, staff.full_name, {staff.role}, kNoLoginHash})
                        .status());
  }
  return absl::OkStatus();
}

// The staff's qualifications, as QA keeps them: two-year terms, renewed a
// month before they lapse (a qualification is recorded once earned, never
// ahead); technicians for the culture procedures, the nurse for infusions
// (the domain refuses their steps otherwise).
absl::Status HistoryWriter::Requalify(store::Transaction& tx, absl::Time at) {
  if (at < next_requalification_) return absl::OkStatus();
  constexpr int kTermDays = 730;
  const absl::CivilDay today = absl::ToCivilDay(at, absl::UTCTimeZone());
  for (const Staff& staff : kStaff) {
    if (staff.role != domain::Role::kTechnician) continue;
    std::vector<domain::Procedure> procedures = {
        domain::Procedure::kAsepticProcessing, domain::Procedure::kPassage,
        domain::Procedure::kFreezing, domain::Procedure::kQcTesting};
    if (absl::string_view(staff.name) == kNurse) procedures = {domain::Procedure::kInfusion};
    for (domain::Procedure procedure : procedures) {
      RETURN_IF_ERROR(
          app::RecordQualification(tx, As("lab.qa1", at),
                                   {.user_name = staff.name,
                                    .procedure = procedure,
                                    .qualified_on = today,
                                    .expires_on = today + kTermDays,
                                    .evidence = absl::StrCat("TR-", staff.name, "-", today.year())})
              .status());
    }
  }
  next_requalification_ = at + absl::Hours(24 * (kTermDays - 30));
  return absl::OkStatus();
}

absl::Status HistoryWriter::Calibrate(store::Transaction& tx, absl::Time at) {
  if (at < next_calibration_) return absl::OkStatus();
  const absl::CivilDay due = absl::ToCivilDay(at, absl::UTCTimeZone()) + 395;
  for (const auto& [id, kind] : kEquipment) {
    if (!domain::NeedsCalibration(kind)) continue;
    RETURN_IF_ERROR(
        app::RecordEquipmentUpkeep(tx, As(kSetupActor, at),
                                   {.equipment_id = id,
                                    .kind = domain::UpkeepKind::kCalibration,
                                    .performed_at = at,
                                    .next_due = due,
                                    .certificate = absl::StrCat("CAL-", id, "-", due.year())})
            .status());
  }
  next_calibration_ = at + absl::Hours(24 * 365);
  return absl::OkStatus();
}

absl::Status HistoryWriter::WriteReferenceData(store::Transaction& tx, absl::Time at) {
  request_id_ = "fill-reference";
  RETURN_IF_ERROR(app::ShipProduct(tx, As("cpcd", at), domain::DefaultProduct(),
                                   "default product shipped with cpctrack"));
  RETURN_IF_ERROR(WriteStaff(tx, at));
  RETURN_IF_ERROR(Requalify(tx, at));
  for (const auto& [id, kind] : kEquipment) {
    domain::Equipment e;
    e.equipment_id = id;
    e.kind = kind;
    e.name = id;
    RETURN_IF_ERROR(app::CreateEquipment(tx, As(kSetupActor, at), std::move(e)).status());
  }
  return Calibrate(tx, at);
}

absl::StatusOr<std::string> HistoryWriter::Lot(store::Transaction& tx, absl::Time at,
                                               absl::string_view prefix) {
  // A new lot of each material every quarter, good for a year after it,
  // accepted by QA on receipt (a batch may use only accepted lots).
  const absl::CivilDay day = absl::ToCivilDay(at, absl::UTCTimeZone());
  const int quarter = (day.month() - 1) / 3 + 1;
  const std::string number = absl::StrFormat("%s-%04dQ%d", prefix, day.year(), quarter);
  if (!lots_.insert(number).second) return number;
  domain::ReagentLot lot;
  lot.lot_number = number;
  lot.name = std::string(prefix);
  lot.manufacturer = "Bench Supplies";
  lot.expiry_day = absl::CivilDay(day.year() + 1, quarter * 3, 28);
  RETURN_IF_ERROR(app::CreateReagentLot(tx, As(kSetupActor, at), std::move(lot)).status());
  RETURN_IF_ERROR(
      app::AcceptReagentLot(tx, As("lab.qa1", at), number, absl::StrCat("CoA ", number))
          .status());
  return number;
}

absl::Status HistoryWriter::Register(store::Transaction& tx, int index, Live& live,
                                     absl::Time at) {
  const BatchTraits& traits = schedule_.batches[index];
  live.tech = absl::StrCat("lab.tech", 1 + index % 3);
  live.qa = absl::StrCat("lab.qa", 1 + index % 2);
  std::mt19937_64 rng(traits.key);
  if (traits.new_patient) {
    domain::Patient p;
    p.patient_id = absl::StrFormat("PT-%06d", ++patient_count_);
    p.body_weight_kg = 45 + static_cast<double>(rng() % 400) / 10;
    const auto negative = domain::ScreeningResult::kNegative;
    p.screening = {negative, negative, negative, negative, negative};
    p.consent = {true, at - absl::Hours(24 * 7), absl::StrFormat("CF-%06d", patient_count_)};
    RETURN_IF_ERROR(app::CreatePatient(tx, As(kScheduler, at), std::move(p)).status());
    ++counts_.patients;
  }
  ASSIGN_OR_RETURN(live.batch,
                   app::CreateBatch(tx, As(live.tech, at),
                                    {absl::StrFormat("PT-%06d", patient_count_), "ADSC-STD",
                                     kFacility}));
  ++counts_.batches;
  return absl::OkStatus();
}

absl::Status HistoryWriter::Culture(store::Transaction& tx, int index, Live& live,
                                    const Event& e, absl::Time at) {
  const BatchTraits& traits = schedule_.batches[index];
  std::mt19937_64 rng = EventRng(traits, e);
  auto jitter = [&rng](double spread) {
    return 1 + spread * (static_cast<double>(rng() % 2001) / 1000 - 1);
  };
  const std::string incubator = absl::StrCat("INC-0", 1 + index % 4);
  auto append = [&](domain::AuditAction action,
                    domain::RecordData data) -> absl::StatusOr<app::StepOutcome> {
    ++counts_.records;
    absl::StatusOr<app::StepOutcome> out =
        app::AppendStep(tx, As(live.tech, at), live.batch->batch_id, action, data);
    if (out.ok()) {
      live.batch = out->batch.batch;
      counts_.deviations += static_cast<int64_t>(out->opened_deviations.size());
    }
    return out;
  };
  switch (e.kind) {
    case EventKind::kReceive: {
      domain::TissueReceipt r;
      r.collection_time = traits.created - absl::Hours(traits.late_processing ? 47 : 3);
      r.receipt_time = at;
      r.collection_site = "abdominal subcutaneous fat";
      r.volume_ml = std::round(20 * jitter(0.4));
      r.transport_temperature_c = 4;
      r.collected_by = "Dr. Sato (clinic)";
      return append(domain::AuditAction::kBatchReceiveTissue, r).status();
    }
    case EventKind::kSeed: {
      domain::Seeding s;
      s.seeding_time = at;
      s.cells_seeded = live.cells_in_culture = kSeededCells;
      s.vessel_type = "T75";
      s.vessel_count = 2;
      s.surface_area_cm2 = 150;
      ASSIGN_OR_RETURN(s.medium_lot, Lot(tx, at, "MED"));
      ASSIGN_OR_RETURN(std::string collagenase, Lot(tx, at, "COL"));
      s.reagent_lots = {collagenase};
      s.incubator_id = incubator;
      s.cabinet_id = absl::StrCat("BSC-0", 1 + index % 2);
      // A late collection opens its late-processing deviation by itself.
      ASSIGN_OR_RETURN(app::StepOutcome out, append(domain::AuditAction::kBatchSeedCulture, s));
      if (!out.opened_deviations.empty()) {
        live.late_deviation_id = out.opened_deviations.front().deviation_id;
      }
      return absl::OkStatus();
    }
    case EventKind::kObserve: {
      const int since_passage = e.arg % 4;
      domain::Observation o{at, std::min(95.0, std::round((15 + 20 * since_passage) * jitter(0.2))),
                            "spindle-shaped, fibroblast-like"};
      ASSIGN_OR_RETURN(app::StepOutcome out,
                       append(domain::AuditAction::kBatchRecordObservation, o));
      if (e.arg == 5) {
        live.day5_observation_id = out.record.record_id;
        live.day5_observation = o;
      }
      return absl::OkStatus();
    }
    case EventKind::kMediumChange: {
      domain::MediumChange m;
      m.change_time = at;
      ASSIGN_OR_RETURN(m.medium_lot, Lot(tx, at, "MED"));
      m.volume_ml = 15;
      return append(domain::AuditAction::kBatchRecordMediumChange, m).status();
    }
    case EventKind::kPassage: {
      // About 3.2 doublings in the four days since the last count.
      const double doublings = 3.2 * jitter(0.15);
      domain::Passage p;
      p.passage_time = at;
      p.total_cells = static_cast<int64_t>(live.cells_in_culture * std::exp2(doublings) / 0.93);
      p.viable_cells = static_cast<int64_t>(p.total_cells * 0.93 * jitter(0.03));
      p.viable_cells = std::min(p.viable_cells, p.total_cells);
      p.viability_percent = 100.0 * p.viable_cells / p.total_cells;
      p.counting_method = domain::CountingMethod::kAutomatedTrypanBlue;
      const int64_t reseed[] = {6'000'000, 18'000'000, 120'000'000};
      p.cells_reseeded = std::min(p.viable_cells, reseed[e.arg - 1]);
      p.vessel_count = 2 * e.arg + 2;
      p.surface_area_cm2 = 75.0 * p.vessel_count;
      ASSIGN_OR_RETURN(p.medium_lot, Lot(tx, at, "MED"));
      ASSIGN_OR_RETURN(std::string trypsin, Lot(tx, at, "TRY"));
      p.reagent_lots = {trypsin};
      p.incubator_id = incubator;
      p.counter_id = "NC-01";
      p.passage_number = e.arg;
      live.cells_in_culture = p.cells_reseeded;
      live.last_viable_count = p.viable_cells;
      return append(domain::AuditAction::kBatchRecordPassage, p).status();
    }
    case EventKind::kCorrect: {
      domain::Observation fixed = live.day5_observation;
      fixed.confluence_percent = std::min(95.0, fixed.confluence_percent + 10);
      ++counts_.records;
      return app::CorrectRecord(tx, As(live.tech, at), live.batch->batch_id,
                                live.day5_observation_id, "confluence was read from the wrong flask",
                                fixed)
          .status();
    }
    default:
      return absl::InternalError("not a culture event");
  }
}

absl::Status HistoryWriter::Plan(store::Transaction& tx, int index, Live& live, absl::Time at) {
  app::NewPlan request{.batch_id = live.batch->batch_id, .patient_id = "", .plan = {}};
  request.plan.plan_number = absl::StrFormat("JP-TP-%06d", index + 1);
  request.plan.fixed_cells = 15'000'000;
  for (int k = 0; k < 2; ++k) {
    request.plan.infusions.push_back({0, k + 1, InfusionDay(schedule_.batches[index], k)});
  }
  ASSIGN_OR_RETURN(app::PlanOutcome out, app::CreatePlan(tx, As(kScheduler, at), request));
  ++counts_.plans;
  for (int k = 0; k < 2; ++k) live.planned_infusion_ids[k] = out.plan.infusions[k].infusion_id;
  return absl::OkStatus();
}

absl::Status HistoryWriter::Infuse(store::Transaction& tx, Live& live, int which, absl::Time at) {
  // All written when the infusion ends (`at`): thawed by the batch's
  // technician, counted as it thaws; 35 minutes later the nurse scans unit
  // and wristband at the bedside and infuses for 45 minutes, the technician
  // verifying the identity check.
  const absl::Time started = at - absl::Minutes(45);
  domain::Unit& unit = live.units[which];
  const int64_t viable = unit.cells * 9 / 10;
  ASSIGN_OR_RETURN(app::UnitWrite thawed,
                   app::ThawUnit(tx, As(live.tech, at), unit.unit_id,
                                 {.thawed_at = started - absl::Minutes(35),
                                  .total_cells = unit.cells,
                                  .viable_cells = viable}));
  unit = thawed.unit;
  const app::BedsideScan scan{.planned_infusion_id = live.planned_infusion_ids[which],
                              .unit_id = unit.unit_id,
                              .scanned_unit_id = unit.unit_id,
                              .scanned_patient_id = unit.patient_id,
                              .given_at = started};
  ASSIGN_OR_RETURN(app::BedsideCheck check, app::RecordBedsideCheck(tx, As(kNurse, at), scan));
  RETURN_IF_ERROR(check.outcome);
  app::NewInfusion request{.scan = scan, .infusion = {}, .verifier = {}};
  request.infusion.started_at = started;
  request.infusion.ended_at = at;
  request.infusion.viable_cells_given = viable;
  request.verifier = {live.tech, FullName(live.tech)};
  ASSIGN_OR_RETURN(app::InfusionOutcome out, app::RecordInfusion(tx, As(kNurse, at), request));
  unit = out.unit;
  ++counts_.infusions;
  return absl::OkStatus();
}

absl::Status HistoryWriter::Apply(store::Transaction& tx, const Event& e) {
  Live& live = live_[e.batch];
  const absl::Time at = absl::FromUnixMicros(e.at_us);
  request_id_ = absl::StrFormat("fill-%d-%d-%d", e.batch, static_cast<int>(e.kind), e.arg);
  ++counts_.events;
  RETURN_IF_ERROR(Calibrate(tx, at));
  RETURN_IF_ERROR(Requalify(tx, at));
  switch (e.kind) {
    case EventKind::kRegister: return Register(tx, e.batch, live, at);
    case EventKind::kReceive:
    case EventKind::kSeed:
    case EventKind::kObserve:
    case EventKind::kMediumChange:
    case EventKind::kPassage:
    case EventKind::kCorrect: return Culture(tx, e.batch, live, e, at);
    case EventKind::kCloseLateDeviation:
      return Close(tx, live, live.late_deviation_id, domain::Disposition::kContinue,
                   "tissue kept at 4 °C throughout; growth normal", at);
    case EventKind::kPlan: return Plan(tx, e.batch, live, at);
    case EventKind::kDrawInProcess: return DrawSample(tx, live, at, false);
    case EventKind::kDrawFinal: return DrawSample(tx, live, at, true);
    case EventKind::kFreeze: return Freeze(tx, live, at);
    case EventKind::kResult: return Result(tx, e.batch, live, e.arg, at);
    case EventKind::kReview: return Review(tx, live, e.arg, at);
    case EventKind::kInvalidate: return Invalidate(tx, live, at);
    case EventKind::kReject:
      return Close(tx, live, live.positive_deviation_id, domain::Disposition::kReject,
                   "sterility positive: the batch cannot be used", at);
    case EventKind::kDispose: return Dispose(tx, live, at);
    case EventKind::kRelease: return Release(tx, live, at);
    case EventKind::kInfuse: return Infuse(tx, live, e.arg, at);
  }
  return absl::InternalError("unknown event");
}

absl::StatusOr<FillCounts> FillDatabase(const std::string& path, const FillOptions& options,
                                        int per_commit, std::ostream* progress) {
  const Schedule schedule = MakeSchedule(options);
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::Store::Open(path));
  HistoryWriter writer(schedule);
  const absl::Time first = schedule.events.empty()
                               ? options.now
                               : absl::FromUnixMicros(schedule.events.front().at_us);
  RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) {
    return writer.WriteReferenceData(tx, first - absl::Hours(24));
  }));
  const size_t n = schedule.events.size();
  const size_t chunk = static_cast<size_t>(std::max(1, per_commit));
  size_t next_report = n / 10;
  for (size_t begin = 0; begin < n; begin += chunk) {
    const size_t end = std::min(n, begin + chunk);
    RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) -> absl::Status {
      for (size_t i = begin; i < end; ++i) {
        const Event& e = schedule.events[i];
        if (absl::Status s = writer.Apply(tx, e); !s.ok()) {
          // The domain refused the schedule: say which event, to mend the schedule.
          return absl::Status(s.code(), absl::StrFormat("event %d (batch %d, kind %d, arg %d, at %s): %s",
                                                        i, e.batch, static_cast<int>(e.kind), e.arg,
                                                        absl::FormatTime(absl::FromUnixMicros(e.at_us)),
                                                        s.message()));
        }
      }
      return absl::OkStatus();
    }));
    if (progress != nullptr && end >= next_report && end < n) {
      *progress << absl::StrFormat("%s: %d%% (%d of %d events)\n", path, 100 * end / n, end, n);
      next_report += n / 10;
    }
  }
  FillCounts& counts = writer.counts();
  RETURN_IF_ERROR(store->Read([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(domain::AuditHead head, tx.AuditHead());
    counts.audit_entries = head.entries;
    return absl::OkStatus();
  }));
  return counts;
}

}  // namespace cpctrack::bench
