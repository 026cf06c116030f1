#include "web/messages.h"

#include <cstdlib>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cpcweb {
namespace {

struct Message {
  const char* key;
  const char* en;
  const char* ja;
};

constexpr Message kMessages[] = {
    {"nav.board", "Board", "投与予定ボード"},
    {"nav.sterility", "Sterility & mycoplasma", "無菌・マイコプラズマ試験"},
    {"nav.audit_trail", "Audit trail", "監査証跡"},
    {"nav.batch", "Batch", "バッチ"},
    {"nav.open", "Open", "開く"},
    {"nav.sign_out", "Sign out", "サインアウト"},
    {"login.title", "Sign in", "サインイン"},
    {"login.user", "User name", "ユーザー名"},
    {"login.password", "Password", "パスワード"},
    {"login.new_password", "New password (required when your password was set by an administrator)",
     "新しいパスワード（管理者が設定したパスワードの場合は必須）"},
    {"login.submit", "Sign in", "サインイン"},
    {"login.failed", "Sign-in failed", "サインインできませんでした"},
    {"login.expired", "Your session has ended; please sign in again.",
     "セッションが終了しました。もう一度サインインしてください。"},
    {"board.title", "Planned infusions", "投与予定"},
    {"board.range", "From %1 to %2", "%1 から %2 まで"},
    {"board.days", "Days ahead", "表示日数"},
    {"board.show", "Show", "表示"},
    {"board.none", "No infusions planned in this period.", "この期間に予定された投与はありません。"},
    {"board.date", "Date", "予定日"},
    {"board.infusion", "Infusion", "投与回"},
    {"board.patient", "Patient", "患者"},
    {"board.batch", "Batch", "バッチ"},
    {"board.status", "Status", "状況"},
    {"board.reasons", "Reasons", "理由"},
    {"board.projected", "Projected ready", "準備完了見込み"},
    {"board.refreshed", "Updated %1; refreshes every %2 s.", "%1 更新(%2 秒ごとに自動更新)"},
    {"status.ready", "READY", "準備完了"},
    {"status.not_ready", "NOT READY", "未完了"},
    {"status.at_risk", "AT RISK", "要注意"},
    {"status.given", "GIVEN", "投与済"},
    {"criterion.met", "met", "適合"},
    {"criterion.not_met", "NOT MET", "不適合"},
    {"criterion.pending", "pending", "保留中"},
    {"criterion.non_conforming", "NON-CONFORMING", "規格外(医師の要請)"},
    {"status.non_conforming", "NON-CONFORMING", "規格外"},
    {"batch.title", "Batch %1", "バッチ %1"},
    {"batch.identity", "Identity", "識別情報"},
    {"batch.patient", "Patient", "患者"},
    {"batch.product", "Product", "製品"},
    {"batch.state", "State", "状態"},
    {"batch.created", "Created", "作成"},
    {"batch.passage", "Current passage", "現在の継代数"},
    {"batch.quarantine", "QUARANTINED", "隔離中"},
    {"batch.readiness", "Readiness", "出荷判定"},
    {"batch.criterion", "Criterion", "基準"},
    {"batch.value", "Value", "記録値"},
    {"batch.limit", "Limit", "規格"},
    {"batch.projection", "Projected ready", "準備完了見込み"},
    {"batch.results_due", "Results due by", "結果判明予定"},
    {"batch.release", "Release", "出荷判定署名"},
    {"batch.awaiting_release", "awaiting QA release", "品質保証部門の出荷判定待ち"},
    {"batch.growth", "Growth", "増殖"},
    {"batch.timeline", "Timeline", "記録の経過"},
    {"batch.time", "Time", "日時"},
    {"batch.kind", "Record", "記録"},
    {"batch.by", "By", "記録者"},
    {"batch.details", "Details", "内容"},
    {"batch.corrects", "corrects #%1 (%2)", "#%1 を訂正(理由: %2)"},
    {"batch.superseded", "superseded by #%1", "#%1 により訂正済"},
    {"batch.late_entry", "late entry, recorded %1 (reason: %2)", "遅延記録: %1 に記録 (理由: %2)"},
    {"batch.qc", "QC results", "品質試験結果"},
    {"batch.test", "Test", "試験"},
    {"batch.sample", "Sample", "検体"},
    {"batch.started", "Started", "開始"},
    {"batch.result", "Result", "結果"},
    {"batch.performed_by", "Performed by", "実施者"},
    {"batch.reviewer", "Reviewer", "照査者"},
    {"batch.deviations", "Deviations", "逸脱"},
    {"batch.units", "Units and where they are", "製品単位と保管場所"},
    {"batch.unit", "Unit", "単位"},
    {"batch.unit_kind", "Kind", "種類"},
    {"batch.cells", "Cells", "細胞数"},
    {"batch.position", "Location", "保管場所"},
    {"batch.made", "Made", "製造"},
    {"batch.expires", "Expires", "有効期限"},
    {"batch.none", "None.", "なし"},
    {"batch.pdf", "Download batch record (PDF)", "製造記録をダウンロード(PDF)"},
    {"chart.title", "Viable cells and cumulative population doublings",
     "生細胞数と累積集団倍加数"},
    {"chart.viable", "viable cells", "生細胞数"},
    {"chart.pd", "cumulative PD", "累積PD"},
    {"chart.empty", "No cell counts yet.", "細胞数の記録はまだありません。"},
    {"sterility.title", "Sterility and mycoplasma tests", "無菌試験・マイコプラズマ否定試験"},
    {"sterility.from", "From", "開始日"},
    {"sterility.to", "To", "終了日"},
    {"sterility.csv", "Download CSV", "CSVをダウンロード"},
    {"sterility.count", "%1 tests started in this period.", "この期間に開始された試験: %1 件"},
    {"trail.title", "Audit trail", "監査証跡"},
    {"trail.head", "Chain head: %1 entries, hash %2", "チェーンの先頭: %1 件、ハッシュ %2"},
    {"trail.user", "User", "ユーザー"},
    {"trail.action", "Action", "操作"},
    {"trail.search", "Search", "検索"},
    {"trail.seq", "#", "番号"},
    {"trail.resource", "Resource", "対象"},
    {"trail.change", "Change", "変更内容"},
    {"trail.reason", "Reason", "理由"},
    {"trail.more", "Showing the first %1 matching entries.", "該当する最初の %1 件を表示しています。"},
    {"error.forbidden", "Not permitted", "権限がありません"},
    {"error.forbidden_text", "Your role does not allow this page. cpcd said: %1",
     "あなたのロールではこのページを表示できません。cpcd の応答: %1"},
    {"error.not_found", "Not found", "見つかりません"},
    {"error.bad_request", "Cannot do that", "実行できません"},
    {"error.unavailable", "cpcd could not answer", "cpcd が応答しませんでした"},
    {"error.csrf", "The form has expired; please reload the page and try again.",
     "フォームの有効期限が切れました。ページを再読み込みしてもう一度お試しください。"},
    {"error.pdf", "The batch record PDF could not be made.",
     "製造記録のPDFを作成できませんでした。"},
};

const absl::flat_hash_map<absl::string_view, const Message*>& Table() {
  static const auto* const kTable = [] {
    auto* table = new absl::flat_hash_map<absl::string_view, const Message*>();
    for (const Message& message : kMessages) (*table)[message.key] = &message;
    return table;
  }();
  return *kTable;
}

}  // namespace

