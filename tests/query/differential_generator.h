// Query generator of the differential test (differential_sqlite_test.cc):
// deterministic random data with NULLs and >= 200 queries, each written
// twice - in tslake's (DuckDB) dialect and in SQLite's. Timestamps are
// TIMESTAMP in tslake and INTEGER epoch seconds in SQLite, so time buckets
// are integer arithmetic there (ts - ts % width) and RANGE frames over
// time use seconds; DISTINCT ON is a row_number() rewrite in SQLite.
// Every ORDER BY that decides a compared order is total (ts is unique).
// Thread-safety: a generator is used by one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tsl::query::difftest {

struct DiffQuery {
  std::string family;  // "filter", "aggregate", ...
  std::string tslake;
  std::string sqlite;
  bool ordered = false;  // compare in order (else as multisets)
};

// A small deterministic PRNG (same stream on every platform).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed ? seed : 1) {}
  uint64_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_;
  }
  int Uniform(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Next() % v.size()]; }

 private:
  uint64_t s_;
};

constexpr int64_t kBaseEpoch = 1704067200;  // 2024-01-01 00:00:00 UTC

inline std::string TsLiteral(int64_t epoch) {
  int64_t s = epoch - kBaseEpoch;
  int day = static_cast<int>(s / 86400) + 1;
  int h = static_cast<int>(s % 86400 / 3600), m = static_cast<int>(s % 3600 / 60), sec = static_cast<int>(s % 60);
  char buf[64];
  std::snprintf(buf, sizeof buf, "'2024-01-%02d %02d:%02d:%02d'", day, h, m, sec);
  return buf;
}

struct Dataset {
  // INSERT statements for both engines, and the table DDL.
  std::vector<std::string> tslake_setup, sqlite_setup;
  std::vector<std::string> tags;
  int64_t first_ts = 0, last_ts = 0;
};

// m(tag, ts, v, q): `rows` readings over ~`rows` minutes, ts unique and
// never NULL; tag, v and q NULL about 8% of the time. e(tag, area, hi):
// equipment, one tag twice, one NULL tag, one tag without readings.
inline Dataset MakeDataset(Rng& rng, int rows) {
  Dataset d;
  d.tags = {"TT-1", "TT-2", "PT-1", "FT-9", "LT-3"};
  d.tslake_setup.push_back("CREATE TABLE m (tag VARCHAR, ts TIMESTAMP, v DOUBLE, q INTEGER)");
  d.sqlite_setup.push_back("CREATE TABLE m (tag TEXT, ts INTEGER, v REAL, q INTEGER)");
  d.tslake_setup.push_back("CREATE TABLE e (tag VARCHAR, area VARCHAR, hi DOUBLE)");
  d.sqlite_setup.push_back("CREATE TABLE e (tag TEXT, area TEXT, hi REAL)");
  std::string tv, sv;
  d.first_ts = kBaseEpoch;
  for (int i = 0; i < rows; ++i) {
    const int64_t ts = kBaseEpoch + i * 60 + rng.Uniform(0, 59);
    d.last_ts = ts;
    std::string tag = rng.Chance(8) ? "NULL" : "'" + rng.Pick(d.tags) + "'";
    std::string v = rng.Chance(8) ? "NULL" : std::to_string(rng.Uniform(-5000, 25000) / 100.0);
    std::string q = rng.Chance(8) ? "NULL" : std::to_string(rng.Uniform(-3, 40));
    // std::to_string(double) prints 6 decimals: exact for these 2-decimal values.
    const std::string sep = tv.empty() ? "" : ", ";
    tv += sep + "(" + tag + ", " + TsLiteral(ts) + ", " + v + ", " + q + ")";
    sv += sep + "(" + tag + ", " + std::to_string(ts) + ", " + v + ", " + q + ")";
    if ((i + 1) % 100 == 0 || i + 1 == rows) {
      d.tslake_setup.push_back("INSERT INTO m VALUES " + tv);
      d.sqlite_setup.push_back("INSERT INTO m VALUES " + sv);
      tv.clear();
      sv.clear();
    }
  }
  const std::string equipment =
      "INSERT INTO e VALUES ('TT-1', 'north', 150.0), ('TT-2', 'north', 90.5), "
      "('PT-1', 'south', 10.0), ('PT-1', 'east', 200.0), ('XX-0', 'west', 1.0), "
      "(NULL, 'none', 0.0), ('FT-9', NULL, NULL)";
  d.tslake_setup.push_back(equipment);
  d.sqlite_setup.push_back(equipment);
  return d;
}

