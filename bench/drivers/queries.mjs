// q1..q6 of the SQL issue and q7..q14 of issue 16 (general queries off the
// time-series fast paths) in each system's dialect, written to
// OUTDIR/<system>/<q>.sql (InfluxQL in .influxql). A query a dialect cannot
// express is written as a .unsupported file holding the reason, so the
// report says "unsupported" instead of a number.
//
//   node queries.mjs OUTDIR FIRST_TS LAST_TS TAG_A TAG_B TAGS_FILE
//
// TAGS_FILE: every tag name of the data, one a line; q10's 20-row equipment
// master is drawn from it (spread over the list, so every data size has one).
//
// The data: points(ts, tag, value, quality) from FIRST_TS to LAST_TS
// (inclusive, 'YYYY-MM-DD HH:MM:SS' UTC). "One day" is [FIRST_TS,
// FIRST_TS + 1 day). tslake gets DuckDB's text (its dialect is DuckDB's);
// SQLite stores ts as INTEGER microseconds since the epoch. Every query's
// result is small (large outputs are aggregated) so that results can be
// compared across systems without measuring the printing of millions of rows.
import fs from 'node:fs';
import path from 'node:path';
import { tsMicros } from './common.mjs';

const [outDir, first, last, tagA, tagB, tagsFile] = process.argv.slice(2);
const allTags = fs.readFileSync(tagsFile, 'utf8').split('\n').filter((t) => t.length);
if (!allTags.length) throw new Error(`${tagsFile}: no tag names`);
// q10's dimension: up to 20 distinct tags spread over the data's, each with
// an area (north/south/east/west in turn) and a unit number.
const masterTags = [...new Set(Array.from({ length: Math.min(20, allTags.length) },
                                          (_, i) => allTags[Math.floor((i * allTags.length) / Math.min(20, allTags.length))]))];
const AREAS = ['north', 'south', 'east', 'west'];
const masterRows = masterTags.map((t, i) => `('${t.replace(/'/g, "''")}', '${AREAS[i % 4]}', ${i})`).join(', ');
const t0 = tsMicros(first);
const tEnd = tsMicros(last) + 1e6;
const d1 = t0 + 86400e6;
const iso = (us) => new Date(us / 1000).toISOString().replace('T', ' ').replace('.000Z', '');
const ns = (us) => `${BigInt(us) * 1000n}`;
// q10's time filter: the second hour of the data.
const h1 = t0 + 3600e6, h2 = t0 + 7200e6;

