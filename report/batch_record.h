// The batch record and the certificate of analysis as Documents, built from
// what a gRPC client of cpcd reads (never from the database): GetBatch's FULL
// view (with its product version), GetReadiness (with the release and its
// signature), GetPlan, the lots and equipment the records name, and the audit
// trail's head at the time of printing.
#ifndef CPCTRACK_REPORT_BATCH_RECORD_H_
#define CPCTRACK_REPORT_BATCH_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cpctrack/v1/audit.pb.h"
#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/treatment.pb.h"
#include "report/chart.h"
#include "report/document.h"

namespace cpctrack::report {

struct BatchRecordInput {
  cpctrack::v1::Batch batch;  // BATCH_VIEW_FULL, with `product`
  cpctrack::v1::Readiness readiness;
  std::optional<cpctrack::v1::TreatmentPlan> plan;
  // The registry entries of the lots and equipment the records name; one not
  // listed prints as "not in the registry".
  std::vector<cpctrack::v1::ReagentLot> lots;
  std::vector<cpctrack::v1::Equipment> equipment;
  cpctrack::v1::AuditHead audit_head;
  absl::Time printed_at;
  std::string printed_by;
  absl::TimeZone zone;  // times print in it, with its abbreviation
};

// Section titles, in order (tests and readers find sections by them).
inline constexpr char kIdentitySection[] = "Identity and product";
inline constexpr char kSpecificationSection[] = "Release specification";
inline constexpr char kRecordsSection[] = "Processing records";
inline constexpr char kCorrectionsSection[] = "Corrections";
inline constexpr char kLateEntriesSection[] = "Late entries";
inline constexpr char kMaterialsSection[] = "Materials and equipment";
inline constexpr char kGrowthSection[] = "Growth";
inline constexpr char kQcSection[] = "QC results";
inline constexpr char kCriteriaSection[] = "Release criteria";
inline constexpr char kDeviationsSection[] = "Deviations";
inline constexpr char kUnitsSection[] = "Units";
inline constexpr char kReleaseSection[] = "Release";

// The whole batch record.
Document BatchRecordDocument(const BatchRecordInput& input);

// The one-page certificate of analysis that travels with a unit.
Document CertificateOfAnalysis(const BatchRecordInput& input);

// The lot numbers and equipment IDs the batch's records, tests and units
// name, each once, in first-use order: what to look up for the input.
std::vector<std::string> LotsNamed(const cpctrack::v1::Batch& batch);
std::vector<std::string> EquipmentNamed(const cpctrack::v1::Batch& batch);

// Viable cells (log scale) and cumulative population doublings against days
// since P0 seeding: the growth curve of the batch page and the record.
Chart GrowthChart(const cpctrack::v1::Growth& growth);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_BATCH_RECORD_H_