// A random predicate over m, in both dialects.
struct Pred {
  std::string t, s;
};

inline Pred RandomAtom(Rng& rng, const Dataset& d) {
  switch (rng.Uniform(0, 8)) {
    case 0: {
      std::string c = std::to_string(rng.Uniform(-50, 250));
      std::string op = rng.Pick(std::vector<std::string>{"<", "<=", ">", ">=", "=", "<>"});
      return {"v " + op + " " + c, "v " + op + " " + c};
    }
    case 1: {
      int a = rng.Uniform(-50, 150), b = a + rng.Uniform(0, 120);
      std::string p = "v BETWEEN " + std::to_string(a) + " AND " + std::to_string(b);
      return {p, p};
    }
    case 2: {
      std::string p = "q " + rng.Pick(std::vector<std::string>{"=", "<", ">="}) + " " +
                      std::to_string(rng.Uniform(-3, 40));
      return {p, p};
    }
    case 3: {
      std::string p = "tag = '" + rng.Pick(d.tags) + "'";
      return {p, p};
    }
    case 4: {
      std::string p = "tag " + std::string(rng.Chance(50) ? "NOT " : "") + "IN ('" +
                      rng.Pick(d.tags) + "', '" + rng.Pick(d.tags) + "')";
      return {p, p};
    }
    case 5: {
      std::string col = rng.Pick(std::vector<std::string>{"v", "q", "tag"});
      std::string p = col + (rng.Chance(50) ? " IS NULL" : " IS NOT NULL");
      return {p, p};
    }
    case 6: {
      int64_t t = d.first_ts + rng.Uniform(0, static_cast<int>(d.last_ts - d.first_ts));
      std::string op = rng.Pick(std::vector<std::string>{"<", ">="});
      return {"ts " + op + " TIMESTAMP " + TsLiteral(t), "ts " + op + " " + std::to_string(t)};
    }
    case 7: {
      std::string p = "tag LIKE '" + std::string(rng.Chance(50) ? "TT" : "P") + "%'";
      return {p, p};
    }
    default: {
      std::string p = "q % 3 = " + std::to_string(rng.Uniform(0, 2));
      return {p, p};
    }
  }
}

inline Pred RandomPredicate(Rng& rng, const Dataset& d, int depth = 0) {
  if (depth >= 2 || rng.Chance(40)) return RandomAtom(rng, d);
  Pred a = RandomPredicate(rng, d, depth + 1), b = RandomPredicate(rng, d, depth + 1);
  switch (rng.Uniform(0, 2)) {
    case 0:
      return {"(" + a.t + " AND " + b.t + ")", "(" + a.s + " AND " + b.s + ")"};
    case 1:
      return {"(" + a.t + " OR " + b.t + ")", "(" + a.s + " OR " + b.s + ")"};
    default:
      return {"(NOT " + a.t + ")", "(NOT " + a.s + ")"};
  }
}

