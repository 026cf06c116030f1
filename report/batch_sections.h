// Sections of the batch record shared by the record (batch_record.cc) and the
// certificate of analysis (batch_record_qc.cc). Internal to report/.
#ifndef CPCTRACK_REPORT_BATCH_SECTIONS_H_
#define CPCTRACK_REPORT_BATCH_SECTIONS_H_

#include <string>
#include <vector>

#include "report/batch_record.h"

namespace cpctrack::report {

Section QcSection(const BatchRecordInput& in);
Section CriteriaSection(const BatchRecordInput& in);
Section DeviationsSection(const BatchRecordInput& in);
Section UnitsSection(const BatchRecordInput& in);
Section ReleaseSection(const BatchRecordInput& in);
// The release's record hash, the audit head at printing, who printed when.
std::vector<std::string> Footer(const BatchRecordInput& in);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_BATCH_SECTIONS_H_
