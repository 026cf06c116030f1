// Where a lot, a piece of equipment or a person was used: what QA needs in
// minutes when a reagent lot is recalled, an incubator alarms overnight or a
// person's qualification is questioned (21 CFR 1271.290 tracking). The store
// finds the uses; the rules of what a use is, and of how long a culture sat
// in an incubator, live here.
#ifndef CPCTRACK_DOMAIN_WHERE_USED_H_
#define CPCTRACK_DOMAIN_WHERE_USED_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/batch.h"

namespace cpctrack::domain {

// Stored nowhere; the API's UseKind mirrors these values.
enum class UseKind {
  kRecord = 1,      // a culture record named it (a lot, a cabinet)
  kQcResult = 2,    // a QC result was read with it (a kit lot, an instrument)
  kUnit = 3,        // a unit was made with it (freezing medium lot, freezer)
  kIncubation = 4,  // the culture sat in it (an incubator), over a period
  kInfusion = 5,    // an infusion of a unit of an affected batch
  kAction = 6,      // something a person did (the audit trail)
};
absl::string_view UseKindName(UseKind kind);  // "record"

struct Use {
  UseKind kind = UseKind::kRecord;
  std::string batch_id;  // compact; empty for an action on no batch
  std::string resource;  // "records/12", "qc/tests/7", "units/<id>", "infusions/3"
  absl::Time at = absl::InfinitePast();
  // The end of a period (an incubation); InfinitePast for a moment.
  absl::Time until = absl::InfinitePast();
  std::string by;
  std::string detail;  // "medium_lot of passage 2", "P1 from seeding until passage 2"
  // False for a unit or infusion found through its batch rather than by
  // naming the lot or equipment itself.
  bool direct = true;
};

// One stay of a culture in an incubator: from the seeding or passage that put
// the vessels in (`record_id`) until the next passage took them out, or the
// culture ended (`culture_end`: the final harvest, the first unit made, or
// now). A final harvest puts nothing in.
struct IncubatorStay {
  std::string incubator_id;
  int64_t record_id = 0;
  std::string started_by;  // the record's step, "seeding" or "passage 2"
  absl::Time from = absl::InfinitePast();
  absl::Time until = absl::InfinitePast();
};
std::vector<IncubatorStay> IncubatorStays(const BatchHistory& history, absl::Time culture_end);

// How far before a period an incubator stay that reaches into it may have
// begun: a culture is passaged or harvested within days (DOMAIN.md), so a
// search for stays meeting [from, to] looks at stays begun from
// from - kLongestIncubatorStay on.
inline constexpr absl::Duration kLongestIncubatorStay = absl::Hours(24 * 60);

// Whether [from, until] meets the window [window_from, window_to]; an
// instant has until == InfinitePast.
bool InWindow(absl::Time from, absl::Time until, absl::Time window_from, absl::Time window_to);

// Newest first, then by batch and resource: how every where-used list reads.
void SortUses(std::vector<Use>& uses);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_WHERE_USED_H_
