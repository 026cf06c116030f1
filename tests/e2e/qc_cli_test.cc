// Issue 3 through the real cpc binary against the real cpcd: QC sampled,
// resulted by one person and reviewed by another, the batch frozen into four
// vials in a box; and a sterility positive after freezing that quarantines
// the batch and its units, is impossible to miss in every view, shows in the
// auditor's export, and ends with QA's rejection and disposal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/e2e/cli_inventory.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kTech[] = "tech.sato";
constexpr char kSecondTech[] = "tech.kato";
constexpr char kSecondQa[] = "qa.mori";
constexpr char kQa[] = "qa.tanaka";

// The lines of `text` that contain `needle`.
std::vector<std::string> LinesWith(const std::string& text, absl::string_view needle) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) lines.emplace_back(line);
  }
  return lines;
}

// The number after `marker` in `text` (e.g. "OPEN DEVIATION #" -> 3), or 0.
int64_t NumberAfter(const std::string& text, const std::string& marker) {
  const size_t at = text.find(marker);
  if (at == std::string::npos) return 0;
  size_t end = at + marker.size();
  while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
  int64_t n = 0;
  if (!absl::SimpleAtoi(text.substr(at + marker.size(), end - at - marker.size()), &n)) return 0;
  return n;
}

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

class QcCliTest : public ::testing::Test {
 protected:
  QcCliTest() : server_(dir_.path() + "/cpctrack.db") {}

  CliResult Cpc(const std::vector<std::string>& args, const std::string& user = kTech) {
    return RunCpc(server_.address(), user, args, state_dir_);
  }

  // Runs a command that must succeed and returns its stdout.
  std::string Ok(const std::vector<std::string>& args, const std::string& user = kTech) {
    const CliResult r = Cpc(args, user);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(args, " ") << " (as " << user << ")\n"
                              << r.err;
    return r.out;
  }

  void SetUp() override {
    Ok({"patient", "register", "TKY-0042", "--weight-kg", "62.5", "--hbv", "neg", "--hcv", "neg",
        "--hiv", "neg", "--htlv1", "neg", "--syphilis", "neg", "--consent-ref", "CF-0113"});
    RegisterCultureInventory(server_.address(), state_dir_);
    RegisterAcceptedLot(server_.address(), state_dir_, "CS10-2611", "CryoStor CS10", "2099-12-31");

    EXPECT_THAT(Ok({"storage", "add-tank", "LN2-A", "--class", "ln2-vapour", "--name",
                    "LN2 vapour tank A"},
                   kAdmin),
                HasSubstr("Added tank LN2-A"));
    EXPECT_THAT(Ok({"storage", "add-rack", "LN2-A", "R1"}, kAdmin), HasSubstr("Added rack R1"));
    EXPECT_THAT(Ok({"storage", "add-box", "LN2-A/R1/B1", "--rows", "9", "--columns", "9"}, kAdmin),
                HasSubstr("positions A1 to I9"));
  }

  // A batch in culture whose first passage, two weeks ago, counted 2e8 viable
  // cells: a compendial sterility culture started at that harvest can be
  // read now (USP <71>: 14 days).
  // Two weeks of culture typed in at once: each step says why it is late.
  static constexpr char kLate[] = "transcribed from the paper batch record";
  std::string GrownBatch() {
    const std::string b(absl::StripAsciiWhitespace(
        Ok({"batch", "create", "--patient", "TKY-0042", "--quiet"})));
    EXPECT_EQ(b.size(), 14u) << b;
    Ok({"batch", "receive", b, "--collected", "-366h", "--received", "-365h", "--site",
        "abdomen", "--volume-ml", "20", "--temp-c", "4", "--late-reason", kLate});
    Ok({"batch", "seed", b, "--cells", "2e6", "--vessel", "T75", "--vessels", "2", "--area-cm2",
        "150", "--medium-lot", "MEM-2611", "--reagent-lot", "COL-0425", "--incubator", "INC-01",
        "--at", "-364h", "--late-reason", kLate});
    const std::string passage =
        Ok({"batch", "passage", b, "--total", "2.2e8", "--viable", "2e8", "--method",
            "auto-trypan", "--counter", "NC-01", "--reseed", "1e7", "--medium-lot", "MEM-2611", "--reagent-lot",
            "TRY-7781", "--incubator", "INC-01", "--at", "-338h", "--late-reason", kLate});
    EXPECT_THAT(passage, HasSubstr("now P1"));
    return b;
  }