const duck = {
  q1: `SELECT tag, time_bucket(INTERVAL '1 hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, max(value) AS max_v
FROM points GROUP BY tag, hour ORDER BY tag, hour`,
  q2: `SELECT tag, time_bucket(INTERVAL '1 hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, max(value) AS max_v
FROM points WHERE ts >= TIMESTAMP '${iso(t0)}' AND ts < TIMESTAMP '${iso(d1)}'
GROUP BY tag, hour ORDER BY tag, hour`,
  q3: `SELECT tag, count(*) AS n, sum(ra) AS sum_avg, sum(rs) AS sum_std FROM (
  SELECT tag,
    avg(value) OVER (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) AS ra,
    stddev_samp(value) OVER (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) AS rs
  FROM points WHERE ts >= TIMESTAMP '${iso(t0)}' AND ts < TIMESTAMP '${iso(d1)}'
) GROUP BY tag ORDER BY tag`,
  q4: `SELECT tag, max(ts) AS last_ts, arg_max(value, ts) AS last_value FROM points GROUP BY tag ORDER BY tag`,
  q5: `SELECT count(b.value) AS n, sum(a.value) AS sum_a, sum(b.value) AS sum_b FROM
  (SELECT ts, value FROM points WHERE tag = '${tagA}' AND ts >= TIMESTAMP '${iso(t0)}' AND ts < TIMESTAMP '${iso(d1)}') a
  ASOF JOIN
  (SELECT ts, value FROM points WHERE tag = '${tagB}' AND ts >= TIMESTAMP '${iso(t0)}' AND ts < TIMESTAMP '${iso(d1)}') b
  ON a.ts >= b.ts`,
  q6: `SELECT time_bucket(INTERVAL '1 day', ts) AS day, count(DISTINCT tag) AS tags FROM points GROUP BY day ORDER BY day`,
  // Issue 16's six general queries. Duplicate check (no duplicates in the
  // generated data: the result is empty, the work is a 1-row-per-group
  // GROUP BY over every row).
  q7: `SELECT tag, ts, count(*) FROM points GROUP BY ALL HAVING count(*) > 1`,
  q8: `SELECT count(*) FROM (SELECT DISTINCT tag, ts FROM points)`,
  q9: `SELECT tag, count(DISTINCT value) AS n FROM points GROUP BY tag ORDER BY tag`,
  // A small equipment master (a CTE over VALUES), filtered on the master and
  // on ts, joined and grouped.
  q10: `WITH m(tag, area, unit) AS (VALUES ${masterRows})
SELECT m.area, count(*) AS n, sum(p.value) AS sum_v FROM points p JOIN m ON p.tag = m.tag
WHERE m.area IN ('north', 'east') AND p.ts >= TIMESTAMP '${iso(h1)}' AND p.ts < TIMESTAMP '${iso(h2)}'
GROUP BY m.area ORDER BY m.area`,
  // Top 10 by value; ts and tag break ties so that every system must return
  // the same rows.
  q11: `SELECT * FROM points ORDER BY value DESC, ts, tag LIMIT 10`,
  q12: `SELECT tag, max(d) AS max_d FROM (
  SELECT tag, value - lag(value) OVER (PARTITION BY tag ORDER BY ts) AS d FROM points
) GROUP BY tag ORDER BY tag`,
  // ASOF JOIN of two full tables: every point with its tag's previous point.
  // (sum(b.value), not a sum of differences: that telescopes to a small
  // number whose rounding would differ between systems beyond 1e-6.)
  q13: `SELECT count(*) AS n, sum(b.value) AS sum_b FROM points a
  ASOF JOIN points b ON a.tag = b.tag AND a.ts > b.ts`,
  // An equi-join of two large inputs on (tag, ts): every row built, every row probed.
  q14: `SELECT count(*) AS n, sum(a.value * b.quality) AS s FROM points a JOIN points b ON a.tag = b.tag AND a.ts = b.ts`,
};

const H = 3600000000, D = 86400000000;
const win = `(PARTITION BY tag ORDER BY ts RANGE BETWEEN ${H} PRECEDING AND CURRENT ROW)`;
const sqlite = {
  q1: `SELECT tag, datetime((ts / ${H}) * 3600, 'unixepoch') AS hour, avg(value), min(value), max(value)
FROM points GROUP BY tag, ts / ${H} ORDER BY tag, hour`,
  q2: `SELECT tag, datetime((ts / ${H}) * 3600, 'unixepoch') AS hour, avg(value), min(value), max(value)
FROM points WHERE ts >= ${t0} AND ts < ${d1} GROUP BY tag, ts / ${H} ORDER BY tag, hour`,
  // SQLite has no stddev: the sample standard deviation from the window's
  // count, sum and sum of squares (NULL for one row, as stddev_samp).
  q3: `SELECT tag, count(*), sum(ra), sum(rs) FROM (
  SELECT tag, avg(value) OVER w AS ra,
    CASE WHEN count(value) OVER w > 1 THEN
      sqrt(max(0, (sum(value * value) OVER w - sum(value) OVER w * sum(value) OVER w / count(value) OVER w)
                  / (count(value) OVER w - 1))) END AS rs
  FROM points WHERE ts >= ${t0} AND ts < ${d1}
  WINDOW w AS ${win}
) GROUP BY tag ORDER BY tag`,
  // SQLite's bare column beside max() takes the value from the max row.
  q4: `SELECT tag, datetime(max(ts) / 1000000, 'unixepoch') AS last_ts, value FROM points GROUP BY tag ORDER BY tag`,
  // ASOF JOIN as a correlated lookup on the (tag, ts) primary key.
  q5: `SELECT count(vb), sum(va), sum(vb) FROM (
  SELECT a.value AS va, (SELECT b.value FROM points b WHERE b.tag = '${tagB}' AND b.ts <= a.ts AND b.ts >= ${t0}
                         ORDER BY b.ts DESC LIMIT 1) AS vb
  FROM points a WHERE a.tag = '${tagA}' AND a.ts >= ${t0} AND a.ts < ${d1}
) WHERE vb IS NOT NULL`,
  q6: `SELECT datetime((ts / ${D}) * 86400, 'unixepoch') AS day, count(DISTINCT tag) FROM points GROUP BY ts / ${D} ORDER BY day`,
  q7: `SELECT tag, datetime(ts / 1000000, 'unixepoch') AS t, count(*) FROM points GROUP BY tag, ts HAVING count(*) > 1`,
  q8: `SELECT count(*) FROM (SELECT DISTINCT tag, ts FROM points)`,
  q9: `SELECT tag, count(DISTINCT value) FROM points GROUP BY tag ORDER BY tag`,
  q10: `WITH m(tag, area, unit) AS (VALUES ${masterRows})
SELECT m.area, count(*), sum(p.value) FROM points p JOIN m ON p.tag = m.tag
WHERE m.area IN ('north', 'east') AND p.ts >= ${h1} AND p.ts < ${h2}
GROUP BY m.area ORDER BY m.area`,
  q11: `SELECT datetime(ts / 1000000, 'unixepoch'), tag, value, quality FROM points ORDER BY value DESC, ts, tag LIMIT 10`,
  q12: `SELECT tag, max(d) FROM (
  SELECT tag, value - lag(value) OVER (PARTITION BY tag ORDER BY ts) AS d FROM points
) GROUP BY tag ORDER BY tag`,
  // ASOF JOIN as a correlated lookup of the previous point on the (tag, ts)
  // primary key (one B-tree search per row).
  q13: `SELECT count(vb), sum(vb) FROM (
  SELECT (SELECT b.value FROM points b WHERE b.tag = a.tag AND b.ts < a.ts ORDER BY b.ts DESC LIMIT 1) AS vb
  FROM points a
) WHERE vb IS NOT NULL`,
  // The join on the primary key: SQLite's planner looks each row up in b.
  q14: `SELECT count(*), sum(a.value * b.quality) FROM points a JOIN points b ON a.tag = b.tag AND a.ts = b.ts`,
};

