// HistoryWriter: reference data, the helpers every event uses, and a batch's
// registration, culture, plan and infusions (QC, units and release are in
// fill_writer_qc.cc).
#include "bench/fill_writer.h"

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "domain/product.h"
#include "domain/qualification.h"
#include "domain/signature.h"
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

std::string Resource(const domain::Batch& batch) {
  return absl::StrCat("batches/", batch.batch_id.compact());
}

}  // namespace

HistoryWriter::HistoryWriter(const Schedule& schedule)
    : schedule_(schedule), live_(schedule.batches.size()) {}

absl::Status HistoryWriter::Audit(store::Transaction& tx, absl::Time at, absl::string_view actor,
                                  domain::AuditAction action, absl::string_view resource,
                                  std::string old_value, std::string new_value,
                                  absl::string_view reason) {
  domain::AuditEntry entry;
  entry.at = at;
  entry.actor = std::string(actor);
  entry.action = std::string(domain::AuditActionName(action));
  entry.resource = std::string(resource);
  entry.old_value = std::move(old_value);
  entry.new_value = std::move(new_value);
  entry.reason = std::string(reason);
  entry.request_id = request_id_;
  ++counts_.audit_entries;
  return tx.AppendAudit(entry);
}

absl::Status HistoryWriter::Sign(store::Transaction& tx, absl::Time at, absl::string_view signer,
                                 int meaning, absl::string_view resource,
                                 absl::string_view content) {
  domain::Signature s;
  s.signer = std::string(signer);
  for (const Staff& staff : kStaff) {
    if (signer == staff.name) s.full_name = staff.full_name;
  }
  s.meaning = static_cast<domain::SignatureMeaning>(meaning);
  s.signed_at = at;
  s.resource = std::string(resource);
  s.content_sha256 =
      domain::Sha256Hex(domain::SignedContent(resource, content, signer, s.meaning, at));
  RETURN_IF_ERROR(tx.InsertSignature(s));
  return Audit(tx, at, signer, domain::AuditAction::kSignatureSign, resource, "",
               absl::StrCat("{\"full_name\":", domain::JsonString(s.full_name), ",\"meaning\":\"",
                            domain::SignatureMeaningText(s.meaning), "\",\"content_sha256\":\"",
                            s.content_sha256, "\"}"),
               domain::SignatureMeaningText(s.meaning));
}

