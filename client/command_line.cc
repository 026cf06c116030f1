#include "client/command_line.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/status_util.h"

namespace cpc {
namespace {

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean --viable?)" for a near miss, "" otherwise.
std::string Suggestion(absl::string_view typed, absl::Span<const FlagSpec> flags) {
  const FlagSpec* best = nullptr;
  size_t best_distance = 3;  // a typo, not a different word
  for (const FlagSpec& flag : flags) {
    size_t distance = EditDistance(typed, flag.name);
    if (distance < best_distance) {
      best = &flag;
      best_distance = distance;
    }
  }
  return best ? absl::StrCat(" (did you mean --", best->name, "?)") : "";
}

const FlagSpec* FindFlag(absl::Span<const FlagSpec> flags, absl::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool IsFlagToken(absl::string_view token) {
  return token == "-h" || (absl::StartsWith(token, "--") && token.size() > 2);
}

// Reads the flag at argv[*i] (and its value from argv[*i + 1] when not given
// as --flag=VALUE) into `parsed`, advancing *i past what it consumed.
absl::Status ReadFlag(absl::string_view context, const FlagSpec& flag,
                      std::optional<std::string> inline_value,
                      absl::Span<const std::string> argv, size_t* i,
                      ParsedArgs* parsed) {
  std::string name = absl::StrCat("--", flag.name);
  if (flag.value_name.empty()) {
    if (inline_value) return UsageError(absl::StrCat(context, name, " takes no value"));
    parsed->Add(flag.name, "true", /*given=*/true);
    return absl::OkStatus();
  }
  std::string value;
  if (inline_value) {
    value = *inline_value;
  } else if (*i + 1 < argv.size()) {
    // The next word is the value even when it starts with '-' ("--at -2h").
    value = argv[++*i];
  } else {
    return UsageError(absl::StrCat(context, name, " needs a value (", flag.value_name, ")"));
  }
  if (value.empty()) return UsageError(absl::StrCat(context, name, ": must not be empty"));
  if (!flag.repeated && parsed->Given(flag.name)) {
    return UsageError(absl::StrCat(context, name, " is given twice"));
  }
  // A repeated flag's value may be a comma-separated list: each item is a choice.
  std::vector<std::string> items = {value};
  if (flag.repeated) {
    items = absl::StrSplit(value, ',', absl::SkipWhitespace());
    for (std::string& item : items) item = std::string(absl::StripAsciiWhitespace(item));
  }
  for (const std::string& item : items) {
    if (!flag.choices.empty() &&
        std::find(flag.choices.begin(), flag.choices.end(), item) == flag.choices.end()) {
      return UsageError(absl::StrCat(context, name, ": \"", item, "\" is not one of ",
                                     absl::StrJoin(flag.choices, ", ")));
    }
  }
  parsed->Add(flag.name, std::move(value), /*given=*/true);
  return absl::OkStatus();
}

// Splits "--name=value" into its parts; "-h" is --help.
std::pair<std::string, std::optional<std::string>> SplitFlag(absl::string_view token) {
  if (token == "-h") return {"help", std::nullopt};
  token = absl::StripPrefix(token, "--");
  size_t eq = token.find('=');
  if (eq == absl::string_view::npos) return {std::string(token), std::nullopt};
  return {std::string(token.substr(0, eq)), std::string(token.substr(eq + 1))};
}

std::vector<std::string> VerbsOf(absl::string_view noun,
                                 absl::Span<const CommandSpec> commands) {
  std::vector<std::string> verbs;
  for (const CommandSpec& command : commands) {
    if (command.noun == noun) verbs.push_back(command.verb);
  }
  return verbs;
}

// Finds the command named by the leading words of `rest`; sets *consumed to
// the number of words used.
absl::StatusOr<const CommandSpec*> ResolveCommand(const std::vector<std::string>& rest,
                                                  absl::Span<const CommandSpec> commands,
                                                  bool help, CommandLine* line,
                                                  size_t* consumed) {
  *consumed = 0;
  if (rest.empty() || IsFlagToken(rest[0])) {
    if (help) return nullptr;
    if (!rest.empty()) {
      return UsageError(absl::StrCat("unknown flag ", rest[0], " (see cpc --help)"));
    }
    return UsageError("no command given (see cpc --help)");
  }
  const std::string& noun = rest[0];
  std::vector<std::string> verbs = VerbsOf(noun, commands);
  if (verbs.empty()) {
    return UsageError(absl::StrCat("unknown command \"", noun, "\" (see cpc --help)"));
  }
  for (const CommandSpec& command : commands) {
    if (command.noun == noun && command.verb.empty()) {
      *consumed = 1;
      return &command;
    }
  }
  line->noun = noun;
  if (rest.size() < 2 || IsFlagToken(rest[1])) {
    if (help) return nullptr;
    return UsageError(absl::StrCat(noun, ": say what to do: one of ",
                                   absl::StrJoin(verbs, ", ")));
  }
  for (const CommandSpec& command : commands) {
    if (command.noun == noun && command.verb == rest[1]) {
      *consumed = 2;
      return &command;
    }
  }
  return UsageError(absl::StrCat(noun, ": unknown command \"", rest[1], "\"; one of ",
                                 absl::StrJoin(verbs, ", ")));
}

}  // namespace

std::string CommandSpec::Name() const {
  return verb.empty() ? noun : absl::StrCat(noun, " ", verb);
}

const std::string& ParsedArgs::Get(absl::string_view name) const {
  static const std::string* const kEmpty = new std::string;
  auto it = values_.find(std::string(name));
  return it == values_.end() ? *kEmpty : it->second.front();
}

std::vector<std::string> ParsedArgs::GetList(absl::string_view flag) const {
  std::vector<std::string> list;
  auto it = values_.find(std::string(flag));
  if (it == values_.end()) return list;
  for (const std::string& value : it->second) {
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      list.emplace_back(absl::StripAsciiWhitespace(item));
    }
  }
  return list;
}

