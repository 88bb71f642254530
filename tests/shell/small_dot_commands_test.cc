// Issue 22's small shell items through the real binary: .tables and .schema
// with views and table properties (the printed statements recreate the
// table), a bare .mode, .print, .cd and .shell/.system.
#include <filesystem>
#include <fstream>

#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

class SmallDotCommandTest : public ShellTest {};

TEST_F(SmallDotCommandTest, TablesListsViewsAndSchemaRecreatesTablesAndViews) {
  RunOutput setup = Run(
      {"x.db", "--bail", "-c",
       "CREATE TABLE s (tag VARCHAR, ts TIMESTAMP, value DOUBLE) PARTITION BY day(ts) "
       "WITH (retention = '90 days', duplicate_policy = 'keep_last')",
       "-c", "CREATE TABLE plain (v BIGINT)", "-c",
       "CREATE VIEW recent AS SELECT tag, value FROM s WHERE value > 1"});
  ASSERT_EQ(setup.exit_code, 0) << setup.err;

  RunOutput t = Run({"x.db", "-c", ".tables"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("recent"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("plain"), std::string::npos) << t.out;

  RunOutput s = Run({"x.db", "-c", ".schema"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const std::string table_sql =
      "CREATE TABLE s(tag VARCHAR, ts TIMESTAMP, value DOUBLE) PARTITION BY day(ts) "
      "WITH (duplicate_policy = 'keep_last', retention = '90 days');\n";
  const std::string view_sql = "CREATE VIEW recent AS SELECT tag, value FROM s WHERE value > 1;\n";
  // Tables first, then the views (which may read any table).
  EXPECT_EQ(s.out, "CREATE TABLE plain(v BIGINT);\n" + table_sql + view_sql);
  EXPECT_EQ(Run({"x.db", "-c", ".schema recent"}).out, view_sql);

  // The printed statements recreate the same schema in a fresh database.
  RunOutput again = Run({"y.db", "--bail"}, s.out);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Run({"y.db", "-c", ".schema"}).out, s.out);
}

TEST_F(SmallDotCommandTest, DumpRebuildsTablesRowsAndViews) {
  RunOutput setup = Run(
      {"x.db", "--bail", "-c",
       "CREATE TABLE d (ts TIMESTAMP, tag VARCHAR, \"my value\" DOUBLE, ok BOOLEAN) "
       "PARTITION BY day(ts)",
       "-c",
       "INSERT INTO d VALUES ('2024-01-01 00:00:00.5', 'it''s', 1.25, true), "
       "('2024-01-02 00:00:00', NULL, 'inf', NULL)",
       "-c", "CREATE VIEW v AS SELECT tag FROM d"});
  ASSERT_EQ(setup.exit_code, 0) << setup.err;
  RunOutput dump = Run({"x.db", "-c", ".dump"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_EQ(dump.out,
            "CREATE TABLE d(ts TIMESTAMP, tag VARCHAR, \"my value\" DOUBLE, ok BOOLEAN) "
            "PARTITION BY day(ts);\n"
            "INSERT INTO d VALUES('2024-01-01 00:00:00.5','it''s',1.25,true);\n"
            "INSERT INTO d VALUES('2024-01-02 00:00:00',NULL,'inf',NULL);\n"
            "CREATE VIEW v AS SELECT tag FROM d;\n");
  // Read back into a fresh database, it dumps the same.
  RunOutput load = Run({"y.db", "--bail"}, dump.out);
  ASSERT_EQ(load.exit_code, 0) << load.err;
  EXPECT_EQ(Run({"y.db", "-c", ".dump"}).out, dump.out);
}

TEST_F(SmallDotCommandTest, BareModePrintsTheCurrentMode) {
  RunOutput r = Run({"-c", ".mode", "-c", ".mode csv", "-c", ".mode"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "current output mode: box\ncurrent output mode: csv\n");
}

TEST_F(SmallDotCommandTest, ListColumnAndHtmlModesAndSeparator) {
  const std::string query = "SELECT 1 AS n, 'a<b' AS s, NULL AS z UNION ALL SELECT 22, 'c', 3 ORDER BY n";
  RunOutput list = Run({"-c", ".mode list", "-c", query, "-c", ".separator ;", "-c", query,
                        "-c", ".separator \\t", "-c", "SELECT 1 AS a, 2 AS b"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "n|s|z\n1|a<b|\n22|c|3\nn;s;z\n1;a<b;\n22;c;3\na\tb\n1\t2\n");

  RunOutput column = Run({"--mode", "column", "-c", query});
  ASSERT_EQ(column.exit_code, 0) << column.err;
  EXPECT_EQ(column.out, " n  s    z\n--  ---  -\n 1  a<b   \n22  c    3\n");

  RunOutput html = Run({"-c", ".mode html", "-c", "SELECT 'a<b' AS \"x&y\""});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_EQ(html.out, "<TR><TH>x&amp;y</TH>\n</TR>\n<TR><TD>a&lt;b</TD>\n</TR>\n");
}

TEST_F(SmallDotCommandTest, ChangesPrintsRowsChangedPerStatement) {
  RunOutput r = Run({"--mode", "csv", "--no-header"},
                    "CREATE TABLE q (v BIGINT);\n"
                    ".changes on\n"
                    "INSERT INTO q VALUES (1), (2);\n"
                    "SELECT count(*) FROM q;\n"
                    "DELETE FROM q WHERE v = 1;\n"
                    ".changes off\n"
                    "INSERT INTO q VALUES (5);\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "2\nchanges: 2   total_changes: 2\n2\n1\nchanges: 1   total_changes: 3\n1\n");
}

TEST_F(SmallDotCommandTest, ImportCreatesAMissingTableFromTheCsv) {
  ASSERT_EQ(Run({"generate", "--tags", "2", "--points", "3", "--out", "gen.csv"}).exit_code, 0);
  std::ofstream(dir_ / "two.tsv") << "name\tn\nx\t1\ny\t2\n";
  RunOutput r = Run({"x.db", "--bail", "-c", ".import gen.csv gen", "-c", ".import two.tsv two",
                     "-c", ".import gen.csv gen"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Run({"x.db", "-c", ".schema"}).out,
            "CREATE TABLE gen(ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality BIGINT);\n"
            "CREATE TABLE two(name VARCHAR, n BIGINT);\n");
  RunOutput counts = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                          "SELECT (SELECT count(*) FROM gen), (SELECT sum(n) FROM two)"});
  EXPECT_EQ(counts.out, "12,3\n");  // created with 6 rows, then 6 appended
  // Created in one version (CREATE TABLE AS), the append is the second.
  RunOutput history = Run({"x.db", "--mode", "csv", "--no-header", "-c", ".history gen"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  size_t versions = 0;
  for (char c : history.out) versions += c == '\n';
  EXPECT_EQ(versions, 2u) << history.out;
  EXPECT_NE(history.out.find("CREATE TABLE AS SELECT"), std::string::npos) << history.out;
}

TEST_F(SmallDotCommandTest, PrintCdAndShell) {
  std::filesystem::create_directories(dir_ / "sub");
  std::ofstream(dir_ / "sub" / "inner.sql") << "SELECT 42 AS v;\n";
  RunOutput r = Run({"--mode", "csv", "--no-header"},
                    ".print hello   'two words'\n"
                    ".cd sub\n"
                    ".read inner.sql\n"
                    ".shell echo from-shell; ls\n"
                    ".system exit 3\n"
                    ".print after\n");
  EXPECT_EQ(r.out, "hello two words\n42\nfrom-shell\ninner.sql\nafter\n");
  EXPECT_NE(r.err.find("status 3"), std::string::npos) << r.err;
  RunOutput bad = Run({"-c", ".cd nosuchdir"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("nosuchdir"), std::string::npos) << bad.err;
}

TEST_F(SmallDotCommandTest, ScriptErrorsNameTheLineAndFile) {
  std::ofstream(dir_ / "script.sql") << "CREATE TABLE t (v BIGINT);\n"
                                        "\n"
                                        "-- a comment\n"
                                        "INSERT INTO t\n"
                                        "  VALUES (1);\n"
                                        "SELECT nosuch\n"
                                        "  FROM t;\n";
  RunOutput r = Run({"-c", ".read script.sql"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Error near line 6 of script.sql: Binder Error: Referenced column \"nosuch\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("line 4"), std::string::npos) << r.err;
}

TEST_F(SmallDotCommandTest, GenerateWritesToStandardOutputWithOutDash) {
  RunOutput r = Run({"generate", "--tags", "2", "--points", "3", "--out", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 21), "ts,tag,value,quality\n") << r.out;
  size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 7u) << r.out;  // the header and 2 x 3 points, no summary
  EXPECT_NE(r.err.find("Wrote 6 points"), std::string::npos) << r.err;
  RunOutput help = Run({"generate", "--help"});
  EXPECT_NE(help.out.find("Usage: tslake generate [--format csv|wide|"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace tslake::testing
