// Unit tests of cpc-web's page builders: every user-supplied text escaped,
// the board's statuses in colour and words, the growth chart's SVG, the
// language choice and the sessions' tokens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client/sterility_export.h"
#include "client/time_format.h"
#include "web/audit_pages.h"
#include "web/batch_page.h"
#include "web/board_page.h"
#include "web/growth_chart.h"
#include "web/html.h"
#include "web/messages.h"
#include "web/sessions.h"

namespace cpcweb {
namespace {

namespace v1 = ::cpctrack::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kScript[] = "<script>alert('x')</script>";
constexpr char kEscapedScript[] = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

absl::Time At(int day, int hour) {
  return absl::FromCivil(absl::CivilHour(2026, 12, day, hour), absl::UTCTimeZone());
}

google::protobuf::Timestamp Ts(absl::Time time) {
  google::protobuf::Timestamp ts;
  cpc::ToProto(time, &ts);
  return ts;
}

int CountOf(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(EscapeTest, EveryMarkupCharacterBecomesAReference) {
  EXPECT_EQ(Escape(kScript), kEscapedScript);
  EXPECT_EQ(Escape("a & b \"c\" <d>"), "a &amp; b &quot;c&quot; &lt;d&gt;");
  EXPECT_EQ(Escape("佐藤 花"), "佐藤 花");  // UTF-8 passes through
}

TEST(PageFrameTest, NoScriptAndAStrictPolicy) {
  PageFrame frame{.title = kScript, .refresh_seconds = 60, .viewer = {"tech<sato>", "tok\"en"}};
  const std::string page = RenderPage(frame, "<p>body</p>");
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, HasSubstr(kEscapedScript));
  EXPECT_THAT(page, HasSubstr("tech&lt;sato&gt;"));
  EXPECT_THAT(page, HasSubstr("value=\"tok&quot;en\""));
  EXPECT_THAT(page, HasSubstr("<meta http-equiv=\"refresh\" content=\"60\">"));
  bool has_csp = false;
  for (const auto& [name, value] : SecurityHeaders()) {
    if (name != "Content-Security-Policy") continue;
    has_csp = true;
    EXPECT_THAT(value, HasSubstr("default-src 'none'"));
    EXPECT_THAT(value, Not(HasSubstr("http")));  // no external source
    EXPECT_THAT(value, Not(HasSubstr("script-src")));
  }
  EXPECT_TRUE(has_csp);
}

v1::Board TwoEntryBoard() {
  v1::Board board;
  board.set_from_date("2026-12-03");
  board.set_to_date("2026-12-16");
  v1::BoardEntry* at_risk = board.add_entries();
  at_risk->set_planned_infusion_id(8);
  at_risk->set_planned_date("2026-12-05");
  at_risk->set_sequence(1);
  at_risk->set_planned_count(2);
  at_risk->set_batch_id("A9999260000026");
  at_risk->set_patient_id(kScript);
  at_risk->set_status(v1::BOARD_STATUS_AT_RISK);
  at_risk->add_reasons("cells: projected 2026-12-20 <after> the planned date");
  *at_risk->mutable_projected_ready_time() = Ts(At(20, 10));
  v1::BoardEntry* ready = board.add_entries();
  ready->set_planned_infusion_id(7);
  ready->set_planned_date("2026-12-04");
  ready->set_sequence(1);
  ready->set_planned_count(1);
  ready->set_batch_id("A9999260000018");
  ready->set_patient_id("TKY-0042");
  ready->set_status(v1::BOARD_STATUS_READY);
  return board;
}

TEST(BoardPageTest, ReadyAndAtRiskEntriesInColourAndWordsWithReasons) {
  const BoardView view{.zone = absl::UTCTimeZone(), .days = 14, .now = At(3, 9)};
  const std::string body = BoardBody(TwoEntryBoard(), view);
  EXPECT_THAT(body, HasSubstr("<tr class=\"entry\" id=\"entry-7\" data-status=\"ready\">"));
  EXPECT_THAT(body, HasSubstr("<tr class=\"entry\" id=\"entry-8\" data-status=\"at-risk\">"));
  EXPECT_THAT(body, HasSubstr("<span class=\"status ready\">READY</span></td>"));
  EXPECT_THAT(body, HasSubstr("<span class=\"status at-risk\">AT RISK</span></td>"));
  // The earlier date first.
  EXPECT_LT(body.find("entry-7"), body.find("entry-8"));
  EXPECT_THAT(body, HasSubstr("<li>cells: projected 2026-12-20 &lt;after&gt; the planned date</li>"));
  EXPECT_THAT(body, HasSubstr("<td class=\"projected\">2026-12-20</td>"));
  EXPECT_THAT(body, HasSubstr("<a href=\"/batches/A9999260000018\">A9999 26 000001 8</a>"));
  // The patient ID holding a script is shown as text.
  EXPECT_THAT(body, HasSubstr(kEscapedScript));
  EXPECT_THAT(body, Not(HasSubstr("<script")));
  EXPECT_THAT(body, HasSubstr("READY</span> 1"));
  EXPECT_THAT(body, HasSubstr("AT RISK</span> 1"));
}

TEST(BoardPageTest, JapaneseWordsForJapaneseBrowsers) {
  const BoardView view{.lang = Lang::kJapanese, .zone = absl::UTCTimeZone(), .now = At(3, 9)};
  const std::string body = BoardBody(TwoEntryBoard(), view);
  EXPECT_THAT(body, HasSubstr("<span class=\"status ready\">準備完了</span>"));
  EXPECT_THAT(body, HasSubstr("<span class=\"status at-risk\">要注意</span>"));
  EXPECT_THAT(body, HasSubstr("2026-12-03 から 2026-12-16 まで"));
}

TEST(BoardPageTest, ANonConformingBatchIsReadyAndSaysSoNamingTheDeviation) {
  v1::Board board = TwoEntryBoard();
  board.mutable_entries(1)->set_non_conforming(
      "NON-CONFORMING under deviation 12 (physician <dr.ito>'s request)");
  const BoardView view{.zone = absl::UTCTimeZone(), .days = 14, .now = At(3, 9)};
  const std::string body = BoardBody(board, view);
  EXPECT_THAT(body, HasSubstr("<span class=\"status ready\">READY (NON-CONFORMING)</span>"));
  EXPECT_THAT(body, HasSubstr("<li class=\"non-conforming\">NON-CONFORMING under deviation 12 "
                              "(physician &lt;dr.ito&gt;&#39;s request)</li>"));
  // The conforming entry says nothing of it.
  EXPECT_EQ(CountOf(body, "NON-CONFORMING under"), 1);
}

TEST(BatchPageTest, ANonConformingBatchSaysSoInIdentityAndReadiness) {
  v1::Batch batch;
  batch.set_batch_id("A9999260000018");
  batch.set_state(v1::BATCH_STATE_RELEASED);
  batch.set_non_conforming("NON-CONFORMING under deviation 12 (physician dr.ito's request)");
  v1::Readiness readiness;
  readiness.set_ready(true);
  readiness.set_non_conforming(batch.non_conforming());
  v1::Criterion* criterion = readiness.add_criteria();
  criterion->set_name("viability");
  criterion->set_status(v1::CRITERION_STATUS_NON_CONFORMING);
  criterion->set_value("viability 62% is below the minimum 70%");
  const std::string body = BatchBody(batch, readiness, {.zone = absl::UTCTimeZone(), .now = At(3, 9)});
  EXPECT_EQ(CountOf(body, "<p class=\"alarm non-conforming\">NON-CONFORMING under deviation 12"),
            2);
  EXPECT_THAT(body, HasSubstr("<td class=\"non-conforming\">NON-CONFORMING</td>"));
}

v1::Growth TwoPassages() {
  v1::Growth growth;
  v1::PassageGrowth* p1 = growth.add_passages();
  p1->set_passage_number(1);
  *p1->mutable_seeding_time() = Ts(At(1, 0));
  *p1->mutable_harvest_time() = Ts(At(3, 0));
  p1->set_cells_seeded(2'000'000);
  p1->set_viable_cells_harvested(16'000'000);
  p1->set_population_doublings(3);
  v1::PassageGrowth* p2 = growth.add_passages();
  p2->set_passage_number(2);
  *p2->mutable_seeding_time() = Ts(At(3, 0));
  *p2->mutable_harvest_time() = Ts(At(5, 0));
  p2->set_cells_seeded(4'000'000);
  p2->set_viable_cells_harvested(200'000'000);
  p2->set_population_doublings(5.64);
  growth.set_cumulative_population_doublings(8.64);
  return growth;
}

// The points of the polyline inside the group with id `group`.
std::vector<std::string> PolylinePoints(const std::string& svg, const std::string& group) {
  const size_t at = svg.find(absl::StrCat("<g id=\"", group, "\"><polyline points=\""));
  if (at == std::string::npos) return {};
  const size_t begin = svg.find("points=\"", at) + 8;
  return absl::StrSplit(svg.substr(begin, svg.find('"', begin) - begin), ' ');
}

TEST(GrowthChartTest, ViableCellsAtEverySeedingAndHarvestAndCumulativeDoublings) {
  const std::string svg = GrowthChartSvg(TwoPassages(), Lang::kEnglish, absl::UTCTimeZone());
  ASSERT_TRUE(absl::StartsWith(svg, "<svg class=\"chart\" id=\"growth-chart\""));
  EXPECT_TRUE(absl::EndsWith(svg, "</svg>"));
  const std::vector<std::string> viable = PolylinePoints(svg, "viable-cells");
  const std::vector<std::string> doublings = PolylinePoints(svg, "cumulative-pd");
  EXPECT_EQ(viable.size(), 4u);
  EXPECT_EQ(doublings.size(), 3u);  // 0 at the first seeding, then each harvest
  EXPECT_EQ(CountOf(svg, "<circle"), 7);
  // Cells span 2e6 to 2e8: decades 1e6 to 1e9 labelled.
  for (const char* label : {">1e6<", ">1e7<", ">1e8<", ">1e9<"}) EXPECT_THAT(svg, HasSubstr(label));
  EXPECT_THAT(svg, HasSubstr("cumulative PD (8.6)"));
  EXPECT_THAT(svg, HasSubstr(">2026-12-01 00:00<"));
  EXPECT_THAT(svg, HasSubstr(">2026-12-05 00:00<"));
  // Time runs left to right: the last viable point is right of the first.
  const double first_x = std::stod(viable.front().substr(0, viable.front().find(',')));
  const double last_x = std::stod(viable.back().substr(0, viable.back().find(',')));
  EXPECT_LT(first_x, last_x);
  // More cells are higher (smaller y).
  const double y_seeded = std::stod(viable[0].substr(viable[0].find(',') + 1));
  const double y_harvested = std::stod(viable[1].substr(viable[1].find(',') + 1));
  EXPECT_LT(y_harvested, y_seeded);
}

TEST(GrowthChartTest, NoPassageYetSaysSo) {
  EXPECT_EQ(GrowthChartSvg(v1::Growth(), Lang::kJapanese, absl::UTCTimeZone()),
            "<p id=\"growth-chart\">細胞数の記録はまだありません。</p>");
}

TEST(BatchPageTest, UserTextEscapedCorrectionsOldToNewAndEverySection) {
  v1::Batch batch;
  batch.set_batch_id("A9999260000018");
  batch.set_patient_id(kScript);
  batch.set_state(v1::BATCH_STATE_IN_CULTURE);
  batch.set_product_code("MSC-01");
  batch.set_product_version(1);
  *batch.mutable_growth() = TwoPassages();
  v1::BatchRecord* wrong = batch.add_records();
  wrong->set_record_id(3);
  wrong->set_recorded_by("tech.sato");
  wrong->set_corrected_by_record_id(4);
  *wrong->mutable_observation()->mutable_observation_time() = Ts(At(2, 9));
  wrong->mutable_observation()->set_confluence_percent(58);
  wrong->mutable_observation()->set_morphology("spindle");
  v1::BatchRecord* right = batch.add_records();
  right->set_record_id(4);
  right->set_recorded_by("tech.sato");
  right->set_corrects_record_id(3);
  right->set_correction_reason(kScript);
  *right->mutable_observation()->mutable_observation_time() = Ts(At(2, 9));
  right->mutable_observation()->set_confluence_percent(85);
  right->mutable_observation()->set_morphology("spindle");
  v1::Deviation* deviation = batch.add_deviations();
  deviation->set_deviation_id(2);
  deviation->set_description("late processing");
  v1::DeviationNote* note = deviation->add_notes();
  note->set_added_by("qa.kim");
  note->set_text(kScript);
  v1::Unit* unit = batch.add_units();
  unit->set_unit_id("A9999260000018-01");
  unit->set_kind(v1::UNIT_KIND_VIAL);
  unit->set_cells(50'000'000);
  unit->set_state(v1::UNIT_STATE_STORED);
  unit->set_position("LN2-A/R1/B1/A1");
  v1::Readiness readiness;
  v1::Criterion* criterion = readiness.add_criteria();
  criterion->set_name("viability");
  criterion->set_status(v1::CRITERION_STATUS_NOT_MET);
  criterion->set_value("65.0%");
  criterion->set_limit(">= 70.0%");

  const std::string body = BatchBody(
      batch, readiness,
      {.zone = absl::UTCTimeZone(), .now = At(3, 9), .pdf_href = "/batches/A9999260000018/record.pdf"});
  EXPECT_THAT(body, Not(HasSubstr("<script")));
  EXPECT_EQ(CountOf(body, kEscapedScript), 3);  // patient, correction reason, note
  EXPECT_THAT(body, HasSubstr("<tr id=\"record-3\" class=\"superseded\">"));
  EXPECT_THAT(body, HasSubstr("superseded by #4"));
  EXPECT_THAT(body, HasSubstr("confluence 58.0%  spindle → confluence 85.0%  spindle"));
  EXPECT_THAT(body, HasSubstr("<td class=\"not-met\">NOT MET</td><td>65.0%</td><td>&gt;= 70.0%</td>"));
  EXPECT_THAT(body, HasSubstr("<svg class=\"chart\" id=\"growth-chart\""));
  EXPECT_THAT(body, HasSubstr("<td>LN2-A/R1/B1/A1</td>"));
  EXPECT_THAT(body, HasSubstr("href=\"/batches/A9999260000018/record.pdf\""));
  for (const char* id : {"identity", "readiness", "growth", "timeline", "qc", "deviations", "units"}) {
    EXPECT_THAT(body, HasSubstr(absl::StrCat("<h2 id=\"", id, "\">")));
  }
}

TEST(AuditPagesTest, SterilityLinksTheCsvOfThePeriodAndEscapesResults) {
  v1::QcTest test;
  test.set_test_id(7);
  test.set_type(v1::QC_TEST_TYPE_STERILITY);
  test.set_method(kScript);
  test.set_patient_id("TKY-0042");
  test.mutable_sample()->set_batch_id("A9999260000018");
  *test.mutable_start_time() = Ts(At(1, 9));
  const std::string body =
      SterilityBody({test}, "2026-12-01", "2026-12-31", Lang::kEnglish, absl::UTCTimeZone());
  EXPECT_THAT(body, HasSubstr("href=\"/audit/sterility.csv?from=2026-12-01&amp;to=2026-12-31\""));
  EXPECT_THAT(body, HasSubstr(kEscapedScript));
  EXPECT_THAT(body, Not(HasSubstr("<script")));
  EXPECT_THAT(body, HasSubstr("<th>test_id</th>"));
  // The CSV row has one field per column of the header.
  EXPECT_EQ(CountOf(cpc::SterilityCsvHeader(), ","), 18);  // 19 columns, interim_readings last
}

TEST(AuditPagesTest, TrailFormCarriesCsrfAndShowsTheHeadAndOldToNew) {
  v1::ListAuditEntriesResponse listing;
  listing.mutable_head()->set_entry_count(42);
  listing.mutable_head()->set_hash(std::string(64, 'a'));
  v1::AuditEntry* entry = listing.add_entries();
  entry->set_sequence(41);
  entry->set_actor("tech.sato");
  entry->set_action("patient.update");
  entry->set_old_value("{\"weight_kg\":60}");
  entry->set_new_value("{\"note\":\"<script>\"}");
  const std::string body = AuditTrailBody(listing, {.user = "tech.sato"}, false, "CSRF123",
                                          Lang::kEnglish, absl::UTCTimeZone());
  EXPECT_THAT(body, HasSubstr(absl::StrCat("Chain head: 42 entries, hash ", std::string(64, 'a'))));
  EXPECT_THAT(body, HasSubstr("<input type=\"hidden\" name=\"csrf\" value=\"CSRF123\">"));
  EXPECT_THAT(body, HasSubstr("value=\"tech.sato\""));
  EXPECT_THAT(body, HasSubstr("{&quot;weight_kg&quot;:60} → {&quot;note&quot;:&quot;&lt;script&gt;&quot;}"));
}

TEST(MessagesTest, BrowserLanguageChoosesJapaneseOrEnglish) {
  EXPECT_EQ(ChooseLanguage("ja,en-US;q=0.9,en;q=0.8"), Lang::kJapanese);
  EXPECT_EQ(ChooseLanguage("ja-JP"), Lang::kJapanese);
  EXPECT_EQ(ChooseLanguage("en-US,en;q=0.9,ja;q=0.8"), Lang::kEnglish);
  EXPECT_EQ(ChooseLanguage("fr-FR, ja;q=0.5, en;q=0.3"), Lang::kJapanese);
  EXPECT_EQ(ChooseLanguage("fr"), Lang::kEnglish);
  EXPECT_EQ(ChooseLanguage(""), Lang::kEnglish);
}

TEST(MessagesTest, EveryMessageHasBothLanguages) {
  for (const std::string& key : MessageKeys()) {
    EXPECT_NE(Msg(Lang::kEnglish, key), key) << key;
    EXPECT_FALSE(Msg(Lang::kJapanese, key).empty()) << key;
  }
  EXPECT_EQ(Fill("%1 から %2 まで", {"a", "b"}), "a から b まで");
}

TEST(SessionsTest, TokensCookiesAndExpiry) {
  const std::string token = RandomToken();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_NE(token, RandomToken());
  EXPECT_TRUE(SameToken(token, token));
  EXPECT_FALSE(SameToken(token, RandomToken()));
  EXPECT_FALSE(SameToken("", ""));
  EXPECT_EQ(CookieValue("a=1; cpcweb=XYZ; b=2", "cpcweb"), "XYZ");
  EXPECT_EQ(CookieValue("xcpcweb=1", "cpcweb"), "");
  SessionStore store;
  const absl::Time now = At(3, 9);
  auto session = store.Create("tech.sato", nullptr, now + absl::Hours(1), now);
  EXPECT_EQ(store.Find(session->id, now + absl::Minutes(59)), session);
  EXPECT_EQ(store.Find(session->id, now + absl::Hours(1)), nullptr);
  auto other = store.Create("qa.kim", nullptr, now + absl::Hours(1), now);
  store.Erase(other->id);
  EXPECT_EQ(store.Find(other->id, now), nullptr);
}

}  // namespace
}  // namespace cpcweb
