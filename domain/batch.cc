#include "domain/batch.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace cpctrack::domain {

absl::string_view DeviationKindName(DeviationKind kind) {
  switch (kind) {
    case DeviationKind::kUnspecified: return "unspecified";
    case DeviationKind::kLateProcessing: return "late processing";
    case DeviationKind::kOther: return "other";
    case DeviationKind::kExpiredMaterial: return "expired material";
    case DeviationKind::kPassageLimit: return "passage limit";
    case DeviationKind::kPopulationDoublingLimit: return "population doubling limit";
    case DeviationKind::kPatientIneligible: return "patient ineligible";
    case DeviationKind::kOutOfSpecification: return "out of specification";
    case DeviationKind::kPositiveTest: return "positive test";
    case DeviationKind::kExcursion: return "excursion";
  }
  return "unknown";
}

absl::string_view DeviationStateName(DeviationState state) {
  switch (state) {
    case DeviationState::kUnspecified: return "UNSPECIFIED";
    case DeviationState::kOpen: return "OPEN";
    case DeviationState::kClosed: return "CLOSED";
  }
  return "UNKNOWN";
}

absl::string_view DispositionName(Disposition disposition) {
  switch (disposition) {
    case Disposition::kContinue: return "CONTINUE";
    case Disposition::kReject: return "REJECT";
    case Disposition::kUseUnderPhysicianResponsibility: return "USE_UNDER_PHYSICIAN_RESPONSIBILITY";
    case Disposition::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

BatchHistory::BatchHistory(std::vector<BatchRecord> records) : records_(std::move(records)) {
  absl::flat_hash_map<int64_t, size_t> index;
  for (size_t i = 0; i < records_.size(); ++i) index[records_[i].record_id] = i;
  for (BatchRecord& r : records_) r.corrected_by_record_id = 0;
  for (const BatchRecord& r : records_) {
    if (r.corrects_record_id == 0) continue;
    auto it = index.find(r.corrects_record_id);
    if (it != index.end()) records_[it->second].corrected_by_record_id = r.record_id;
  }
}

const BatchRecord* BatchHistory::Find(int64_t record_id) const {
  // In write order, so ascending IDs: a binary search keeps Effective()
  // (which finds each record's origin) from being quadratic.
  auto it = std::lower_bound(records_.begin(), records_.end(), record_id,
                             [](const BatchRecord& r, int64_t id) { return r.record_id < id; });
  return it != records_.end() && it->record_id == record_id ? &*it : nullptr;
}

int64_t BatchHistory::OriginOf(int64_t record_id) const {
  const BatchRecord* r = Find(record_id);
  while (r != nullptr && r->corrects_record_id != 0) {
    const BatchRecord* earlier = Find(r->corrects_record_id);
    if (earlier == nullptr) break;
    r = earlier;
  }
  return r == nullptr ? record_id : r->record_id;
}

std::vector<const BatchRecord*> BatchHistory::Effective() const {
  std::vector<std::pair<int64_t, const BatchRecord*>> in_effect;  // (origin, record)
  for (const BatchRecord& r : records_) {
    if (r.corrected_by_record_id == 0) in_effect.emplace_back(OriginOf(r.record_id), &r);
  }
  std::stable_sort(in_effect.begin(), in_effect.end(), [](const auto& a, const auto& b) {
    const absl::Time ta = EventTime(a.second->data);
    const absl::Time tb = EventTime(b.second->data);
    if (ta != tb) return ta < tb;
    return a.first < b.first;
  });
  std::vector<const BatchRecord*> out;
  out.reserve(in_effect.size());
  for (const auto& [origin, record] : in_effect) out.push_back(record);
  return out;
}

std::vector<const RecordData*> BatchHistory::EffectiveData() const {
  std::vector<const RecordData*> out;
  for (const BatchRecord* r : Effective()) out.push_back(&r->data);
  return out;
}

std::vector<RecordKind> KindsReadByRules() {
  return {RecordKind::kTissueReceipt, RecordKind::kSeeding, RecordKind::kPassage};
}

int BatchHistory::CurrentPassage() const {
  int passage = -1;
  for (const BatchRecord& r : records_) {
    if (std::holds_alternative<Seeding>(r.data)) passage = std::max(passage, 0);
    if (const auto* p = std::get_if<Passage>(&r.data)) {
      passage = std::max(passage, p->passage_number);
    }
  }
  return passage;
}

}  // namespace cpctrack::domain