// The staff's qualifications, as QA keeps them: two-year terms renewed
// until the last event, technicians for the culture procedures, the nurse for
// infusions (cpcd would refuse their steps otherwise).
absl::Status HistoryWriter::WriteQualifications(store::Transaction& tx, absl::Time at) {
  const absl::Time last =
      schedule_.events.empty() ? at : absl::FromUnixMicros(schedule_.events.back().at_us);
  const absl::CivilDay last_day = absl::ToCivilDay(last, absl::UTCTimeZone());
  constexpr int kTermDays = 730;
  for (const Staff& staff : kStaff) {
    if (staff.role != domain::Role::kTechnician) continue;
    std::vector<domain::Procedure> procedures = {
        domain::Procedure::kAsepticProcessing, domain::Procedure::kPassage,
        domain::Procedure::kFreezing, domain::Procedure::kQcTesting};
    if (absl::string_view(staff.name) == kNurse) procedures = {domain::Procedure::kInfusion};
    for (absl::CivilDay from = absl::ToCivilDay(at, absl::UTCTimeZone()); from <= last_day;
         from += kTermDays) {
      for (domain::Procedure procedure : procedures) {
        domain::Qualification q;
        q.user_name = staff.name;
        q.procedure = procedure;
        q.qualified_on = from;
        q.expires_on = from + kTermDays;
        q.evidence = absl::StrCat("TR-", staff.name, "-", from.year());
        q.recorded_at = at;
        q.recorded_by = kSetupActor;
        RETURN_IF_ERROR(tx.InsertQualification(q));
        RETURN_IF_ERROR(
            Audit(tx, at, kSetupActor, domain::AuditAction::kUserQualify,
                  absl::StrCat("users/", staff.name, "/qualifications/", q.qualification_id), "",
                  domain::ToJson(q), q.evidence));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status HistoryWriter::WriteReferenceData(store::Transaction& tx, absl::Time at) {
  request_id_ = "fill-reference";
  const domain::Product product = domain::DefaultProduct();
  RETURN_IF_ERROR(tx.InsertProduct(product, at));
  RETURN_IF_ERROR(
      Audit(tx, at, "cpcd", domain::AuditAction::kProductCreate,
            absl::StrFormat("products/%s/versions/%d", product.product_code, product.version), "",
            domain::JsonObject().Add("product_code", product.product_code).Build(),
            "default product shipped with cpctrack"));
  for (const Staff& staff : kStaff) {
    domain::User user{staff.name, staff.full_name, {staff.role}, false, at, kSetupActor};
    RETURN_IF_ERROR(tx.InsertUser(user, kNoLoginHash, kSetupActor));
    RETURN_IF_ERROR(Audit(tx, at, kSetupActor, domain::AuditAction::kUserCreate,
                          absl::StrCat("users/", staff.name), "",
                          domain::JsonObject().Add("full_name", staff.full_name).Build()));
  }
  RETURN_IF_ERROR(WriteQualifications(tx, at));
  const std::pair<const char*, domain::EquipmentKind> equipment[] = {
      {"INC-01", domain::EquipmentKind::kIncubator},
      {"INC-02", domain::EquipmentKind::kIncubator},
      {"INC-03", domain::EquipmentKind::kIncubator},
      {"INC-04", domain::EquipmentKind::kIncubator},
      {"BSC-01", domain::EquipmentKind::kBiosafetyCabinet},
      {"BSC-02", domain::EquipmentKind::kBiosafetyCabinet},
      {"CRF-01", domain::EquipmentKind::kControlledRateFreezer},
      {"NC-01", domain::EquipmentKind::kCellCounter},
  };
  for (const auto& [id, kind] : equipment) {
    domain::Equipment e;
    e.equipment_id = id;
    e.kind = kind;
    e.name = id;
    e.created_at = at;
    e.created_by = kSetupActor;
    RETURN_IF_ERROR(tx.InsertEquipment(e));
    RETURN_IF_ERROR(Audit(tx, at, kSetupActor, domain::AuditAction::kEquipmentCreate,
                          absl::StrCat("equipment/", id), "", domain::ToJson(e)));
  }
  return absl::OkStatus();
}

std::string HistoryWriter::Lot(store::Transaction& tx, absl::Time at, absl::string_view prefix,
                               absl::Status& status) {
  // A new lot of each material every quarter, good for a year after it.
  const absl::CivilDay day = absl::ToCivilDay(at, absl::UTCTimeZone());
  const int quarter = (day.month() - 1) / 3 + 1;
  const std::string number = absl::StrFormat("%s-%04dQ%d", prefix, day.year(), quarter);
  if (!lots_.insert(number).second) return number;
  domain::ReagentLot lot;
  lot.lot_number = number;
  lot.name = std::string(prefix);
  lot.manufacturer = "Bench Supplies";
  lot.expiry_day = absl::CivilDay(day.year() + 1, quarter * 3, 28);
  lot.created_at = at;
  lot.created_by = kSetupActor;
  status.Update(tx.InsertReagentLot(lot));
  status.Update(Audit(tx, at, kSetupActor, domain::AuditAction::kLotCreate,
                      absl::StrCat("lots/", number), "", domain::ToJson(lot)));
  // Accepted by QA on receipt, as every lot a batch used was.
  const domain::LotDecision accept{.lot_number = number, .status = domain::LotStatus::kAccepted,
                                   .certificate = absl::StrCat("CoA ", number), .reason = "",
                                   .decided_at = at, .decided_by = "lab.qa1"};
  absl::StatusOr<domain::ReagentLot> accepted = domain::DecideLot(lot, accept);
  status.Update(accepted.status());
  if (accepted.ok()) {
    status.Update(tx.InsertLotDecision(accept));
    status.Update(Audit(tx, at, "lab.qa1", domain::AuditAction::kLotAccept,
                        absl::StrCat("lots/", number), domain::ToJson(lot),
                        domain::ToJson(*accepted), accept.certificate));
  }
  return number;
}

absl::Status HistoryWriter::ChangeBatch(store::Transaction& tx, Live& live, absl::Time at,
                                        absl::string_view actor, domain::BatchState state,
                                        int passage, bool effect, absl::string_view reason) {
  domain::Batch& batch = *live.batch;
  const domain::Batch before = batch;
  batch.state = state;
  batch.current_passage = passage;
  batch.updated_at = at;
  RETURN_IF_ERROR(tx.UpdateBatchSummary(batch));
  if (effect && before.state != state) {
    RETURN_IF_ERROR(tx.InsertStateChange(batch.batch_id, before.state, state, at, actor, reason));
  }
  if (before.state == state && before.current_passage == passage) return absl::OkStatus();
  return Audit(tx, at, actor, domain::AuditAction::kBatchUpdate, Resource(batch),
               domain::ToJson(before), domain::ToJson(batch), reason);
}

absl::StatusOr<int64_t> HistoryWriter::Record(store::Transaction& tx, Live& live, absl::Time at,
                                              domain::AuditAction action, domain::RecordData data,
                                              const domain::BatchRecord* corrects) {
  domain::BatchRecord record;
  record.recorded_at = at;
  record.recorded_by = live.tech;
  record.data = std::move(data);
  if (corrects != nullptr) {
    record.corrects_record_id = corrects->record_id;
    record.correction_reason = "confluence was read from the wrong flask";
  }
  RETURN_IF_ERROR(tx.InsertRecord(live.batch->batch_id, record));
  ++counts_.records;
  RETURN_IF_ERROR(Audit(tx, at, live.tech, action,
                        absl::StrCat(Resource(*live.batch), "/records/", record.record_id),
                        corrects != nullptr ? domain::ToJson(*corrects) : "",
                        domain::ToJson(record), record.correction_reason));
  return record.record_id;
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
    p.created_at = p.updated_at = at;
    p.created_by = p.updated_by = kScheduler;
    RETURN_IF_ERROR(tx.InsertPatient(p));
    ++counts_.patients;
    RETURN_IF_ERROR(Audit(tx, at, kScheduler, domain::AuditAction::kPatientCreate,
                          absl::StrCat("patients/", p.patient_id), "", domain::ToJson(p)));
  }
  const int year = absl::ToCivilDay(at, absl::UTCTimeZone()).year();
  ASSIGN_OR_RETURN(domain::Din din,
                   domain::Din::Create(kFacility, year % 100, ++din_sequence_by_year_[year]));
  live.batch = domain::Batch{.batch_id = std::move(din),
                             .patient_id = absl::StrFormat("PT-%06d", patient_count_),
                             .product_code = "ADSC-STD",
                             .product_version = 1,
                             .created_at = at,
                             .created_by = live.tech,
                             .updated_at = at};
  RETURN_IF_ERROR(tx.InsertBatch(*live.batch));
  ++counts_.batches;
  return Audit(tx, at, live.tech, domain::AuditAction::kBatchCreate, Resource(*live.batch), "",
               domain::ToJson(*live.batch));
}

absl::Status HistoryWriter::Culture(store::Transaction& tx, int index, Live& live,
                                    const Event& e, absl::Time at) {
  const BatchTraits& traits = schedule_.batches[index];
  std::mt19937_64 rng = EventRng(traits, e);
  auto jitter = [&rng](double spread) {
    return 1 + spread * (static_cast<double>(rng() % 2001) / 1000 - 1);
  };
  absl::Status lot_status;
  const std::string incubator = absl::StrCat("INC-0", 1 + index % 4);
  switch (e.kind) {
    case EventKind::kReceive: {
      domain::TissueReceipt r;
      r.collection_time = traits.created - absl::Hours(traits.late_processing ? 47 : 3);
      r.receipt_time = at;
      r.collection_site = "abdominal subcutaneous fat";
      r.volume_ml = std::round(20 * jitter(0.4));
      r.transport_temperature_c = 4;
      r.collected_by = "Dr. Sato (clinic)";
      RETURN_IF_ERROR(Record(tx, live, at, domain::AuditAction::kBatchReceiveTissue, r).status());
      return ChangeBatch(tx, live, at, live.tech, domain::BatchState::kTissueReceived, -1, false,
                         "");
    }
    case EventKind::kSeed: {
      domain::Seeding s;
      s.seeding_time = at;
      s.cells_seeded = live.seeded_cells = live.cells_in_culture = kSeededCells;
      s.vessel_type = "T75";
      s.vessel_count = 2;
      s.surface_area_cm2 = 150;
      s.medium_lot = Lot(tx, at, "MED", lot_status);
      s.reagent_lots = {Lot(tx, at, "COL", lot_status)};
      s.incubator_id = incubator;
      s.cabinet_id = absl::StrCat("BSC-0", 1 + index % 2);
      RETURN_IF_ERROR(lot_status);
      ASSIGN_OR_RETURN(int64_t record_id,
                       Record(tx, live, at, domain::AuditAction::kBatchSeedCulture, s));
      if (traits.late_processing) {
        domain::Deviation d;
        d.kind = domain::DeviationKind::kLateProcessing;
        d.description = "P0 seeding 51 h after collection; the product allows 48 h";
        d.opened_at = at;
        d.opened_by = live.tech;
        d.record_id = record_id;
        RETURN_IF_ERROR(tx.InsertDeviation(live.batch->batch_id, d));
        ++counts_.deviations;
        live.late_deviation_id = d.deviation_id;
        RETURN_IF_ERROR(Audit(tx, at, live.tech, domain::AuditAction::kDeviationOpen,
                              absl::StrCat(Resource(*live.batch), "/deviations/", d.deviation_id),
                              "", domain::ToJson(d), d.description));
      }
      return ChangeBatch(tx, live, at, live.tech, domain::BatchState::kInCulture, 0, false, "");
    }
    case EventKind::kObserve: {
      const int since_passage = e.arg % 4;
      domain::Observation o{at, std::min(95.0, std::round((15 + 20 * since_passage) * jitter(0.2))),
                            "spindle-shaped, fibroblast-like"};
      ASSIGN_OR_RETURN(int64_t record_id,
                       Record(tx, live, at, domain::AuditAction::kBatchRecordObservation, o));
      if (e.arg == 5) {
        live.day5_observation_id = record_id;
        live.day5_observation = o;
      }
      return absl::OkStatus();
    }
    case EventKind::kMediumChange: {
      domain::MediumChange m;
      m.change_time = at;
      m.medium_lot = Lot(tx, at, "MED", lot_status);
      m.volume_ml = 15;
      RETURN_IF_ERROR(lot_status);
      return Record(tx, live, at, domain::AuditAction::kBatchRecordMediumChange, m).status();
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
      p.medium_lot = Lot(tx, at, "MED", lot_status);
      p.reagent_lots = {Lot(tx, at, "TRY", lot_status)};
      p.incubator_id = incubator;
      p.counter_id = "NC-01";
      p.passage_number = e.arg;
      RETURN_IF_ERROR(lot_status);
      live.cells_in_culture = p.cells_reseeded;
      RETURN_IF_ERROR(Record(tx, live, at, domain::AuditAction::kBatchRecordPassage, p).status());
      return ChangeBatch(tx, live, at, live.tech, domain::BatchState::kInCulture, e.arg, false,
                         "");
    }
    case EventKind::kCorrect: {
      domain::BatchRecord old;
      old.record_id = live.day5_observation_id;
      old.recorded_by = live.tech;
      old.recorded_at = live.day5_observation.observation_time;
      old.data = live.day5_observation;
      domain::Observation fixed = live.day5_observation;
      fixed.confluence_percent = std::min(95.0, fixed.confluence_percent + 10);
      return Record(tx, live, at, domain::AuditAction::kBatchCorrectRecord, fixed, &old).status();
    }
    default:
      return absl::InternalError("not a culture event");
  }
}

absl::Status HistoryWriter::Plan(store::Transaction& tx, int index, Live& live, absl::Time at) {
  domain::TreatmentPlan plan;
  plan.patient_id = live.batch->patient_id;
  plan.batch_id = live.batch->batch_id.compact();
  plan.plan_number = absl::StrFormat("JP-TP-%06d", index + 1);
  plan.fixed_cells = 15'000'000;
  for (int k = 0; k < 2; ++k) {
    plan.infusions.push_back({0, k + 1, InfusionDay(schedule_.batches[index], k)});
  }
  plan.created_at = at;
  plan.created_by = kScheduler;
  RETURN_IF_ERROR(tx.InsertPlan(plan));
  ++counts_.plans;
  for (int k = 0; k < 2; ++k) live.planned_infusion_ids[k] = plan.infusions[k].infusion_id;
  return Audit(tx, at, kScheduler, domain::AuditAction::kPlanCreate,
               absl::StrCat(Resource(*live.batch), "/plans/", plan.plan_id), "",
               domain::JsonObject()
                   .Add("plan_number", plan.plan_number)
                   .Add("fixed_cells", *plan.fixed_cells)
                   .Add("first_infusion", domain::FormatDate(plan.infusions[0].planned_day))
                   .Add("second_infusion", domain::FormatDate(plan.infusions[1].planned_day))
                   .Build());
}

absl::Status HistoryWriter::Infuse(store::Transaction& tx, Live& live, int which, absl::Time at) {
  domain::Unit& unit = live.units[which];
  const int64_t planned = live.planned_infusion_ids[which];
  const std::string resource = Resource(*live.batch);
  RETURN_IF_ERROR(tx.InsertBedsideCheck(planned, unit.unit_id, unit.unit_id, unit.patient_id,
                                        true, "", at, kNurse));
  RETURN_IF_ERROR(Audit(tx, at, kNurse, domain::AuditAction::kInfusionBedsideCheck,
                        absl::StrCat(resource, "/infusions"), "",
                        domain::JsonObject().Add("unit_id", unit.unit_id).Build()));
  domain::Infusion infusion;
  infusion.planned_infusion_id = planned;
  infusion.unit_id = unit.unit_id;
  infusion.started_at = at;
  infusion.ended_at = at + absl::Minutes(45);
  infusion.viable_cells_given = unit.cells * 7 / 10;
  infusion.recorded_at = at;
  infusion.recorded_by = kNurse;
  RETURN_IF_ERROR(tx.InsertInfusion(infusion));
  ++counts_.infusions;
  domain::UnitEvent event;
  event.unit_id = unit.unit_id;
  event.kind = domain::UnitEventKind::kInfused;
  event.from_state = unit.state;
  event.to_state = unit.state = domain::UnitState::kInfused;
  event.from_position = unit.position;
  unit.position.reset();
  event.at = at;
  event.by = kNurse;
  event.reason = absl::StrCat("planned infusion ", which + 1, " of 2");
  RETURN_IF_ERROR(tx.InsertUnitEvent(event));
  return Audit(tx, at, kNurse, domain::AuditAction::kInfusionRecord,
               absl::StrCat(resource, "/infusions/", infusion.infusion_record_id), "",
               domain::JsonObject()
                   .Add("planned_infusion_id", planned)
                   .Add("unit_id", unit.unit_id)
                   .Add("viable_cells_given", infusion.viable_cells_given)
                   .Build());
}

absl::Status HistoryWriter::Apply(store::Transaction& tx, const Event& e) {
  Live& live = live_[e.batch];
  const absl::Time at = absl::FromUnixMicros(e.at_us);
  request_id_ = absl::StrFormat("fill-%d-%d-%d", e.batch, static_cast<int>(e.kind), e.arg);
  ++counts_.events;
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
      RETURN_IF_ERROR(Close(tx, live, live.positive_deviation_id, domain::Disposition::kReject,
                            "sterility positive: the batch cannot be used", at));
      return ChangeBatch(tx, live, at, live.qa, domain::BatchState::kRejected,
                         live.batch->current_passage, true, "QA rejected: sterility positive");
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
      for (size_t i = begin; i < end; ++i) RETURN_IF_ERROR(writer.Apply(tx, schedule.events[i]));
      return absl::OkStatus();
    }));
    if (progress != nullptr && end >= next_report && end < n) {
      *progress << absl::StrFormat("%s: %d%% (%d of %d events)\n", path, 100 * end / n, end, n);
      next_report += n / 10;
    }
  }
  return writer.counts();
}

}  // namespace cpctrack::bench
