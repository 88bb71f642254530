// q1..q6 of the SQL issue in each system's dialect, written to
// OUTDIR/<system>/<q>.sql (InfluxQL in .influxql). A query a dialect cannot
// express is written as a .unsupported file holding the reason, so the
// report says "unsupported" instead of a number.
//
//   node queries.mjs OUTDIR FIRST_TS LAST_TS TAG_A TAG_B
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

const [outDir, first, last, tagA, tagB] = process.argv.slice(2);
const t0 = tsMicros(first);
const tEnd = tsMicros(last) + 1e6;
const d1 = t0 + 86400e6;
const iso = (us) => new Date(us / 1000).toISOString().replace('T', ' ').replace('.000Z', '');
const ns = (us) => `${BigInt(us) * 1000n}`;

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
};

const influx = {
  q1: `SELECT mean(value), min(value), max(value) FROM points WHERE time >= ${ns(t0)} AND time < ${ns(tEnd)} GROUP BY time(1h), \"tag\" fill(none)`,
  q2: `SELECT mean(value), min(value), max(value) FROM points WHERE time >= ${ns(t0)} AND time < ${ns(d1)} GROUP BY time(1h), \"tag\" fill(none)`,
  q3: null,
  q4: `SELECT last(value) FROM points GROUP BY \"tag\"`,
  q5: null,
  q6: null,
};
const influxWhyNot = {
  q3: 'InfluxQL has no time-RANGE window: moving_average() counts points, and there is no rolling stddev',
  q5: 'InfluxQL has no joins (ASOF or other)',
  q6: 'InfluxQL cannot count distinct tag values per time bucket (count(distinct()) takes a field)',
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
