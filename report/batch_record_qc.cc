// QC, release criteria, deviations, units and the release signature; the
// certificate of analysis is made of these.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "report/batch_sections.h"
#include "report/text.h"

namespace cpctrack::report {

namespace v1 = ::cpctrack::v1;

namespace {

std::string TestName(const v1::QcTest& t) {
  return EnumWords(v1::QcTestType_Name(t.type()), "QC_TEST_TYPE_");
}

std::string Reviewers(const v1::QcTest& t, absl::TimeZone zone) {
  std::vector<std::string> out;
  for (const v1::QcReview& r : t.reviews()) {
    out.push_back(absl::StrCat(r.reviewed_by(), ", ", TimeText(r.review_time(), zone)));
  }
  return out.empty() ? "not reviewed" : absl::StrJoin(out, "; ");
}

std::string CurrentResult(const v1::QcTest& t) {
  if (t.state() == v1::QC_TEST_STATE_INVALIDATED) {
    return absl::StrCat("INVALIDATED: ", t.invalidation().reason());
  }
  return t.results().empty() ? "pending" : ResultText(t.results(t.results_size() - 1));
}

std::string Sample(const v1::QcTest& t) {
  std::string point = EnumWords(v1::SamplePoint_Name(t.sample().sample_point()), "SAMPLE_POINT_");
  if (!t.sample().point_detail().empty()) absl::StrAppend(&point, " (", t.sample().point_detail(), ")");
  return absl::StrCat("#", t.sample().sample_id(), " ", point);
}

bool Required(const v1::QcTest& t, const v1::Product& p) {
  return std::any_of(p.required_tests().begin(), p.required_tests().end(),
                     [&](const v1::RequiredTest& r) { return r.type() == t.type(); });
}

std::string SignatureLine(const v1::ReleaseSignature& r, absl::TimeZone zone) {
  const std::string name =
      r.signature().full_name().empty() ? r.signer()
                                        : absl::StrCat(r.signature().full_name(), " (", r.signer(), ")");
  return absl::StrCat(name, ", ", TimeText(r.sign_time(), zone), ": \"", r.meaning(), "\"");
}

}  // namespace

Section QcSection(const BatchRecordInput& in) {
  Table t{.header = {"Test", "Sample", "Method", "Result", "Limit", "Read", "By", "Reviewed"},
          .widths = {1.3, 1.6, 1.6, 2.0, 1.6, 1.5, 1.2, 1.7},
          .empty_text = "No QC test ordered."};
  for (const v1::QcTest& test : in.batch.qc_tests()) {
    const v1::QcResult* last =
        test.results().empty() ? nullptr : &test.results(test.results_size() - 1);
    t.rows.push_back({absl::StrCat(test.test_id(), " ", TestName(test)), Sample(test),
                      test.method().empty() ? "-" : test.method(), CurrentResult(test),
                      LimitText(test, in.batch.product()),
                      last ? TimeText(last->read_time(), in.zone) : "-",
                      last ? last->performed_by() : "-", Reviewers(test, in.zone)});
  }
  return {kQcSection, {t}};
}

Section CriteriaSection(const BatchRecordInput& in) {
  Table t{.header = {"Criterion", "Status", "On record", "Limit"},
          .widths = {2.2, 1.1, 4, 2.5}};
  for (const v1::Criterion& c : in.readiness.criteria()) {
    t.rows.push_back({c.name(), EnumWords(v1::CriterionStatus_Name(c.status()), "CRITERION_STATUS_"),
                      c.value(), c.limit()});
  }
  return {kCriteriaSection,
          {Paragraph{absl::StrCat("Evaluated by cpcd at printing: ",
                                  in.readiness.ready() ? "READY for infusion" : "NOT READY")},
           t}};
}

Section DeviationsSection(const BatchRecordInput& in) {
  Table t{.header = {"#", "Kind", "Opened", "Description and notes", "Disposition"},
          .widths = {0.5, 1.6, 2.0, 4.4, 3.0},
          .empty_text = "No deviation."};
  for (const v1::Deviation& d : in.batch.deviations()) {
    std::string text = d.description();
    for (const v1::DeviationNote& n : d.notes()) {
      absl::StrAppend(&text, "\nNote (", n.added_by(), ", ", TimeText(n.add_time(), in.zone),
                      "): ", n.text());
    }
    std::string disposition = "OPEN";
    if (d.has_closure()) {
      const v1::DeviationClosure& c = d.closure();
      disposition = absl::StrCat(EnumWords(v1::Disposition_Name(c.disposition()), "DISPOSITION_"),
                                 ": ", c.reason(), "\n", c.closed_by(), ", ",
                                 TimeText(c.close_time(), in.zone));
      if (!c.physician().empty()) {
        absl::StrAppend(&disposition, "\nat the signed request of physician ", c.physician(),
                        ": NON-CONFORMING");
      }
    }
    t.rows.push_back({absl::StrCat(d.deviation_id()),
                      EnumWords(v1::DeviationKind_Name(d.kind()), "DEVIATION_KIND_"),
                      absl::StrCat(d.opened_by(), ", ", TimeText(d.open_time(), in.zone)), text,
                      disposition});
  }
  return {kDeviationsSection, {t}};
}

// "LN2-A/R1/B1/A1, expires ..." (a fresh bag has no position; a unit
// recorded without an expiry shows only where it is).
std::string WhereAndExpiry(const v1::Unit& u, absl::TimeZone zone) {
  std::vector<std::string> parts;
  if (!u.position().empty()) parts.push_back(u.position());
  if (u.has_expire_time()) {
    parts.push_back(absl::StrCat("expires ", TimeText(u.expire_time(), zone)));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

Section UnitsSection(const BatchRecordInput& in) {
  Table t{.header = {"Unit", "Kind", "Viable cells", "Volume", "Made", "State", "Where / expiry"},
          .widths = {2.3, 0.9, 1.1, 0.9, 2.4, 1.1, 2.3},
          .empty_text = "No unit made."};
  for (const v1::Unit& u : in.batch.units()) {
    const bool fresh = u.has_fresh();
    t.rows.push_back(
        {u.unit_id(), fresh ? "fresh bag" : EnumWords(v1::UnitKind_Name(u.kind()), "UNIT_KIND_"),
         FormatCells(u.cells()), absl::StrCat(FormatNumber(u.volume_ml()), " mL"),
         fresh ? absl::StrCat(u.fresh().formulated_by(), ", ",
                              TimeText(u.fresh().formulated_time(), in.zone))
               : absl::StrCat(u.frozen_by(), ", ", TimeText(u.frozen_time(), in.zone)),
         EnumWords(v1::UnitState_Name(u.state()), "UNIT_STATE_"),
         WhereAndExpiry(u, in.zone)});
  }
  return {kUnitsSection, {t}};
}

// "NON-CONFORMING under deviation 12 (...)", first in the release, when the
// batch is used under the physician's responsibility.
void AddNonConforming(const BatchRecordInput& in, std::vector<Block>& blocks) {
  if (in.readiness.non_conforming().empty()) return;
  blocks.insert(blocks.begin(), Paragraph{in.readiness.non_conforming(), true});
}

Section ReleaseSection(const BatchRecordInput& in) {
  if (!in.readiness.has_release()) {
    std::vector<Block> blocks = {Paragraph{"Not released: no release signature is on record."}};
    AddNonConforming(in, blocks);
    return {kReleaseSection, std::move(blocks)};
  }
  const v1::ReleaseSignature& r = in.readiness.release();
  Fields f{{{"Signed by", r.signature().full_name().empty()
                              ? r.signer()
                              : absl::StrCat(r.signature().full_name(), " (", r.signer(), ")")},
            {"Signed at", TimeText(r.sign_time(), in.zone)},
            {"Meaning", r.meaning()},
            {"Release record", absl::StrCat("release ", r.release_id())},
            {"Record hash signed", r.record_hash()},
            {"Signature content hash", r.signature().content_sha256().empty()
                                           ? "-"
                                           : r.signature().content_sha256()}}};
  std::vector<Block> blocks = {f};
  AddNonConforming(in, blocks);
  if (r.record_hash() != in.readiness.record_hash()) {
    blocks.push_back(Paragraph{
        absl::StrCat("REVOKED: the batch record changed after the signature (hash now ",
                     in.readiness.record_hash(), ")"),
        true});
  }
  return {kReleaseSection, std::move(blocks)};
}

std::vector<std::string> Footer(const BatchRecordInput& in) {
  const std::string release_hash =
      in.readiness.has_release() ? in.readiness.release().record_hash() : "not released";
  return {absl::StrCat("Release record hash: ", release_hash),
          absl::StrCat("Audit chain head at printing: ", in.audit_head.entry_count(), ":",
                       in.audit_head.hash()),
          absl::StrCat("Printed ", TimeText(in.printed_at, in.zone), " by ", in.printed_by,
                       " from cpcd (cpctrack)")};
}

Document CertificateOfAnalysis(const BatchRecordInput& in) {
  const v1::Batch& b = in.batch;
  Document doc{.title = "Certificate of Analysis",
               .subtitle = absl::StrCat(SpacedBatchId(b.batch_id()), "  ·  patient ",
                                        b.patient_id())};
  Fields identity{{{"Product", absl::StrCat(b.product_code(), " version ", b.product_version(),
                                            b.product().name().empty() ? "" : " — ",
                                            b.product().name())},
                   {"Batch / DIN", absl::StrCat(SpacedBatchId(b.batch_id()), "  (",
                                                b.batch_id(), ")")},
                   {"Patient ID", b.patient_id()}}};
  std::vector<std::string> units;
  for (const v1::Unit& u : b.units()) units.push_back(u.unit_id());
  identity.rows.push_back({"Units", units.empty() ? "-" : absl::StrJoin(units, ", ")});
  if (in.plan.has_value()) identity.rows.push_back({"Treatment plan", in.plan->plan_number()});

  Table tests{.header = {"Test", "Method", "Limit", "Result", "Reviewer"},
              .widths = {1.6, 2.2, 2.4, 2.4, 2.4},
              .empty_text = "No release test on record."};
  for (const v1::QcTest& t : b.qc_tests()) {
    if (!Required(t, b.product()) || t.state() == v1::QC_TEST_STATE_INVALIDATED) continue;
    tests.rows.push_back({absl::StrCat(TestName(t), " (test ", t.test_id(), ")"),
                          t.method().empty() ? "-" : t.method(), LimitText(t, b.product()),
                          CurrentResult(t), Reviewers(t, in.zone)});
  }
  Section release{kReleaseSection, {}};
  if (in.readiness.has_release()) {
    release.blocks.push_back(Paragraph{SignatureLine(in.readiness.release(), in.zone)});
    release.blocks.push_back(
        Paragraph{absl::StrCat("Record hash signed: ", in.readiness.release().record_hash())});
  } else {
    release.blocks.push_back(Paragraph{"NOT RELEASED: this batch has no release signature.", true});
  }
  AddNonConforming(in, release.blocks);
  doc.sections = {{"Product and patient",
                   {Paragraph{"FOR AUTOLOGOUS USE ONLY", true}, identity}},
                  {"Release tests", {tests}},
                  std::move(release)};
  doc.footer = Footer(in);
  return doc;
}

}  // namespace cpctrack::report
