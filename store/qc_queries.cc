// Transaction: QC samples, tests, results, reviews and invalidations.
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "domain/overloaded.h"
#include "domain/status_macros.h"
#include "store/paging.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::QcResult;
using domain::QcSample;
using domain::QcTest;
using domain::QcTestType;

constexpr char kSampleColumns[] =
    "s.sample_id, b.batch_id, s.sample_point, s.point_detail, s.drawn_at, s.drawn_by, "
    "s.recorded_at";
constexpr char kTestColumns[] =
    "t.test_id, t.sample_id, t.test_type, t.method, t.started_at, t.ordered_at, t.ordered_by, "
    "COALESCE(t.retest_of, 0)";

QcSample SampleFromRow(const Statement& q, int at) {
  QcSample s;
  s.sample_id = q.Int(at);
  s.batch_id = q.Text(at + 1);
  s.point = static_cast<domain::SamplePoint>(q.Int(at + 2));
  s.point_detail = q.Text(at + 3);
  s.drawn_at = q.Time(at + 4);
  s.drawn_by = q.Text(at + 5);
  s.recorded_at = q.Time(at + 6);
  return s;
}

QcTest TestFromRow(const Statement& q) {
  QcTest t;
  t.test_id = q.Int(0);
  t.sample_id = q.Int(1);
  t.type = static_cast<QcTestType>(q.Int(2));
  t.method = q.Text(3);
  t.started_at = q.Time(4);
  t.ordered_at = q.Time(5);
  t.ordered_by = q.Text(6);
  t.retest_of = q.Int(7);
  return t;
}

}  // namespace

absl::Status Transaction::InsertSample(QcSample& s) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(s.batch_id));
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(din));
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO qc_samples (batch_seq, sample_point, point_detail, "
                               "drawn_at, drawn_by, recorded_at) VALUES (?,?,?,?,?,?)"));
  insert.Bind(1, seq)
      .Bind(2, static_cast<int>(s.point))
      .Bind(3, s.point_detail)
      .Bind(4, s.drawn_at)
      .Bind(5, s.drawn_by)
      .Bind(6, s.recorded_at);
  RETURN_IF_ERROR(insert.Run());
  s.sample_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<QcSample> Transaction::GetSample(int64_t sample_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kSampleColumns,
                                            " FROM qc_samples s JOIN batches b USING (batch_seq) "
                                            "WHERE s.sample_id = ?")));
  q.Bind(1, sample_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("sample_id: no sample ", sample_id, " is on record"));
  }
  return SampleFromRow(q, 0);
}

absl::Status Transaction::InsertTest(QcTest& t) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO qc_tests (sample_id, batch_seq, test_type, method, started_at, "
                  "ordered_at, ordered_by, retest_of) SELECT sample_id, batch_seq, ?, ?, ?, ?, "
                  "?, ? FROM qc_samples WHERE sample_id = ?"));
  insert.Bind(1, static_cast<int>(t.type))
      .Bind(2, t.method)
      .Bind(3, t.started_at)
      .Bind(4, t.ordered_at)
      .Bind(5, t.ordered_by);
  if (t.retest_of != 0) {
    insert.Bind(6, t.retest_of);
  } else {
    insert.BindNull(6);
  }
  insert.Bind(7, t.sample_id);
  RETURN_IF_ERROR(insert.Run());
  if (db_.Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("sample_id: no sample ", t.sample_id, " is on record"));
  }
  t.test_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::string> Transaction::TestBatch(int64_t test_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT b.batch_id FROM qc_tests t JOIN batches b "
                                            "USING (batch_seq) WHERE t.test_id = ?"));
  q.Bind(1, test_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("test_id: no QC test ", test_id, " is on record"));
  }
  return q.Text(0);
}

