// Conversions between the cpctrack.v1 API messages and domain types. Input
// conversions check what only the API can get wrong (unknown enum values,
// malformed IDs and dates) and name the field; the rules stay in the domain.
#ifndef CPCTRACK_MAPPING_MAPPING_H_
#define CPCTRACK_MAPPING_MAPPING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cpctrack/v1/auth.pb.h"
#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/followups.pb.h"
#include "cpctrack/v1/signatures.pb.h"
#include "cpctrack/v1/treatment.pb.h"
#include "cpctrack/v1/deviations.pb.h"
#include "cpctrack/v1/qc.pb.h"
#include "cpctrack/v1/storage.pb.h"
#include "cpctrack/v1/units.pb.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/patients.pb.h"
#include "domain/access.h"
#include "domain/batch.h"
#include "domain/followup.h"
#include "domain/signature.h"
#include "domain/treatment_plan.h"
#include "domain/growth.h"
#include "domain/inventory.h"
#include "domain/late_entry.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/qc.h"
#include "domain/qc_steps.h"
#include "domain/storage.h"
#include "domain/units.h"
#include "mapping/time.h"

namespace cpctrack::mapping {

namespace v1 = ::cpctrack::v1;

// "batch_id: ..." errors for a DIN typed with or without spaces.
absl::StatusOr<domain::Din> ParseBatchId(absl::string_view text);

absl::StatusOr<domain::Patient> FromProto(const v1::Patient& p);
void ToProto(const domain::Patient& p, v1::Patient* out);

// `zone` decides whether a lot shows as expired today.
absl::StatusOr<domain::ReagentLot> FromProto(const v1::ReagentLot& lot);
void ToProto(const domain::ReagentLot& lot, absl::Time now, absl::TimeZone zone,
             v1::ReagentLot* out);

absl::StatusOr<domain::Equipment> FromProto(const v1::Equipment& e);
absl::StatusOr<domain::EquipmentStatus> FromProto(v1::EquipmentStatus status);
void ToProto(const domain::Equipment& e, v1::Equipment* out);
void ToProto(const domain::UpkeepRecord& r, v1::UpkeepRecord* out);

void ToProto(const domain::Product& p, v1::Product* out);
// `base` with every field `in` sets (non-zero, non-empty) replaced.
absl::StatusOr<domain::Product> MergeProduct(const v1::Product& in, domain::Product base);

absl::StatusOr<domain::BatchState> FromProto(v1::BatchState state);
void ToProto(const domain::Batch& b, int open_deviations, v1::Batch* out);

// The oneof `data` of a record or correction request.
absl::StatusOr<domain::RecordData> FromProto(const v1::TissueReceipt& r);
absl::StatusOr<domain::RecordData> FromProto(const v1::Seeding& r);
absl::StatusOr<domain::RecordData> FromProto(const v1::Observation& r);
absl::StatusOr<domain::RecordData> FromProto(const v1::MediumChange& r);
absl::StatusOr<domain::RecordData> FromProto(const v1::Passage& r);
absl::StatusOr<domain::RecordData> FromProto(const v1::CorrectRecordRequest& r);

void ToProto(const domain::BatchRecord& r, v1::BatchRecord* out);
void ToProto(const domain::GrowthSummary& g, v1::Growth* out);
void ToProto(const domain::LateEntry& e, v1::LateEntry* out);
void ToProto(const domain::Deviation& d, const domain::Din& batch_id, v1::Deviation* out);
void ToProto(const domain::Deviation& d, absl::string_view batch_id, v1::Deviation* out);

// mapping_qc.cc: QC, deviations, storage and units. Enum conversions refuse
// unknown or unset values, naming `field`.
absl::StatusOr<domain::SamplePoint> FromProto(v1::SamplePoint point);
absl::StatusOr<domain::TestOrder> FromProto(const v1::TestOrder& order);
absl::StatusOr<domain::QcResult> FromProto(const v1::QcResult& result);
absl::StatusOr<domain::QcTestType> FromProto(v1::QcTestType type);
void ToProto(const domain::QcSample& s, v1::QcSample* out);
void ToProto(const domain::QcTest& t, const domain::QcSample& sample,
             absl::string_view patient_id, v1::QcTest* out);
// Adds those of the batch's late entries that are about `out`'s sample, its
// start or its result.
void AddLateEntries(const std::vector<domain::LateEntry>& batch_late_entries, v1::QcTest* out);
absl::StatusOr<domain::DeviationKind> FromProto(v1::DeviationKind kind);
absl::StatusOr<domain::Disposition> FromProto(v1::Disposition disposition);
absl::StatusOr<domain::TemperatureClass> FromProto(v1::TemperatureClass t);
absl::StatusOr<domain::UnitKind> FromProto(v1::UnitKind kind);
absl::StatusOr<domain::UnitState> FromProto(v1::UnitState state);
absl::StatusOr<domain::ThawResult> FromProto(const v1::ThawResult& thaw);
void ToProto(const domain::Unit& u, v1::Unit* out);
void ToProto(const domain::UnitEvent& e, v1::UnitEvent* out);
void ToProto(const domain::Tank& t, v1::Tank* out);
void ToProto(const domain::Box& b, v1::Box* out);

// People and their treatment: mapping_people.cc.
void ToProto(const domain::User& user, v1::User* out);
void ToProto(const domain::Signature& signature, v1::Signature* out);
void ToProto(const domain::PatientIdentifier& id, v1::PatientIdentifier* out);
absl::StatusOr<domain::TreatmentPlan> FromProto(const v1::TreatmentPlan& p);
// With its deadlines as of `now`.
void ToProto(const domain::FollowUp& follow_up, const std::vector<absl::Duration>& deadlines,
             absl::Time now, v1::FollowUp* out);

}  // namespace cpctrack::mapping

#endif  // CPCTRACK_MAPPING_MAPPING_H_
