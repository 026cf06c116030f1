#include "client/command_line.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/status_util.h"

namespace cpc {
namespace {

class CommandLineTest : public testing::Test {
 protected:
  CommandLineTest() {
    globals_ = {{.name = "server", .value_name = "HOST:PORT", .help = "server"},
                {.name = "json", .help = "json"}};
    commands_ = {
        {.noun = "status", .summary = "status"},
        {.noun = "batch", .verb = "show", .summary = "show",
         .args = {{.name = "BATCH", .help = "batch ID"}}},
        {.noun = "batch", .verb = "feed", .summary = "feed",
         .args = {{.name = "BATCH", .help = "batch ID"}},
         .flags = {{.name = "medium-lot", .value_name = "LOT", .help = "medium",
                    .required = true},
                   {.name = "reagent-lot", .value_name = "LOT", .help = "reagents",
                    .repeated = true},
                   {.name = "method", .value_name = "M", .help = "method",
                    .choices = {"aopi", "trypan"}},
                   {.name = "at", .value_name = "TIME", .help = "when",
                    .default_value = "now"},
                   {.name = "consent", .help = "a switch"}},
         .example = "cpc batch feed A1 --medium-lot M"},
    };
  }
  absl::StatusOr<CommandLine> Parse(std::vector<std::string> argv) {
    return ParseCommandLine(argv, globals_, commands_);
  }
  std::string ErrorOf(std::vector<std::string> argv) {
    absl::StatusOr<CommandLine> line = Parse(std::move(argv));
    EXPECT_FALSE(line.ok());
    EXPECT_TRUE(IsUsageError(line.status()));
    return std::string(line.status().message());
  }

  std::vector<FlagSpec> globals_;
  std::vector<CommandSpec> commands_;
};

TEST_F(CommandLineTest, FindsCommandArgumentsAndFlagsInBothSpellings) {
  absl::StatusOr<CommandLine> line =
      Parse({"batch", "feed", "A1", "--medium-lot=MEM-1", "--at", "-2h"});
  ASSERT_TRUE(line.ok()) << line.status();
  ASSERT_NE(line->command, nullptr);
  EXPECT_EQ(line->command->Name(), "batch feed");
  EXPECT_EQ(line->args.Get("BATCH"), "A1");
  EXPECT_EQ(line->args.Get("medium-lot"), "MEM-1");
  // A value may start with '-': "-2h" is the time, not a flag.
  EXPECT_EQ(line->args.Get("at"), "-2h");
}

TEST_F(CommandLineTest, GlobalFlagsMayStandAnywhere) {
  absl::StatusOr<CommandLine> line =
      Parse({"--server", "h:1", "batch", "--json", "show", "A1"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->globals.Get("server"), "h:1");
  EXPECT_TRUE(line->globals.Has("json"));
  EXPECT_EQ(line->args.Get("BATCH"), "A1");
}

TEST_F(CommandLineTest, DefaultsFillAbsentFlagsButAreNotGiven) {
  absl::StatusOr<CommandLine> line = Parse({"batch", "feed", "A1", "--medium-lot", "M"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->args.Get("at"), "now");
  EXPECT_TRUE(line->args.Has("at"));
  EXPECT_FALSE(line->args.Given("at"));
  EXPECT_EQ(line->args.GivenFlags(), std::set<std::string>{"medium-lot"});
}

TEST_F(CommandLineTest, RepeatedFlagsCollectAndSplitCommas) {
  absl::StatusOr<CommandLine> line =
      Parse({"batch", "feed", "A1", "--medium-lot", "M", "--reagent-lot", "R1,R2",
             "--reagent-lot=R3"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->args.GetList("reagent-lot"), (std::vector<std::string>{"R1", "R2", "R3"}));
}

TEST_F(CommandLineTest, UsageErrorsNameCommandFlagAndRule) {
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1"}), "batch feed: --medium-lot is required");
  EXPECT_EQ(ErrorOf({"batch", "feed", "--medium-lot", "M"}),
            "batch feed: BATCH is required (batch ID)");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medium-lot", "M", "--method", "x"}),
            "batch feed: --method: \"x\" is not one of aopi, trypan");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medium-lot", "M", "--medium-lot", "N"}),
            "batch feed: --medium-lot is given twice");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medium-lot"}),
            "batch feed: --medium-lot needs a value (LOT)");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medium-lot="}),
            "batch feed: --medium-lot: must not be empty");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medium-lot", "M", "--consent=yes"}),
            "batch feed: --consent takes no value");
  EXPECT_EQ(ErrorOf({"batch", "show", "A1", "B2"}),
            "batch show: unexpected argument \"B2\" (see cpc batch show --help)");
}