absl::Status Transaction::LoadTestDetails(QcTest& t) {
  ASSIGN_OR_RETURN(
      Statement r,
      db_.Prepare("SELECT result_id, read_at, performed_by, instrument_id, kit_lot, detection, "
                  "COALESCE(organism, ''), endotoxin_eu_per_ml, gram_finding, "
                  "COALESCE(gram_description, ''), viability_percent, recorded_at, "
                  "COALESCE(corrects_result_id, 0), COALESCE(correction_reason, '') "
                  "FROM qc_results WHERE test_id = ? ORDER BY result_id"));
  r.Bind(1, t.test_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, r.Step());
    if (!row) break;
    QcResult result;
    result.result_id = r.Int(0);
    result.read_at = r.Time(1);
    result.performed_by = r.Text(2);
    result.instrument_id = r.Text(3);
    result.kit_lot = r.Text(4);
    switch (t.type) {
      case QcTestType::kSterility:
      case QcTestType::kMycoplasma:
        result.value = domain::DetectionResult{static_cast<domain::Detection>(r.Int(5)), r.Text(6)};
        break;
      case QcTestType::kEndotoxin: result.value = domain::EndotoxinResult{r.Double(7)}; break;
      case QcTestType::kGramStain:
        result.value =
            domain::GramStainResult{static_cast<domain::GramFinding>(r.Int(8)), r.Text(9)};
        break;
      case QcTestType::kFlowCytometry: result.value = domain::FlowResult{}; break;
      case QcTestType::kViability: result.value = domain::ViabilityResult{r.Double(10)}; break;
      case QcTestType::kUnspecified: break;
    }
    result.recorded_at = r.Time(11);
    result.corrects_result_id = r.Int(12);
    result.correction_reason = r.Text(13);
    t.results.push_back(std::move(result));
  }
  for (QcResult& result : t.results) {
    auto* flow = std::get_if<domain::FlowResult>(&result.value);
    if (flow == nullptr) continue;
    ASSIGN_OR_RETURN(Statement m,
                     db_.Prepare("SELECT marker, percent_positive FROM qc_result_markers "
                                 "WHERE result_id = ? ORDER BY rowid"));
    m.Bind(1, result.result_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, m.Step());
      if (!row) break;
      flow->markers.push_back({m.Text(0), m.Double(1)});
    }
  }
  ASSIGN_OR_RETURN(Statement v, db_.Prepare("SELECT result_id, reviewed_at, reviewed_by FROM "
                                            "qc_reviews WHERE test_id = ? ORDER BY review_id"));
  v.Bind(1, t.test_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, v.Step());
    if (!row) break;
    t.reviews.push_back({v.Int(0), v.Time(1), v.Text(2)});
  }
  ASSIGN_OR_RETURN(Statement n, db_.Prepare("SELECT reading_id, read_at, note, performed_by, "
                                            "recorded_at FROM qc_interim_readings "
                                            "WHERE test_id = ? ORDER BY reading_id"));
  n.Bind(1, t.test_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, n.Step());
    if (!row) break;
    t.interim_readings.push_back({n.Int(0), n.Time(1), n.Text(2), n.Text(3), n.Time(4)});
  }
  ASSIGN_OR_RETURN(Statement i, db_.Prepare("SELECT invalidated_at, invalidated_by, reason FROM "
                                            "qc_invalidations WHERE test_id = ?"));
  i.Bind(1, t.test_id);
  ASSIGN_OR_RETURN(bool invalidated, i.Step());
  if (invalidated) t.invalidation = domain::QcInvalidation{i.Time(0), i.Text(1), i.Text(2)};
  return absl::OkStatus();
}

absl::StatusOr<QcTest> Transaction::GetTest(int64_t test_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kTestColumns,
                                                         " FROM qc_tests t WHERE t.test_id = ?")));
  q.Bind(1, test_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("test_id: no QC test ", test_id, " is on record"));
  }
  QcTest test = TestFromRow(q);
  RETURN_IF_ERROR(LoadTestDetails(test));
  return test;
}

absl::StatusOr<std::vector<QcSample>> Transaction::LoadSamples(const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kSampleColumns,
                                            " FROM qc_samples s JOIN batches b USING (batch_seq) "
                                            "WHERE s.batch_seq = ? ORDER BY s.sample_id")));
  q.Bind(1, seq);
  std::vector<QcSample> samples;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    samples.push_back(SampleFromRow(q, 0));
  }
  return samples;
}

absl::StatusOr<std::vector<QcTest>> Transaction::LoadTests(const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kTestColumns,
                                            " FROM qc_tests t WHERE t.batch_seq = ? "
                                            "ORDER BY t.test_id")));
  q.Bind(1, seq);
  std::vector<QcTest> tests;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    tests.push_back(TestFromRow(q));
  }
  for (QcTest& t : tests) RETURN_IF_ERROR(LoadTestDetails(t));
  return tests;
}

absl::Status Transaction::InsertResult(int64_t test_id, QcResult& r) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO qc_results (test_id, read_at, performed_by, instrument_id, "
                  "kit_lot, detection, organism, endotoxin_eu_per_ml, gram_finding, "
                  "gram_description, viability_percent, recorded_at, corrects_result_id, "
                  "correction_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert.Bind(1, test_id)
      .Bind(2, r.read_at)
      .Bind(3, r.performed_by)
      .Bind(4, r.instrument_id)
      .Bind(5, r.kit_lot);
  for (int column = 6; column <= 11; ++column) insert.BindNull(column);
  std::visit(domain::Overloaded{
                 [&](const domain::DetectionResult& v) {
                   insert.Bind(6, static_cast<int>(v.detection)).Bind(7, v.organism);
                 },
                 [&](const domain::EndotoxinResult& v) { insert.Bind(8, v.eu_per_ml); },
                 [&](const domain::GramStainResult& v) {
                   insert.Bind(9, static_cast<int>(v.finding)).Bind(10, v.description);
                 },
                 [&](const domain::FlowResult&) {},
                 [&](const domain::ViabilityResult& v) { insert.Bind(11, v.viability_percent); },
             },
             r.value);
  insert.Bind(12, r.recorded_at);
  if (r.corrects_result_id != 0) {
    insert.Bind(13, r.corrects_result_id).Bind(14, r.correction_reason);
  } else {
    insert.BindNull(13).BindNull(14);
  }
  RETURN_IF_ERROR(insert.Run());
  r.result_id = db_.LastInsertRowId();
  if (const auto* flow = std::get_if<domain::FlowResult>(&r.value)) {
    for (const domain::MarkerResult& m : flow->markers) {
      ASSIGN_OR_RETURN(Statement marker,
                       db_.Prepare("INSERT INTO qc_result_markers (result_id, marker, "
                                   "percent_positive) VALUES (?,?,?)"));
      marker.Bind(1, r.result_id).Bind(2, m.marker).Bind(3, m.percent_positive);
      RETURN_IF_ERROR(marker.Run());
    }
  }
  return absl::OkStatus();
}