const influx = {
  q1: `SELECT mean(value), min(value), max(value) FROM points WHERE time >= ${ns(t0)} AND time < ${ns(tEnd)} GROUP BY time(1h), \"tag\" fill(none)`,
  q2: `SELECT mean(value), min(value), max(value) FROM points WHERE time >= ${ns(t0)} AND time < ${ns(d1)} GROUP BY time(1h), \"tag\" fill(none)`,
  q3: null,
  q4: `SELECT last(value) FROM points GROUP BY \"tag\"`,
  q5: null,
  q6: null,
  q7: null, q8: null, q9: null, q10: null, q11: null, q12: null, q13: null, q14: null,
};
const influxWhyNot = {
  q3: 'InfluxQL has no time-RANGE window: moving_average() counts points, and there is no rolling stddev',
  q5: 'InfluxQL has no joins (ASOF or other)',
  q6: 'InfluxQL cannot count distinct tag values per time bucket (count(distinct()) takes a field)',
  q7: 'InfluxQL cannot group by time and tag and filter on the count (no HAVING); a series holds one point per timestamp anyway',
  q8: 'InfluxQL has no DISTINCT over (tag, time) (distinct() takes one field)',
  q9: 'not written for InfluxQL in this bench (count(distinct(value)) GROUP BY "tag" would express it; its output has not been checked against DuckDB\'s)',
  q10: 'InfluxQL has no joins',
  q11: 'not written for InfluxQL in this bench (top(value, 10) breaks ties by time only, not by (ts, tag) as the SQL does)',
  q12: 'not written for InfluxQL in this bench (difference() per series then max() needs a subquery whose output has not been checked against DuckDB\'s)',
  q13: 'InfluxQL has no joins (ASOF or other)',
  q14: 'InfluxQL has no joins',
};

function write(system, q, text, ext) {
  const dir = path.join(outDir, system);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${q}.${ext}`), text + '\n');
}
for (const q of Object.keys(duck)) {
  write('tslake', q, duck[q], 'sql');
  write('duckdb', q, duck[q], 'sql');
  write('sqlite', q, sqlite[q], 'sql');
  if (influx[q]) write('influxdb', q, influx[q], 'influxql');
  else write('influxdb', q, influxWhyNot[q], 'unsupported');
}