  // `cpc qc sample` at final harvest; returns the printed test IDs by type.
  std::map<std::string, int64_t> Sample(const std::string& batch,
                                        const std::vector<std::string>& tests) {
    std::vector<std::string> args = {"qc", "sample", batch, "--point", "final-harvest", "--at",
                                     "-337h", "--late-reason", kLate};
    for (const std::string& test : tests) {
      args.push_back("--test");
      args.push_back(test);
    }
    const std::string out = Ok(args);
    EXPECT_THAT(out, HasSubstr("Drew sample #"));
    EXPECT_THAT(out, HasSubstr("at final-harvest"));
    // The table's rows: "  7  sterility  USP <71>  2026-...".
    std::map<std::string, int64_t> ids;
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      std::vector<absl::string_view> words =
          absl::StrSplit(absl::StripAsciiWhitespace(line), ' ', absl::SkipEmpty());
      int64_t id = 0;
      if (words.size() >= 2 && absl::SimpleAtoi(words[0], &id)) ids[std::string(words[1])] = id;
    }
    EXPECT_EQ(ids.size(), tests.size()) << out;
    return ids;
  }

  std::string Freeze(const std::string& batch, int count) {
    return Ok({"units", "freeze", batch, "--kind", "vial", "--cells", "2.5e7", "--volume-ml",
               "1.5", "--medium", "CryoStor CS10", "--medium-lot", "CS10-2611", "--program",
               "-1C/min to -90C", "--at", "-30m", "--count", absl::StrCat(count), "--start",
               "LN2-A/R1/B1/A1"});
  }

  TempDir dir_;
  ServerProcess server_;
  std::string state_dir_ = dir_.path() + "/cpc-state";
};

