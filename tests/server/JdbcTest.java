// tslake serve with pgJDBC (Debian's libpostgresql-jdbc-java), the driver
// Ignition's tag historian writes through: TLS + SCRAM login, a
// PreparedStatement insert batch, COPY FROM STDIN through CopyManager,
// time_bucket / window / ASOF / time travel queries, text and binary
// results (prepareThreshold=1 with binaryTransfer makes the driver ask
// for binary after the first execution), SQLSTATEs for bad SQL, and
// Statement.cancel() of a long query from another thread (57014),
// DatabaseMetaData's getSchemas/getCatalogs/getTables/getColumns/
// getPrimaryKeys/getIndexInfo/getImportedKeys over the emulated pg_catalog.
//   java -cp postgresql.jar JdbcTest.java PORT PASSWORD COPY_ROWS
import java.io.StringReader;
import java.sql.*;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class JdbcTest {
  static void check(String label, Object got, Object want) {
    if (!String.valueOf(got).equals(String.valueOf(want))) {
      System.out.println("FAIL " + label + ": got " + got + ", want " + want);
      System.exit(1);
    }
  }

  static Connection connect(String port, String password, boolean binary) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "bob");
    p.setProperty("password", password);
    p.setProperty("sslmode", "require");  // TLS; the self-signed certificate is not verified
    p.setProperty("prepareThreshold", "1");
    p.setProperty("binaryTransfer", binary ? "true" : "false");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/plant", p);
  }

  static void expectState(Statement s, String sql, String state) {
    try {
      s.execute(sql);
      System.out.println("FAIL: no error for " + sql);
      System.exit(1);
    } catch (SQLException e) {
      check("SQLSTATE of " + sql, e.getSQLState(), state);
    }
  }

  // Rows of a DatabaseMetaData result as "a|b|..." over the named columns.
  static String rows(ResultSet rs, String... columns) throws SQLException {
    StringBuilder out = new StringBuilder();
    while (rs.next()) {
      if (out.length() > 0) out.append(", ");
      for (int i = 0; i < columns.length; i++) out.append(i > 0 ? "|" : "").append(rs.getString(columns[i]));
    }
    return out.toString();
  }

  // DatabaseMetaData as DBeaver's and Grafana's pickers use it: the driver
  // sends its own pg_catalog queries (pg_namespace, pg_class, pg_attribute,
  // pg_type, pg_index, `~`, ::regclass, current_schemas, ...).
  static void metadata(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.execute("CREATE TABLE dec_t (d DECIMAL(10,2), at TIMESTAMPTZ, day DATE, ok BOOLEAN, n BIGINT)");
    s.execute("CREATE VIEW r_view AS SELECT ts, v FROM r");
    DatabaseMetaData md = c.getMetaData();
    check("getSchemas", rows(md.getSchemas(), "TABLE_SCHEM"), "information_schema, pg_catalog, public");
    check("getSchemas(public)", rows(md.getSchemas(null, "pub%"), "TABLE_SCHEM"), "public");
    check("getCatalogs", rows(md.getCatalogs(), "TABLE_CAT"), "plant");
    check("getTables", rows(md.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"}),
                            "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"),
          "public|dec_t|TABLE, public|r|TABLE, public|r_view|VIEW");
    check("getTables(r%, TABLE)", rows(md.getTables(null, null, "r%", new String[] {"TABLE"}), "TABLE_NAME"), "r");
    check("getTables(null types)", rows(md.getTables(null, null, "r_view", null), "TABLE_TYPE"), "VIEW");
    check("getColumns(r)", rows(md.getColumns(null, "public", "r", "%"), "COLUMN_NAME", "DATA_TYPE",
                                "TYPE_NAME", "ORDINAL_POSITION", "NULLABLE"),
          "ts|" + Types.TIMESTAMP + "|timestamp|1|1, tag|" + Types.VARCHAR + "|text|2|1, v|" + Types.DOUBLE
              + "|float8|3|1, q|" + Types.INTEGER + "|int4|4|1");
    // An escaped pattern (getSearchStringEscape is a backslash) names the
    // table exactly; DECIMAL's precision and scale come from atttypmod.
    check("getColumns(dec\\_t)", rows(md.getColumns(null, "public", "dec\\_t", null), "COLUMN_NAME",
                                      "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS"),
          "d|" + Types.NUMERIC + "|numeric|10|2, at|" + Types.TIMESTAMP + "|timestamptz|35|6, day|" + Types.DATE
              + "|date|13|0, ok|" + Types.BIT + "|bool|1|0, n|" + Types.BIGINT + "|int8|19|0");
    check("getColumns(r, v%)", rows(md.getColumns(null, null, "r", "v%"), "COLUMN_NAME"), "v");
    // A view's columns, from the engine's DESCRIBE of it.
    check("getColumns(r_view)", rows(md.getColumns(null, "public", "r_view", "%"), "COLUMN_NAME", "DATA_TYPE",
                                     "ORDINAL_POSITION"),
          "ts|" + Types.TIMESTAMP + "|1, v|" + Types.DOUBLE + "|2");
    // tslake has no primary keys: the driver's pg_index query runs and
    // returns its columns with no rows.
    ResultSet pk = md.getPrimaryKeys(null, "public", "r");
    check("getPrimaryKeys columns", pk.getMetaData().getColumnName(4) + "," + pk.getMetaData().getColumnName(5),
          "column_name,key_seq");
    check("getPrimaryKeys", rows(pk, "COLUMN_NAME"), "");
    // No indexes or foreign keys either: the driver's queries (pg_settings,
    // pg_am, indoption/conkey subscripts, generate_series) run and return
    // their columns with no rows.
    ResultSet ix = md.getIndexInfo(null, "public", "r", false, true);
    check("getIndexInfo columns",
          (ix.getMetaData().getColumnName(6) + "," + ix.getMetaData().getColumnName(9)).toLowerCase(),
          "index_name,column_name");
    check("getIndexInfo", rows(ix, "INDEX_NAME"), "");
    ResultSet fk = md.getImportedKeys(null, "public", "r");
    check("getImportedKeys columns",
          (fk.getMetaData().getColumnName(3) + "," + fk.getMetaData().getColumnName(8)).toLowerCase(),
          "pktable_name,fkcolumn_name");
    check("getImportedKeys", rows(fk, "PKTABLE_NAME"), "");
    check("getExportedKeys", rows(md.getExportedKeys(null, "public", "r"), "FKTABLE_NAME"), "");
    check("getTables(missing)", rows(md.getTables(null, null, "nope", null), "TABLE_NAME"), "");
    s.execute("DROP VIEW r_view");
    s.execute("DROP TABLE dec_t");
  }

  public static void main(String[] args) throws Exception {
    String port = args[0], password = args[1];
    int copyRows = Integer.parseInt(args[2]);
    try (Connection c = connect(port, password, true)) {
      Statement s = c.createStatement();
      s.execute("CREATE TABLE r (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)");
      PreparedStatement ins = c.prepareStatement("INSERT INTO r VALUES (?, ?, ?, ?)");
      for (int i = 0; i < 10; i++) {
        ins.setTimestamp(1, Timestamp.valueOf("2024-01-01 00:00:0" + i));
        ins.setString(2, "t" + (i % 2));
        ins.setDouble(3, i * 0.5);
        ins.setInt(4, i);
        ins.addBatch();
      }
      int[] counts = ins.executeBatch();
      check("batch size", counts.length, 10);
      ins.setTimestamp(1, Timestamp.valueOf("2024-01-01 00:00:10.25"));
      ins.setString(2, "it's");
      ins.setNull(3, Types.DOUBLE);
      ins.setNull(4, Types.INTEGER);
      check("insert count", ins.executeUpdate(), 1);

      // COPY FROM STDIN (text format) through the driver's CopyManager.
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < copyRows; i++)
        data.append("2024-01-02 00:00:00\tc").append(i % 100).append('\t').append(i).append("\t1\n");
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      check("COPY rows", copy.copyIn("COPY r FROM STDIN", new StringReader(data.toString())), copyRows);

      // The same prepared query run three times: text first, then binary.
      PreparedStatement q = c.prepareStatement(
          "SELECT tag, count(*) AS n, sum(v) AS total, max(ts) AS last FROM r WHERE tag IN (?, ?) GROUP BY tag ORDER BY tag");
      for (int run = 0; run < 3; run++) {
        q.setString(1, "t0");
        q.setString(2, "t1");
        ResultSet rs = q.executeQuery();
        check("row 1 tag", rs.next() && rs.getString(1).equals("t0"), true);
        check("t0 count", rs.getLong(2), 5);
        check("t0 sum", rs.getDouble(3), 10.0);
        check("t0 last", rs.getTimestamp(4), Timestamp.valueOf("2024-01-01 00:00:08"));
        check("row 2", rs.next(), true);
        check("t1 sum", rs.getDouble("total"), 12.5);
        check("end", rs.next(), false);
      }

      ResultSet rs = s.executeQuery("SELECT time_bucket(INTERVAL '5 seconds', ts) AS b, count(*) FROM r "
          + "WHERE tag IN ('t0', 't1') GROUP BY b ORDER BY b");
      check("bucket 1", rs.next() && rs.getTimestamp(1).equals(Timestamp.valueOf("2024-01-01 00:00:00")), true);
      check("bucket 1 count", rs.getLong(2), 5);
      rs = s.executeQuery("SELECT q, v - lag(v) OVER (PARTITION BY tag ORDER BY ts) AS dv FROM r "
          + "WHERE tag = 't0' ORDER BY ts");
      rs.next();
      rs.getDouble(2);
      check("lag of the first row is NULL", rs.wasNull(), true);
      rs.next();
      check("lag", rs.getDouble(2), 1.0);
      rs = s.executeQuery("SELECT a.q, b.q FROM r a ASOF JOIN r b ON a.tag = b.tag AND a.ts >= b.ts "
          + "WHERE a.tag = 't1' ORDER BY a.ts LIMIT 1");
      check("asof", rs.next() && rs.getInt(1) == 1 && rs.getInt(2) == 1, true);
      rs = s.executeQuery("SELECT count(*) FROM r VERSION AS OF 0");
      rs.next();
      check("version 0", rs.getLong(1), 0);
      rs = s.executeQuery("SELECT count(*) FROM r");
      rs.next();
      check("all rows", rs.getLong(1), 11 + copyRows);
      rs = s.executeQuery("SELECT tag, v, q FROM r WHERE tag = 'it''s'");
      rs.next();
      rs.getDouble(2);
      check("NULL double", rs.wasNull(), true);

      expectState(s, "SELEC 1", "42601");
      expectState(s, "SELECT * FROM missing_table", "42P01");
      expectState(s, "SELECT nosuchcolumn FROM r", "42703");
      expectState(s, "SELECT 1 / 0::INTEGER + 'x'::INTEGER", "22P02");

      // Statement.cancel() from another thread sends a CancelRequest.
      Statement longRunning = c.createStatement();
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(500);
          longRunning.cancel();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      canceller.start();
      long start = System.nanoTime();
      try {
        longRunning.executeQuery("SELECT count(*) FROM range(100000000000) a");
        System.out.println("FAIL: the long query was not cancelled");
        System.exit(1);
      } catch (SQLException e) {
        check("cancel SQLSTATE", e.getSQLState(), "57014");
      }
      canceller.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds > 10) {
        System.out.println("FAIL: cancel took " + seconds + " s");
        System.exit(1);
      }
      rs = s.executeQuery("SELECT 1");
      check("usable after cancel", rs.next() && rs.getInt(1) == 1, true);
      metadata(c);
    }
    // A text-only connection reads the same values.
    try (Connection c = connect(port, password, false)) {
      ResultSet rs = c.createStatement().executeQuery("SELECT sum(v) FROM r WHERE tag = 't1'");
      rs.next();
      check("text sum", rs.getDouble(1), 12.5);
    }
    try {
      connect(port, "wrong", false);
      System.out.println("FAIL: a wrong password logged in");
      System.exit(1);
    } catch (SQLException e) {
      check("wrong password SQLSTATE", e.getSQLState(), "28P01");
    }
    System.out.println("jdbc: ok");
  }
}