TEST_F(CommandLineTest, UnknownFlagSuggestsTheNearOne) {
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--medum-lot", "M"}),
            "batch feed: unknown flag --medum-lot (did you mean --medium-lot?) "
            "(see cpc batch feed --help)");
  EXPECT_EQ(ErrorOf({"batch", "feed", "A1", "--colour", "M"}),
            "batch feed: unknown flag --colour (see cpc batch feed --help)");
}

TEST_F(CommandLineTest, UnknownOrIncompleteCommands) {
  EXPECT_EQ(ErrorOf({}), "no command given (see cpc --help)");
  EXPECT_EQ(ErrorOf({"bach"}), "unknown command \"bach\" (see cpc --help)");
  EXPECT_EQ(ErrorOf({"batch"}), "batch: say what to do: one of show, feed");
  EXPECT_EQ(ErrorOf({"batch", "eat"}), "batch: unknown command \"eat\"; one of show, feed");
}

TEST_F(CommandLineTest, HelpSkipsRequiredChecksAtEveryLevel) {
  absl::StatusOr<CommandLine> top = Parse({"--help"});
  ASSERT_TRUE(top.ok());
  EXPECT_TRUE(top->help);
  EXPECT_EQ(top->command, nullptr);
  EXPECT_EQ(top->noun, "");

  absl::StatusOr<CommandLine> noun = Parse({"batch", "-h"});
  ASSERT_TRUE(noun.ok());
  EXPECT_EQ(noun->noun, "batch");

  absl::StatusOr<CommandLine> command = Parse({"batch", "feed", "--help"});
  ASSERT_TRUE(command.ok()) << command.status();
  ASSERT_NE(command->command, nullptr);
  EXPECT_TRUE(command->help);
}

TEST_F(CommandLineTest, SingleWordCommands) {
  absl::StatusOr<CommandLine> line = Parse({"status", "--server=x:1"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command->Name(), "status");
}

TEST_F(CommandLineTest, CommandHelpListsEveryFlagWithItsRule) {
  std::string help = CommandHelp(commands_[2], globals_);
  EXPECT_TRUE(absl::StrContains(help, "cpc batch feed BATCH --medium-lot LOT [flags]")) << help;
  EXPECT_TRUE(absl::StrContains(help, "--medium-lot LOT   medium  [required]")) << help;
  EXPECT_TRUE(absl::StrContains(help, "[default: now]")) << help;
  EXPECT_TRUE(absl::StrContains(help, "[repeatable, or comma-separated]")) << help;
  EXPECT_TRUE(absl::StrContains(help, "[one of: aopi, trypan]")) << help;
  EXPECT_TRUE(absl::StrContains(help, "--server HOST:PORT")) << help;
  EXPECT_TRUE(absl::StrContains(help, "Example:\n  cpc batch feed A1 --medium-lot M")) << help;
}

TEST_F(CommandLineTest, TopLevelHelpListsEveryCommand) {
  std::string help = TopLevelHelp(globals_, commands_);
  EXPECT_TRUE(absl::StrContains(help, "  status      status\n")) << help;
  EXPECT_TRUE(absl::StrContains(help, "  batch show  show\n")) << help;
  EXPECT_TRUE(absl::StrContains(help, "  batch feed  feed\n")) << help;
}

}  // namespace
}  // namespace cpc