TEST_F(QcCliTest, QcResultedReviewedByASecondPersonAndFourVialsFrozenInABox) {
  const std::string b = GrownBatch();
  std::map<std::string, int64_t> ids =
      Sample(b, {"sterility:USP <71>", "mycoplasma:PCR", "endotoxin", "viability"});
  ASSERT_EQ(ids.size(), 4u);
  const std::string sterility = absl::StrCat(ids["sterility"]);
  const std::string mycoplasma = absl::StrCat(ids["mycoplasma"]);
  const std::string endotoxin = absl::StrCat(ids["endotoxin"]);
  const std::string viability = absl::StrCat(ids["viability"]);

  // A look on day 3 is an interim reading, shown with the test, never its result.
  std::string out = Ok({"qc", "result", sterility, "--negative", "--interim", "--note",
                        "no growth at 72 h", "--read-at", "-265h"});
  EXPECT_THAT(out, HasSubstr("Recorded an interim reading of sterility (USP <71>) test"));
  EXPECT_THAT(out, HasSubstr(": no growth at 72 h\n"));  // what was seen, not the (no) result
  EXPECT_THAT(out, HasSubstr("test pending"));
  out = Ok({"qc", "show", sterility});
  EXPECT_THAT(out, HasSubstr("Interim readings (not results)"));
  EXPECT_THAT(out, HasSubstr("no growth at 72 h"));
  EXPECT_THAT(out, HasSubstr("(pending)"));

  // Recorded by a QA person who is also a technician: they may not review it.
  out =
      Ok({"qc", "result", sterility, "--negative", "--kit-lot", "TSB-0425"}, kQa);
  EXPECT_THAT(out, HasSubstr("Recorded sterility (USP <71>) test " + sterility));
  EXPECT_THAT(out, HasSubstr(": NEGATIVE"));
  EXPECT_THAT(out, HasSubstr("test resulted, batch in-culture"));
  EXPECT_THAT(out, Not(HasSubstr("QUARANTINED")));
  out = Ok({"qc", "result", mycoplasma, "--negative"});
  EXPECT_THAT(out, HasSubstr("Recorded mycoplasma (PCR) test " + mycoplasma));
  out = Ok({"qc", "result", endotoxin, "--endotoxin", "0.2"});
  EXPECT_THAT(out, HasSubstr(": 0.2 EU/mL"));
  EXPECT_THAT(out, Not(HasSubstr("DEVIATION")));
  out = Ok({"qc", "result", viability, "--viability", "92"});
  EXPECT_THAT(out, HasSubstr(": 92.0%"));
  EXPECT_THAT(out, Not(HasSubstr("DEVIATION")));

  // A technician may not review at all; the role check names the permission.
  CliResult tech = Cpc({"qc", "review", mycoplasma, "--password-stdin"}, kTech);
  EXPECT_EQ(tech.exit_code, 1);
  EXPECT_THAT(tech.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(tech.err, HasSubstr("qc.review"));
  // Four eyes: the performer's own review is refused, and says why.
  CliResult own = Cpc({"qc", "review", sterility, "--password-stdin"}, kQa);
  EXPECT_EQ(own.exit_code, 1);
  EXPECT_THAT(own.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(own.err, HasSubstr("qa.tanaka performed this result and cannot review it"));
  EXPECT_EQ(own.out, "");
  // A review is a signature: without --password-stdin and no terminal, nothing is sent.
  CliResult unsigned_review = Cpc({"qc", "review", mycoplasma}, kQa);
  EXPECT_EQ(unsigned_review.exit_code, 1);
  EXPECT_THAT(unsigned_review.err, HasSubstr("password-stdin"));
  out = Ok({"qc", "review", sterility, "--password-stdin"}, kSecondQa);
  EXPECT_THAT(out, HasSubstr("Reviewed "));
  EXPECT_THAT(out, HasSubstr("Signed by Mori Aoi (qa.mori)"));
  for (const std::string& test : {mycoplasma, endotoxin, viability}) {
    out = Ok({"qc", "review", test, "--password-stdin"}, kQa);
    EXPECT_THAT(out, HasSubstr("Reviewed "));
    EXPECT_THAT(out, HasSubstr("test reviewed"));
    EXPECT_THAT(out, HasSubstr("Signed by Tanaka Yui (qa.tanaka)"));
  }
  // A second review of a reviewed result is refused.
  EXPECT_EQ(Cpc({"qc", "review", mycoplasma, "--password-stdin"}, kSecondQa).exit_code, 1);

  const std::string listed = Ok({"qc", "list", b});
  EXPECT_THAT(LinesWith(listed, kQa), SizeIs(4)) << listed;
  EXPECT_THAT(LinesWith(listed, "reviewed"), SizeIs(4)) << listed;

  out = Freeze(b, 4);
  EXPECT_THAT(out, HasSubstr("Froze 4 units of batch"));
  EXPECT_THAT(out, HasSubstr("(batch now cryopreserved)"));
  for (int i = 1; i <= 4; ++i) {
    const std::vector<std::string> rows = LinesWith(out, absl::StrCat(b, "-0", i));
    ASSERT_THAT(rows, SizeIs(1)) << out;
    EXPECT_THAT(rows[0], HasSubstr(absl::StrCat("LN2-A/R1/B1/A", i)));
    EXPECT_THAT(rows[0], HasSubstr("2.5e7"));
  }

  const std::string tank = Ok({"storage", "show", "LN2-A"});
  EXPECT_THAT(tank, HasSubstr("4 of 81 positions occupied"));
  EXPECT_THAT(tank, HasSubstr("Box R1/B1  (9 x 9, 4 occupied)"));
  EXPECT_THAT(tank, HasSubstr("\n  A  X X X X . . . . .\n  B  . . . . . . . . .\n"));
  const std::vector<std::string> in_box = LinesWith(tank, b + "-0");
  ASSERT_THAT(in_box, SizeIs(4)) << tank;
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(in_box[i], StartsWith(absl::StrCat("  LN2-A/R1/B1/A", i + 1, "  ", b, "-0", i + 1)));
    EXPECT_THAT(in_box[i], HasSubstr("TKY-0042"));
    EXPECT_THAT(in_box[i], ::testing::EndsWith("  stored"));
  }

  const std::string units = Ok({"units", "list", "--batch", b});
  EXPECT_THAT(LinesWith(units, b + "-0"), SizeIs(4)) << units;
  EXPECT_THAT(LinesWith(units, "stored"), SizeIs(4)) << units;
  EXPECT_THAT(units, Not(HasSubstr("QUARANTINED")));
  // The box holds them and nothing is held.
  EXPECT_EQ(Ok({"units", "list", "--state", "quarantined"}), "No units.\n");
  EXPECT_THAT(LinesWith(Ok({"units", "list", "--location", "LN2-A/R1/B1"}), b + "-0"), SizeIs(4));

  const std::string show = Ok({"batch", "show", b});
  EXPECT_THAT(show, StartsWith("Batch "));
  EXPECT_THAT(show, HasSubstr("state    cryopreserved"));
  EXPECT_THAT(show, Not(HasSubstr("!!")));
}

TEST_F(QcCliTest, SterilityPositiveAfterFreezingQuarantinesRejectsAndDisposes) {
  const std::string b = GrownBatch();
  std::map<std::string, int64_t> ids = Sample(b, {"sterility:USP <71>"});
  ASSERT_EQ(ids.count("sterility"), 1u);
  const std::string test = absl::StrCat(ids["sterility"]);
  EXPECT_THAT(Freeze(b, 4), HasSubstr("Froze 4 units"));

  // Day 14: growth. A second technician reads it.
  const std::string result =
      Ok({"qc", "result", test, "--positive", "--organism", "S. aureus"}, kSecondTech);
  EXPECT_THAT(result, StartsWith("!! QUARANTINED: batch "));
  const std::string banner = result.substr(0, result.find('\n'));
  EXPECT_THAT(banner, HasSubstr(" and 4 units -- STERILITY test " + test + " POSITIVE (S. aureus)"));
  EXPECT_THAT(result, HasSubstr("batch quarantined"));
  EXPECT_THAT(result, HasSubstr("!! OPEN DEVIATION #"));
  EXPECT_THAT(result, HasSubstr("units quarantined: " + b + "-01, " + b + "-02, " + b + "-03, " +
                                b + "-04"));
  EXPECT_THAT(result, HasSubstr("cpc deviation close ID"));
  const int64_t deviation = NumberAfter(result, "OPEN DEVIATION #");
  ASSERT_GT(deviation, 0) << result;

  // Impossible to miss: first line of show, a note under the list's row.
  const std::string show = Ok({"batch", "show", b});
  EXPECT_THAT(show, StartsWith("!! QUARANTINED: STERILITY test " + test + " POSITIVE"));
  EXPECT_THAT(show.substr(0, show.find('\n')), HasSubstr("S. aureus"));
  EXPECT_THAT(show, HasSubstr("state    !! QUARANTINED"));
  const std::string list = Ok({"batch", "list"});
  const std::vector<std::string> notes = LinesWith(list, "!! STERILITY test " + test);
  ASSERT_THAT(notes, SizeIs(1)) << list;
  EXPECT_THAT(notes[0], HasSubstr("POSITIVE"));
  EXPECT_THAT(notes[0], HasSubstr("S. aureus"));
  const std::vector<std::string> rows = LinesWith(list, b);
  ASSERT_THAT(rows, SizeIs(1)) << list;
  EXPECT_THAT(rows[0], HasSubstr("quarantined"));
  EXPECT_THAT(rows[0], HasSubstr("!! 1"));

  const std::string held = Ok({"units", "list", "--state", "quarantined"});
  EXPECT_THAT(LinesWith(held, b + "-0"), SizeIs(4)) << held;
  EXPECT_THAT(LinesWith(held, "!! QUARANTINED"), SizeIs(4)) << held;
  EXPECT_EQ(Ok({"units", "list", "--batch", b, "--state", "stored"}), "No units.\n");
  EXPECT_THAT(Ok({"storage", "show", "LN2-A"}), HasSubstr("\n  A  Q Q Q Q . . . . .\n"));

  // Nothing is thawed from a quarantined batch.
  CliResult thaw = Cpc({"units", "thaw", b + "-02", "--total", "2.4e7", "--viable", "2.1e7"});
  EXPECT_EQ(thaw.exit_code, 1);
  EXPECT_THAT(thaw.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(thaw.err, HasSubstr("QUARANTINED"));
  EXPECT_EQ(thaw.out, "");

  // The auditor's export: the positive with who read it.
  const absl::Time now = absl::Now();
  const std::string csv = Ok({"audit", "sterility", "--from", Day(now - absl::Hours(15 * 24)), "--to",
                              Day(now + absl::Hours(24)), "--csv"},
                             "auditor.ito");
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(2)) << csv;
  EXPECT_THAT(lines[0], StartsWith("test_id,batch_id,patient_id,"));
  const std::vector<std::string> fields = absl::StrSplit(lines[1], ',');
  ASSERT_THAT(fields, SizeIs(19)) << lines[1];
  EXPECT_EQ(fields[0], test);
  EXPECT_EQ(fields[1], b);
  EXPECT_EQ(fields[2], "TKY-0042");
  EXPECT_EQ(fields[4], "FINAL_HARVEST");
  EXPECT_EQ(fields[6], "STERILITY");
  EXPECT_EQ(fields[7], "USP <71>");
  EXPECT_EQ(fields[10], "POSITIVE (S. aureus)");
  EXPECT_EQ(fields[12], kSecondTech);  // the performer, not who drew the sample
  EXPECT_EQ(fields[13], "");           // not reviewed

  // A positive is on record only through its test: not opened by hand.
  CliResult by_hand = Cpc({"deviation", "open", b, "--kind", "positive-test", "--description",
                           "growth seen"},
                          kQa);
  EXPECT_EQ(by_hand.exit_code, 1);
  EXPECT_THAT(by_hand.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(by_hand.err, HasSubstr("opened by the step that reveals them"));

  // QA rejects through the deviation; then the batch can only be disposed of.
  const std::string closed =
      Ok({"deviation", "close", absl::StrCat(deviation), "--disposition", "reject", "--reason",
          "confirmed S. aureus contamination", "--password-stdin"},
         kQa);
  EXPECT_THAT(closed, HasSubstr(absl::StrCat("Closed deviation #", deviation,
                                             " with disposition reject")));
  EXPECT_THAT(closed, HasSubstr("is now rejected"));
  EXPECT_THAT(Ok({"batch", "show", b}), HasSubstr("state    !! REJECTED"));
  CliResult sample = Cpc({"qc", "sample", b, "--point", "other", "--test", "endotoxin"});
  EXPECT_EQ(sample.exit_code, 1);
  EXPECT_THAT(sample.err, HasSubstr("REJECTED"));

  const std::string disposed =
      Ok({"batch", "dispose", b, "--reason", "rejected: sterility positive"}, kQa);
  EXPECT_THAT(disposed, HasSubstr("(state disposed)"));
  EXPECT_THAT(Ok({"batch", "show", b}), HasSubstr("state    !! DISPOSED"));
  const std::string units = Ok({"units", "list", "--batch", b});
  EXPECT_THAT(LinesWith(units, "disposed"), SizeIs(4)) << units;
  EXPECT_THAT(Ok({"storage", "show", "LN2-A"}), HasSubstr("0 of 81 positions occupied"));
}

// Records should be contemporaneous: a QC result or a thaw written down more
// than a day after it happened is refused without a reason, kept with one,
// and the reason is shown with the batch and with the record.
TEST_F(QcCliTest, LateQcResultAndLateThawNeedAReasonShownWithTheBatch) {
  const std::string b = GrownBatch();
  std::map<std::string, int64_t> ids = Sample(b, {"endotoxin"});
  ASSERT_EQ(ids.size(), 1u);
  const std::string endotoxin = absl::StrCat(ids["endotoxin"]);

  const std::vector<std::string> result = {"qc", "result", endotoxin, "--endotoxin", "0.2",
                                           "--read-at", "-30h"};
  const CliResult unexplained = Cpc(result);
  EXPECT_EQ(unexplained.exit_code, 1);
  EXPECT_THAT(unexplained.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(unexplained.err, HasSubstr("late_entry_reason: required: read_at"));
  EXPECT_THAT(unexplained.err, HasSubstr("is recorded at"));
  EXPECT_THAT(unexplained.err, HasSubstr("--late-reason"));
  // Nothing was written: the test is still pending.
  EXPECT_THAT(Ok({"qc", "show", endotoxin}), HasSubstr("(pending)"));

  constexpr char kReaderLate[] = "endotoxin reader printout entered after the weekend";
  std::vector<std::string> explained = result;
  explained.insert(explained.end(), {"--late-reason", kReaderLate});
  Ok(explained);
  const std::string shown = Ok({"qc", "show", endotoxin});
  EXPECT_THAT(shown, HasSubstr("Late entries"));
  EXPECT_THAT(LinesWith(shown, kReaderLate), SizeIs(1)) << shown;
  EXPECT_THAT(LinesWith(shown, kReaderLate)[0],
              HasSubstr(absl::StrCat("qc/tests/", endotoxin, "/result")));

  // Frozen two weeks ago (typed in late, with its reason), thawed 26 h ago.
  Ok({"units", "freeze", b, "--kind", "vial", "--cells", "2.5e7", "--volume-ml", "1.5",
      "--medium", "CryoStor CS10", "--medium-lot", "CS10-2611", "--program", "-1C/min to -90C",
      "--at", "-330h", "--count", "2", "--start", "LN2-A/R1/B1/A1", "--late-reason", kLate});
  const std::vector<std::string> thaw = {"units", "thaw", b + "-01", "--total", "2.4e7",
                                         "--viable", "2.1e7", "--at", "-26h"};
  const CliResult unexplained_thaw = Cpc(thaw);
  EXPECT_EQ(unexplained_thaw.exit_code, 1);
  EXPECT_THAT(unexplained_thaw.err, HasSubstr("late_entry_reason: required: thawed_at"));
  EXPECT_THAT(Ok({"units", "show", b + "-01"}), HasSubstr("stored"));

  constexpr char kThawLate[] = "thaw sheet found in the clean room; entered the next day";
  std::vector<std::string> explained_thaw = thaw;
  explained_thaw.insert(explained_thaw.end(), {"--late-reason", kThawLate});
  EXPECT_THAT(Ok(explained_thaw), HasSubstr("Thawed unit " + b + "-01"));
  EXPECT_THAT(Ok({"units", "show", b + "-01"}), HasSubstr(kThawLate));

  const std::string show = Ok({"batch", "show", b});
  EXPECT_THAT(show, HasSubstr("Late entries"));
  const std::vector<std::string> result_line = LinesWith(show, kReaderLate);
  ASSERT_THAT(result_line, SizeIs(1)) << show;
  EXPECT_THAT(result_line[0], HasSubstr(absl::StrCat("qc/tests/", endotoxin, "/result")));
  EXPECT_THAT(result_line[0], HasSubstr("read_at"));
  const std::vector<std::string> thaw_line = LinesWith(show, kThawLate);
  ASSERT_THAT(thaw_line, SizeIs(1)) << show;
  EXPECT_THAT(thaw_line[0], HasSubstr("units/" + b + "-01/thaw"));
  EXPECT_THAT(thaw_line[0], HasSubstr("thawed_at"));
  EXPECT_THAT(thaw_line[0], HasSubstr(kTech));
  // The late freeze is listed for each unit it made; the draw for its sample.
  EXPECT_THAT(LinesWith(show, "frozen_at"), SizeIs(2)) << show;
  EXPECT_THAT(LinesWith(show, "drawn_at"), SizeIs(1)) << show;

  // Each reason is also the reason of its step's audit entry.
  EXPECT_THAT(Ok({"audit", "trail", "--action", "qc.record_result", "--csv"}, "auditor.mori"),
              HasSubstr(absl::StrCat("late entry: ", kReaderLate)));
  EXPECT_THAT(Ok({"audit", "trail", "--action", "unit.thaw", "--csv"}, "auditor.mori"),
              HasSubstr(absl::StrCat("late entry: ", kThawLate)));
}

}  // namespace
}  // namespace cpctrack::testing
