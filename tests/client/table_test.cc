#include "client/table.h"

#include <gtest/gtest.h>

namespace cpc {
namespace {

TEST(TableTest, AlignsColumnsAndTrimsTrailingBlanks) {
  Table table({"batch", "passage", "cells"});
  table.AlignRight(2);
  table.AddRow({"A9999260000018", "P1", "2.50e6"});
  table.AddRow({"B1", "P12", "950"});
  EXPECT_EQ(table.Render(),
            "BATCH           PASSAGE   CELLS\n"
            "A9999260000018  P1       2.50e6\n"
            "B1              P12         950\n");
}

TEST(TableTest, NotesFollowTheirRowWithoutWideningColumns) {
  Table table({"record", "step"});
  table.AddRow({"#5", "seeding"});
  table.AddNote("corrected by #12 (reason: a very long reason that is wider than any column)");
  table.AddRow({"#6", "feed"});
  EXPECT_EQ(table.Render(2),
            "  RECORD  STEP\n"
            "  #5      seeding\n"
            "          corrected by #12 (reason: a very long reason that is wider than any "
            "column)\n"
            "  #6      feed\n");
}

// Stored text cannot forge a row: a line break (from an older database, or a
// free-text note) and a terminal escape are shown as escapes on one line.
TEST(TableTest, AForgedNewlineIsShownEscaped) {
  Table table({"user", "reason"});
  table.AddRow({"tech.sato", "typo\nadmin.kato  released batch A9999"});
  table.AddRow({"qa.mori", "ok\x1b[2J"});
  table.AddNote("note\rover");
  EXPECT_EQ(table.Render(),
            "USER       REASON\n"
            "tech.sato  typo\\nadmin.kato  released batch A9999\n"
            "qa.mori    ok\\x1B[2J\n"
            "           note\\rover\n");
}

}  // namespace
}  // namespace cpc