absl::Status Transaction::InsertInterimReading(int64_t test_id,
                                               domain::InterimReading& reading) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO qc_interim_readings (test_id, read_at, note, "
                               "performed_by, recorded_at) VALUES (?,?,?,?,?)"));
  insert.Bind(1, test_id)
      .Bind(2, reading.read_at)
      .Bind(3, reading.note)
      .Bind(4, reading.performed_by)
      .Bind(5, reading.recorded_at);
  RETURN_IF_ERROR(insert.Run());
  reading.reading_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::Status Transaction::InsertReview(int64_t test_id, domain::QcReview& review) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO qc_reviews (test_id, result_id, reviewed_at, "
                               "reviewed_by) VALUES (?,?,?,?)"));
  insert.Bind(1, test_id)
      .Bind(2, review.result_id)
      .Bind(3, review.reviewed_at)
      .Bind(4, review.reviewed_by);
  return insert.Run();
}

absl::Status Transaction::InsertInvalidation(int64_t test_id,
                                             const domain::QcInvalidation& invalidation) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO qc_invalidations (test_id, invalidated_at, "
                               "invalidated_by, reason) VALUES (?,?,?,?)"));
  insert.Bind(1, test_id)
      .Bind(2, invalidation.invalidated_at)
      .Bind(3, invalidation.invalidated_by)
      .Bind(4, invalidation.reason);
  return insert.Run();
}

absl::StatusOr<Page<QcTestRow>> Transaction::ListTests(const QcTestFilter& filter,
                                                       absl::string_view after_key, int limit) {
  // Keyset on (started_at, test_id): "MICROS:ID". The page starts after the
  // key, or at the range's start (test IDs are > 0); that one bound is where
  // the scan of qc_tests_by_start begins, so a page costs its own rows
  // wherever it lies in the export.
  int64_t after_micros = filter.started_from == absl::InfinitePast()
                             ? INT64_MIN
                             : absl::ToUnixMicros(filter.started_from);
  int64_t after_id = 0;
  if (!after_key.empty()) {
    std::vector<absl::string_view> parts = absl::StrSplit(after_key, ':');
    int64_t micros = 0;
    int64_t id = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros) ||
        !absl::SimpleAtoi(parts[1], &id)) {
      return absl::InvalidArgumentError("page_token: not a token from this server");
    }
    if (std::tie(micros, id) > std::tie(after_micros, after_id)) {
      after_micros = micros;
      after_id = id;
    }
  }
  std::vector<std::string> types;
  for (QcTestType t : filter.types) types.push_back(absl::StrCat(static_cast<int>(t)));
  // The unary + keeps SQLite (which has no statistics here) from picking
  // qc_tests_by_type for the IN list: that reads every test of those types
  // left in the range and sorts them, for each page.
  const std::string type_clause =
      types.empty() ? "" : absl::StrCat(" AND +t.test_type IN (", absl::StrJoin(types, ","), ")");
  // One batch's tests are few: found by qc_tests_by_batch, then sorted.
  const std::string batch_clause =
      filter.batch_id.empty()
          ? ""
          : " AND t.batch_seq = (SELECT batch_seq FROM batches WHERE batch_id = ?5)";
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(absl::StrCat(
          "SELECT ", kTestColumns, ", ", kSampleColumns, ", b.patient_id "
          "FROM qc_tests t JOIN qc_samples s USING (sample_id) JOIN batches b "
          "ON b.batch_seq = t.batch_seq WHERE t.started_at < ?2 "
          "AND (t.started_at, t.test_id) > (?3, ?4)",
          batch_clause, type_clause, " ORDER BY t.started_at, t.test_id LIMIT ?6")));
  q.Bind(2, filter.started_before == absl::InfiniteFuture()
                ? INT64_MAX
                : absl::ToUnixMicros(filter.started_before))
      .Bind(3, after_micros)
      .Bind(4, after_id)
      .Bind(6, limit + 1);
  if (!filter.batch_id.empty()) q.Bind(5, filter.batch_id);
  ASSIGN_OR_RETURN(
      Page<QcTestRow> page,
      ReadPage<QcTestRow>(
          q, limit,
          [](const Statement& row) {
            return QcTestRow{SampleFromRow(row, 8), TestFromRow(row), row.Text(15)};
          },
          [](const Statement& row) {
            return absl::StrCat(absl::ToUnixMicros(row.Time(4)), ":", row.Int(0));
          }));
  for (QcTestRow& r : page.items) RETURN_IF_ERROR(LoadTestDetails(r.test));
  return page;
}

}  // namespace cpctrack::store