std::vector<std::string> ParsedArgs::GetEach(absl::string_view flag) const {
  auto it = values_.find(std::string(flag));
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

void ParsedArgs::Add(const std::string& name, std::string value, bool given) {
  values_[name].push_back(std::move(value));
  if (given) given_.insert(name);
}

absl::StatusOr<CommandLine> ParseCommandLine(absl::Span<const std::string> argv,
                                             absl::Span<const FlagSpec> global_flags,
                                             absl::Span<const CommandSpec> commands) {
  CommandLine line;
  // Pass 1: global flags, wherever they are; everything else in order.
  std::vector<std::string> rest;
  bool only_positionals = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (only_positionals || !IsFlagToken(argv[i])) {
      if (argv[i] == "--") only_positionals = true;
      rest.push_back(argv[i]);
      continue;
    }
    auto [name, inline_value] = SplitFlag(argv[i]);
    if (name == "help") {
      line.help = true;
    } else if (const FlagSpec* flag = FindFlag(global_flags, name)) {
      CPC_RETURN_IF_ERROR(ReadFlag("", *flag, inline_value, argv, &i, &line.globals));
    } else {
      rest.push_back(argv[i]);
    }
  }

  size_t consumed = 0;
  CPC_ASSIGN_OR_RETURN(line.command,
                       ResolveCommand(rest, commands, line.help, &line, &consumed));
  if (line.command == nullptr) return line;
  const CommandSpec& command = *line.command;
  const std::string context = absl::StrCat(command.Name(), ": ");

  // Pass 2: the command's flags and positional arguments.
  size_t positional = 0;
  only_positionals = false;
  for (size_t i = consumed; i < rest.size(); ++i) {
    if (!only_positionals && rest[i] == "--") {
      only_positionals = true;
    } else if (!only_positionals && IsFlagToken(rest[i])) {
      auto [name, inline_value] = SplitFlag(rest[i]);
      const FlagSpec* flag = FindFlag(command.flags, name);
      if (flag == nullptr) {
        return UsageError(absl::StrCat(context, "unknown flag --", name,
                                       Suggestion(name, command.flags), " (see cpc ",
                                       command.Name(), " --help)"));
      }
      CPC_RETURN_IF_ERROR(ReadFlag(context, *flag, inline_value, rest, &i, &line.args));
    } else if (positional < command.args.size()) {
      const ArgSpec& arg = command.args[positional++];
      if (!arg.choices.empty() && std::find(arg.choices.begin(), arg.choices.end(),
                                            rest[i]) == arg.choices.end()) {
        return UsageError(absl::StrCat(context, arg.name, ": \"", rest[i],
                                       "\" is not one of ",
                                       absl::StrJoin(arg.choices, ", ")));
      }
      line.args.Add(arg.name, rest[i], /*given=*/false);
    } else {
      return UsageError(absl::StrCat(context, "unexpected argument \"", rest[i],
                                     "\" (see cpc ", command.Name(), " --help)"));
    }
  }
  if (line.help) return line;

  if (positional < command.args.size() && !command.args[positional].optional) {
    const ArgSpec& missing = command.args[positional];
    return UsageError(absl::StrCat(context, missing.name, " is required (", missing.help,
                                   ")"));
  }
  for (const FlagSpec& flag : command.flags) {
    if (line.args.Has(flag.name)) continue;
    if (flag.required) {
      return UsageError(absl::StrCat(context, "--", flag.name, " is required"));
    }
    if (!flag.default_value.empty()) {
      line.args.Add(flag.name, flag.default_value, /*given=*/false);
    }
  }
  return line;
}

}  // namespace cpc
