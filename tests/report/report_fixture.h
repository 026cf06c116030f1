// A released batch as GetBatch/GetReadiness/GetPlan answer it, with every
// kind of content the batch record prints, and user text that looks like
// markup.
#ifndef CPCTRACK_TESTS_REPORT_REPORT_FIXTURE_H_
#define CPCTRACK_TESTS_REPORT_REPORT_FIXTURE_H_

#include "absl/time/time.h"
#include "report/batch_record.h"

namespace cpctrack::report::testing {

inline constexpr char kMarkupNote[] = "<script>alert(1)</script> & <b>bold</b> <span foo='x'>";

inline void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

inline BatchRecordInput SampleInput() {
  namespace v1 = ::cpctrack::v1;
  const absl::Time t0 = absl::FromCivil(absl::CivilSecond(2026, 11, 2, 9, 0, 0), absl::UTCTimeZone());
  BatchRecordInput in;
  v1::Batch& b = in.batch;
  b.set_batch_id("A9999260000018");
  b.set_patient_id("TKY-<i>0042</i>");
  b.set_product_code("ADSC-STD");
  b.set_product_version(2);
  b.set_state(v1::BATCH_STATE_RELEASED);
  b.set_created_by("tech.sato");
  SetTime(t0, b.mutable_create_time());
  v1::Product& p = *b.mutable_product();
  p.set_name("Autologous ADSC");
  p.set_min_viability_percent(70);
  p.set_max_endotoxin_eu_per_ml(0.5);
  p.set_max_passage(5);
  v1::RequiredTest* req = p.add_required_tests();
  req->set_type(v1::QC_TEST_TYPE_STERILITY);
  req->mutable_min_incubation()->set_seconds(14 * 86400);
  p.add_required_tests()->set_type(v1::QC_TEST_TYPE_ENDOTOXIN);

  v1::BatchRecord* seed = b.add_records();
  seed->set_record_id(2);
  seed->set_recorded_by("tech.sato");
  seed->set_corrected_by_record_id(5);
  SetTime(t0 + absl::Hours(2), seed->mutable_seeding()->mutable_seeding_time());
  seed->mutable_seeding()->set_cells_seeded(2500000);
  seed->mutable_seeding()->set_medium_lot("MEM-2611");
  seed->mutable_seeding()->set_incubator_id("INC-01");
  v1::BatchRecord* fix = b.add_records();
  *fix = *seed;
  fix->set_record_id(5);
  fix->set_corrected_by_record_id(0);
  fix->set_corrects_record_id(2);
  fix->set_correction_reason("typo in the count <b>");
  fix->set_recorded_by("tech.ito");
  fix->mutable_seeding()->set_cells_seeded(3000000);

  v1::PassageGrowth* g = b.mutable_growth()->add_passages();
  g->set_passage_number(1);
  SetTime(t0 + absl::Hours(2), g->mutable_seeding_time());
  SetTime(t0 + absl::Hours(98), g->mutable_harvest_time());
  g->set_cells_seeded(3000000);
  g->set_viable_cells_harvested(12000000);
  g->set_population_doublings(2);
  b.mutable_growth()->set_cumulative_population_doublings(2);

  v1::QcTest* sterility = b.add_qc_tests();
  sterility->set_test_id(7);
  sterility->set_type(v1::QC_TEST_TYPE_STERILITY);
  sterility->set_method("USP <71> 14-day");
  sterility->set_state(v1::QC_TEST_STATE_REVIEWED);
  sterility->mutable_sample()->set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
  v1::QcResult* r = sterility->add_results();
  r->mutable_detection()->set_detection(v1::DETECTION_NEGATIVE);
  r->set_performed_by("tech.ito");
  r->set_instrument_id("BACT-01");
  sterility->add_reviews()->set_reviewed_by("qa.mori");
  v1::QcTest* endotoxin = b.add_qc_tests();
  endotoxin->set_test_id(8);
  endotoxin->set_type(v1::QC_TEST_TYPE_ENDOTOXIN);
  endotoxin->set_state(v1::QC_TEST_STATE_REVIEWED);
  endotoxin->add_results()->set_endotoxin_eu_per_ml(0.12);
  endotoxin->add_reviews()->set_reviewed_by("qa.mori");

  v1::Deviation* d = b.add_deviations();
  d->set_deviation_id(3);
  d->set_kind(v1::DEVIATION_KIND_LATE_PROCESSING);
  d->set_description("received 50 h after collection");
  d->add_notes()->set_text(kMarkupNote);
  d->mutable_closure()->set_disposition(v1::DISPOSITION_CONTINUE);
  d->mutable_closure()->set_reason("cells viable");
  d->mutable_closure()->set_closed_by("qa.mori");

  v1::Unit* u = b.add_units();
  u->set_unit_id("A9999260000018-01");
  u->set_kind(v1::UNIT_KIND_VIAL);
  u->set_cells(25000000);
  u->set_state(v1::UNIT_STATE_STORED);
  u->set_position("LN2-A/R1/B1/A1");
  v1::LateEntry* late = b.add_late_entries();
  late->set_resource("units/A9999260000018-01/thaw");
  late->set_field("thawed_at");
  SetTime(t0 + absl::Hours(150), late->mutable_event_time());
  SetTime(t0 + absl::Hours(180), late->mutable_record_time());
  late->set_recorded_by("tech.ito");
  late->set_reason("thaw sheet entered the next day <i>");

  in.readiness.set_ready(true);
  in.readiness.set_record_hash(std::string(64, 'a'));
  v1::Criterion* c = in.readiness.add_criteria();
  c->set_name("sterility");
  c->set_status(v1::CRITERION_STATUS_MET);
  c->set_value("NEGATIVE (test 7)");
  c->set_limit("NEGATIVE");
  v1::ReleaseSignature* rel = in.readiness.mutable_release();
  rel->set_release_id(1);
  rel->set_signer("qa.mori");
  rel->set_meaning("released for infusion");
  rel->set_record_hash(std::string(64, 'a'));
  rel->mutable_signature()->set_full_name("Mori Kenji");
  SetTime(t0 + absl::Hours(200), rel->mutable_sign_time());

  v1::TreatmentPlan plan;
  plan.set_plan_number("TP-2026-0042");
  in.plan = plan;
  v1::ReagentLot lot;
  lot.set_lot_number("MEM-2611");
  lot.set_name("alpha-MEM");
  in.lots.push_back(lot);
  in.audit_head.set_entry_count(42);
  in.audit_head.set_hash(std::string(64, 'b'));
  in.printed_at = t0 + absl::Hours(300);
  in.printed_by = "auditor.abe";
  in.zone = absl::UTCTimeZone();
  return in;
}

}  // namespace cpctrack::report::testing

#endif  // CPCTRACK_TESTS_REPORT_REPORT_FIXTURE_H_
