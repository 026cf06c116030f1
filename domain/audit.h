// Audit trail entries and the canonical JSON that records their old and new
// values. Every write appends one entry in the same transaction as the write.
#ifndef CPCTRACK_DOMAIN_AUDIT_H_
#define CPCTRACK_DOMAIN_AUDIT_H_

#include <cstdint>
#include <string>
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/inventory.h"
#include "domain/patient.h"
#include "domain/qc.h"
#include "domain/readiness.h"
#include "domain/records.h"
#include "domain/storage.h"
#include "domain/units.h"

namespace cpctrack::domain {

struct AuditEntry {
  int64_t sequence = 0;  // assigned when stored
  absl::Time at = absl::InfinitePast();  // server time
  std::string actor;        // who: the user of the request
  std::string action;       // what: "batch.record_passage"
  std::string resource;     // on what: "batches/A9999260000018/records/12"
  std::string old_value;    // canonical JSON, "" when created
  std::string new_value;    // canonical JSON
  std::string reason;       // why, where the step takes one
  std::string request_id;   // the client's idempotency key
};

// A JSON object built field by field in a fixed order, so the same value
// always encodes to the same bytes (the audit chain will hash these).
class JsonObject {
 public:
  JsonObject& Add(absl::string_view key, absl::string_view value);
  JsonObject& Add(absl::string_view key, const char* value) {
    return Add(key, absl::string_view(value));
  }
  JsonObject& Add(absl::string_view key, int64_t value);
  JsonObject& Add(absl::string_view key, int value) { return Add(key, int64_t{value}); }
  JsonObject& Add(absl::string_view key, double value);
  JsonObject& Add(absl::string_view key, bool value);
  JsonObject& Add(absl::string_view key, absl::Time value);  // RFC 3339 UTC
  JsonObject& AddRaw(absl::string_view key, absl::string_view json);
  std::string Build() const { return body_ + "}"; }

 private:
  void Key(absl::string_view key);
  std::string body_ = "{";
};

std::string JsonString(absl::string_view s);  // quoted and escaped

// The text fields of an audit trail filter, bounded like every other field
// (an export records its filter in the trail): `user` empty or an identifier,
// `action` empty or up to 64 characters of one line.
absl::Status ValidateAuditFilter(absl::string_view user, absl::string_view action);

std::string ToJson(const RecordData& data);
std::string ToJson(const BatchRecord& record);
std::string ToJson(const Batch& batch);
std::string ToJson(const Patient& patient);
std::string ToJson(const ReagentLot& lot);
std::string ToJson(const Equipment& equipment);
std::string ToJson(const UpkeepRecord& record);
std::string ToJson(const Deviation& deviation);
// audit_qc.cc: QC, deviation handling, storage and units.
std::string ToJson(const QcSample& sample);
std::string ToJson(const QcTest& test);  // the order, without results
std::string ToJson(const QcResult& result);
std::string ToJson(const QcReview& review);
std::string ToJson(const InterimReading& reading);
std::string ToJson(const QcInvalidation& invalidation);
std::string ToJson(const DeviationNote& note);
std::string ToJson(const DeviationClosure& closure);
std::string ToJson(const Tank& tank);
std::string ToJson(const Box& box);
std::string ToJson(const Unit& unit);
std::string ToJson(const UnitEvent& event);
// The release record as signed: signer, meaning, time and the record hash.
std::string ToJson(const Release& release);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_AUDIT_H_