Lang ChooseLanguage(absl::string_view accept_language) {
  double best_weight = 0;
  Lang best = Lang::kEnglish;
  for (absl::string_view item : absl::StrSplit(accept_language, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double weight = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&param, "q=")) weight = std::atof(std::string(param).c_str());
    }
    const bool japanese = tag == "ja" || absl::StartsWith(tag, "ja-");
    const bool english = tag == "en" || absl::StartsWith(tag, "en-");
    // Strictly greater: among equal weights the first listed wins.
    if ((japanese || english) && weight > best_weight) {
      best_weight = weight;
      best = japanese ? Lang::kJapanese : Lang::kEnglish;
    }
  }
  return best;
}

absl::string_view LangCode(Lang lang) { return lang == Lang::kJapanese ? "ja" : "en"; }

absl::string_view Msg(Lang lang, absl::string_view key) {
  auto it = Table().find(key);
  if (it == Table().end()) return key;
  return lang == Lang::kJapanese ? it->second->ja : it->second->en;
}

std::string Fill(absl::string_view text, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
      const size_t index = static_cast<size_t>(text[i + 1] - '1');
      if (index < args.size()) out += args[index];
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> MessageKeys() {
  std::vector<std::string> keys;
  for (const Message& message : kMessages) keys.emplace_back(message.key);
  return keys;
}

}  // namespace cpcweb