inline std::vector<DiffQuery> GenerateQueries(Rng& rng, const Dataset& d) {
  std::vector<DiffQuery> out;
  auto add = [&](const char* family, std::string t, std::string s, bool ordered = false) {
    out.push_back({family, std::move(t), std::move(s), ordered});
  };
  // Filters with three-valued logic.
  for (int i = 0; i < 40; ++i) {
    Pred p = RandomPredicate(rng, d);
    add("filter", "SELECT tag, ts, v, q FROM m WHERE " + p.t,
        "SELECT tag, ts, v, q FROM m WHERE " + p.s);
  }
  // Expressions: CASE, COALESCE, arithmetic.
  for (int i = 0; i < 10; ++i) {
    std::string c = std::to_string(rng.Uniform(0, 150));
    std::string k = std::to_string(rng.Uniform(1, 9));
    std::string e = "CASE WHEN v > " + c + " THEN 'hi' WHEN v IS NULL THEN 'none' ELSE 'lo' END, "
                    "coalesce(q, -1) * " + k + ", v + q, abs(v - " + c + "), q % " + k;
    add("expression", "SELECT tag, " + e + " FROM m", "SELECT tag, " + e + " FROM m");
  }
  // Aggregates, grouped and not, with HAVING.
  const std::vector<std::string> aggs = {"count(*)", "count(v)", "sum(q)", "min(v)", "max(v)",
                                         "avg(v)",   "sum(v)",   "count(DISTINCT q)", "max(tag)",
                                         "min(q)"};
  for (int i = 0; i < 30; ++i) {
    std::string list = rng.Pick(aggs) + ", " + rng.Pick(aggs) + ", " + rng.Pick(aggs);
    Pred p = RandomPredicate(rng, d);
    const int shape = i % 3;
    if (shape == 0) {
      add("aggregate", "SELECT " + list + " FROM m WHERE " + p.t,
          "SELECT " + list + " FROM m WHERE " + p.s);
    } else if (shape == 1) {
      add("aggregate", "SELECT tag, " + list + " FROM m WHERE " + p.t + " GROUP BY tag",
          "SELECT tag, " + list + " FROM m WHERE " + p.s + " GROUP BY tag");
    } else {
      std::string h = " HAVING count(*) > " + std::to_string(rng.Uniform(1, 40));
      add("aggregate", "SELECT tag, q % 2 AS odd, " + list + " FROM m GROUP BY tag, q % 2" + h,
          "SELECT tag, q % 2 AS odd, " + list + " FROM m GROUP BY tag, q % 2" + h);
    }
  }
  // GROUP BY time buckets.
  const std::vector<int> minutes = {5, 15, 30, 60, 120, 1440};
  for (int i = 0; i < 25; ++i) {
    const int w = rng.Pick(minutes);
    const std::string ws = std::to_string(w * 60);
    std::string list = rng.Pick(aggs) + ", " + rng.Pick(aggs);
    Pred p = RandomPredicate(rng, d);
    const bool by_tag = rng.Chance(50);
    std::string tb = "time_bucket(INTERVAL '" + std::to_string(w) + " minutes', ts)";
    std::string sb = "(ts - ts % " + ws + ")";
    add("time_bucket",
        "SELECT " + tb + " AS b" + (by_tag ? ", tag" : "") + ", " + list + " FROM m WHERE " + p.t +
            " GROUP BY b" + (by_tag ? ", tag" : ""),
        "SELECT " + sb + " AS b" + (by_tag ? ", tag" : "") + ", " + list + " FROM m WHERE " + p.s +
            " GROUP BY b" + (by_tag ? ", tag" : ""));
  }
  // Windows with ROWS frames.
  const std::vector<std::string> wfuncs = {"sum(v)", "avg(v)", "min(v)", "max(v)", "count(v)",
                                           "count(*)", "sum(q)"};
  for (int i = 0; i < 25; ++i) {
    std::string f = rng.Pick(wfuncs);
    int pre = rng.Uniform(0, 6), fol = rng.Uniform(0, 3);
    std::string frame;
    switch (rng.Uniform(0, 3)) {
      case 0:
        frame = "ROWS BETWEEN " + std::to_string(pre) + " PRECEDING AND CURRENT ROW";
        break;
      case 1:
        frame = "ROWS BETWEEN " + std::to_string(pre) + " PRECEDING AND " + std::to_string(fol) +
                " FOLLOWING";
        break;
      case 2:
        frame = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
        break;
      default:
        frame = "ROWS BETWEEN CURRENT ROW AND " + std::to_string(fol) + " FOLLOWING";
        break;
    }
    const bool part = rng.Chance(70);
    std::string over = std::string("OVER (") + (part ? "PARTITION BY tag " : "") + "ORDER BY ts " + frame + ")";
    add("window_rows", "SELECT tag, ts, v, " + f + " " + over + " FROM m",
        "SELECT tag, ts, v, " + f + " " + over + " FROM m");
  }
  // Ranking and offsets.
  const std::vector<std::string> ranking = {"row_number()", "rank()", "dense_rank()", "lag(v)",
                                            "lead(v)", "lag(v, 2)", "lead(q, 3)"};
  for (int i = 0; i < 12; ++i) {
    std::string f = rng.Pick(ranking);
    std::string order = f.find("rank") != std::string::npos ? "q" : "ts";
    std::string over = "OVER (PARTITION BY tag ORDER BY " + order + ")";
    // rank() over q: NULLs last in both engines.
    std::string tover = over, sover = order == "q"
                                         ? "OVER (PARTITION BY tag ORDER BY q NULLS LAST)"
                                         : over;
    add("window_rank", "SELECT tag, ts, q, " + f + " " + tover + " FROM m",
        "SELECT tag, ts, q, " + f + " " + sover + " FROM m");
  }
  // Windows with RANGE frames over time (seconds in SQLite).
  for (int i = 0; i < 20; ++i) {
    std::string f = rng.Pick(wfuncs);
    const int pre = rng.Pick(std::vector<int>{5, 10, 30, 60, 180});
    const int fol = rng.Pick(std::vector<int>{0, 5, 30});
    std::string t_frame = "RANGE BETWEEN INTERVAL '" + std::to_string(pre) + " minutes' PRECEDING AND ";
    std::string s_frame = "RANGE BETWEEN " + std::to_string(pre * 60) + " PRECEDING AND ";
    if (fol == 0) {
      t_frame += "CURRENT ROW";
      s_frame += "CURRENT ROW";
    } else {
      t_frame += "INTERVAL '" + std::to_string(fol) + " minutes' FOLLOWING";
      s_frame += std::to_string(fol * 60) + " FOLLOWING";
    }
    const bool part = rng.Chance(70);
    std::string p = part ? "PARTITION BY tag " : "";
    add("window_range", "SELECT tag, ts, " + f + " OVER (" + p + "ORDER BY ts " + t_frame + ") FROM m",
        "SELECT tag, ts, " + f + " OVER (" + p + "ORDER BY ts " + s_frame + ") FROM m");
  }
  // Joins.
  const std::vector<std::string> joins = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"};
  for (int i = 0; i < 20; ++i) {
    std::string j = rng.Pick(joins);
    std::string extra = rng.Chance(40) ? " AND m.v < e.hi" : "";
    Pred p = RandomPredicate(rng, d);
    if (i % 2 == 0) {
      add("join", "SELECT m.tag, m.ts, m.v, e.area, e.hi FROM m " + j + " e ON m.tag = e.tag" + extra,
          "SELECT m.tag, m.ts, m.v, e.area, e.hi FROM m " + j + " e ON m.tag = e.tag" + extra);
    } else {
      add("join",
          "SELECT e.area, count(*), avg(m.v) FROM m " + j + " e ON m.tag = e.tag" + extra +
              " GROUP BY e.area",
          "SELECT e.area, count(*), avg(m.v) FROM m " + j + " e ON m.tag = e.tag" + extra +
              " GROUP BY e.area");
    }
  }
  // DISTINCT ON: a row_number() rewrite in SQLite.
  for (int i = 0; i < 12; ++i) {
    const bool desc = rng.Chance(50);
    const std::string key = rng.Pick(std::vector<std::string>{"tag", "q % 4"});
    Pred p = RandomPredicate(rng, d);
    std::string dir = desc ? " DESC" : "";
    add("distinct_on",
        "SELECT DISTINCT ON (" + key + ") " + key + " AS k, ts, v FROM m WHERE " + p.t +
            " ORDER BY " + key + ", ts" + dir,
        "SELECT k, ts, v FROM (SELECT " + key + " AS k, ts, v, row_number() OVER (PARTITION BY " +
            key + " ORDER BY ts" + dir + ") AS rn FROM m WHERE " + p.s + ") WHERE rn = 1");
  }
  // Subqueries: scalar, IN, NOT IN (NULLs), EXISTS, FROM.
  for (int i = 0; i < 20; ++i) {
    Pred p = RandomPredicate(rng, d);
    switch (i % 5) {
      case 0:
        add("subquery", "SELECT tag, ts, v FROM m WHERE v > (SELECT avg(v) FROM m WHERE " + p.t + ")",
            "SELECT tag, ts, v FROM m WHERE v > (SELECT avg(v) FROM m WHERE " + p.s + ")");
        break;
      case 1: {
        std::string area = rng.Pick(std::vector<std::string>{"north", "south", "east", "west"});
        add("subquery",
            "SELECT tag, ts FROM m WHERE tag IN (SELECT tag FROM e WHERE area = '" + area + "')",
            "SELECT tag, ts FROM m WHERE tag IN (SELECT tag FROM e WHERE area = '" + area + "')");
        break;
      }
      case 2: {
        std::string cond = rng.Chance(50) ? "area IS NOT NULL" : "hi > 5";
        add("subquery", "SELECT tag, ts FROM m WHERE tag NOT IN (SELECT tag FROM e WHERE " + cond + ")",
            "SELECT tag, ts FROM m WHERE tag NOT IN (SELECT tag FROM e WHERE " + cond + ")");
        break;
      }
      case 3:
        add("subquery",
            "SELECT count(*) FROM m WHERE EXISTS (SELECT 1 FROM m WHERE " + p.t + ") AND v > 0",
            "SELECT count(*) FROM m WHERE EXISTS (SELECT 1 FROM m WHERE " + p.s + ") AND v > 0");
        break;
      default:
        add("subquery",
            "SELECT s.tag, s.n FROM (SELECT tag, count(*) AS n FROM m WHERE " + p.t +
                " GROUP BY tag) s WHERE s.n > 10",
            "SELECT s.tag, s.n FROM (SELECT tag, count(*) AS n FROM m WHERE " + p.s +
                " GROUP BY tag) s WHERE s.n > 10");
        break;
    }
  }
  // Set operations.
  const std::vector<std::string> setops = {"UNION", "UNION ALL", "INTERSECT", "EXCEPT"};
  for (int i = 0; i < 12; ++i) {
    Pred a = RandomPredicate(rng, d), b = RandomPredicate(rng, d);
    std::string op = rng.Pick(setops);
    add("setop", "SELECT tag, q FROM m WHERE " + a.t + " " + op + " SELECT tag, q FROM m WHERE " + b.t,
        "SELECT tag, q FROM m WHERE " + a.s + " " + op + " SELECT tag, q FROM m WHERE " + b.s);
  }
  // ORDER BY ... LIMIT, compared in order (ts is unique).
  for (int i = 0; i < 12; ++i) {
    Pred p = RandomPredicate(rng, d);
    const bool desc = rng.Chance(50);
    std::string lim = " LIMIT " + std::to_string(rng.Uniform(1, 30)) + " OFFSET " +
                      std::to_string(rng.Uniform(0, 10));
    add("order_limit",
        "SELECT tag, ts, v FROM m WHERE " + p.t + " ORDER BY ts" + (desc ? " DESC" : "") + lim,
        "SELECT tag, ts, v FROM m WHERE " + p.s + " ORDER BY ts" + (desc ? " DESC" : "") + lim, true);
  }
  // ORDER BY a column with NULLs (DuckDB's default: NULLS LAST).
  for (int i = 0; i < 6; ++i) {
    const bool desc = rng.Chance(50);
    std::string dir = desc ? " DESC" : " ASC";
    add("order_nulls", "SELECT v, ts FROM m ORDER BY v" + dir + ", ts LIMIT 40",
        "SELECT v, ts FROM m ORDER BY v" + dir + " NULLS LAST, ts LIMIT 40", true);
  }
  // Correlated subqueries (scalar, EXISTS, IN / NOT IN with NULLs) and
  // IN (SELECT ...) over values with NULLs. Last, so the families above
  // keep their random stream.
  for (int i = 0; i < 24; ++i) {
    Pred p = RandomPredicate(rng, d);  // unqualified: the inner m2
    const std::string agg = rng.Pick(std::vector<std::string>{"max(v)", "min(v)", "sum(q)",
                                                              "count(*)", "count(v)"});
    const std::string neg = rng.Chance(50) ? "NOT " : "";
    std::string t, s;
    switch (i % 6) {
      case 0:
        t = s = "SELECT tag, q, (SELECT " + agg + " FROM m m2 WHERE m2.tag = m1.tag AND ";
        t += p.t + ") FROM m m1";
        s += p.s + ") FROM m m1";
        break;
      case 1:
        t = s = "SELECT tag, ts FROM m m1 WHERE v > (SELECT avg(v) FROM m m2 WHERE m2.q = m1.q AND ";
        t += p.t + ")";
        s += p.s + ")";
        break;
      case 2:
        t = s = "SELECT tag, ts FROM m m1 WHERE " + neg +
                "EXISTS (SELECT 1 FROM e WHERE e.tag = m1.tag AND e.hi > m1.q)";
        break;
      case 3:
        t = s = "SELECT tag, ts, v " + neg +
                "IN (SELECT v FROM m m2 WHERE m2.tag = m1.tag AND m2.q <> m1.q) FROM m m1";
        break;
      case 4:
        t = s = "SELECT tag, ts FROM m m1 WHERE q " + neg +
                "IN (SELECT q + 1 FROM m m2 WHERE m2.tag = m1.tag AND ";
        t += p.t + ")";
        s += p.s + ")";
        break;
      default:
        t = "SELECT tag, ts, v " + neg + "IN (SELECT v FROM m WHERE " + p.t + ") FROM m";
        s = "SELECT tag, ts, v " + neg + "IN (SELECT v FROM m WHERE " + p.s + ") FROM m";
        break;
    }
    add("correlated", t, s);
  }
  return out;
}

}  // namespace tsl::query::difftest
