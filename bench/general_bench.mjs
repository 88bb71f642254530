// General (off the time-series fast paths) query speed, tslake against
// DuckDB on the same CSV: GROUP BY at several group counts, DISTINCT,
// count(DISTINCT), ORDER BY ... LIMIT, joins (issue 16). Writes a markdown table
// on stdout; bench/results/GENERAL.md holds a run.
//
// usage: node bench/general_bench.mjs [--tslake build/tslake] [--tags 500]
//          [--points 10000] [--dir /tmp/tslake-general] [--runs 3] [--only REGEX]
// DUCKDB_NODE_DIR (default /tmp/duckdb-peer) holds node_modules/@duckdb/node-api.
//
// Both systems load the CSV written by `tslake generate` into a table s
// (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER). Each query runs
// `runs` times per system, interleaved (tslake, DuckDB, tslake, ...); the
// median wall time and CPU time are reported. tslake runs as `tslake DB --readonly --mode
// csv -c SQL` (one process per run: the time includes opening the database,
// a few ms); DuckDB in this process on an in-memory table. Results are
// compared as sorted CSV rows (numbers to 9 significant digits): a mismatch
// is printed and makes the exit code 1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tslake = path.resolve(opt('--tslake', path.join(root, 'build/tslake')));
const tags = Number(opt('--tags', '500'));
const points = Number(opt('--points', '10000'));
const dir = opt('--dir', '/tmp/tslake-general');
const runs = Number(opt('--runs', '3'));
const duckDir = process.env.DUCKDB_NODE_DIR || '/tmp/duckdb-peer';
const require = createRequire(path.join(duckDir, 'node_modules', 'x.js'));
const duckdb = require('@duckdb/node-api');

const queries = [
  ['duplicate check', 'SELECT tag, ts, count(*) FROM s GROUP BY ALL HAVING count(*) > 1'],
  ['DISTINCT tag, ts (counted)', 'SELECT count(*) FROM (SELECT DISTINCT tag, ts FROM s)'],
  ['count(DISTINCT value) per tag', 'SELECT tag, count(DISTINCT value) FROM s GROUP BY tag'],
  ['ORDER BY value DESC LIMIT 10', 'SELECT * FROM s ORDER BY value DESC, ts, tag LIMIT 10'],
  ['ORDER BY ts, tag LIMIT 5 OFFSET 100', 'SELECT tag, ts, value FROM s ORDER BY ts DESC, tag LIMIT 5 OFFSET 100'],
  ['GROUP BY, 10 groups', 'SELECT count(*), sum(c), sum(v) FROM (SELECT epoch(ts)::BIGINT % 10 AS k, count(*) AS c, sum(value) AS v FROM s GROUP BY k)'],
  ['GROUP BY, 1K groups', 'SELECT count(*), sum(c), sum(v) FROM (SELECT epoch(ts)::BIGINT % 1000 AS k, count(*) AS c, sum(value) AS v FROM s GROUP BY k)'],
  ['GROUP BY, 100K groups (tag, int)', 'SELECT count(*), sum(c), sum(v) FROM (SELECT tag, epoch(ts)::BIGINT % 200 AS k, count(*) AS c, sum(value) AS v FROM s GROUP BY tag, k)'],
  ['GROUP BY, 1M groups (tag, int)', 'SELECT count(*), sum(c), sum(v) FROM (SELECT tag, epoch(ts)::BIGINT % 2000 AS k, count(*) AS c, sum(value) AS v FROM s GROUP BY tag, k)'],
  ['GROUP BY, 5M groups (tag, ts)', 'SELECT count(*), sum(c), sum(v) FROM (SELECT tag, ts, count(*) AS c, sum(value) AS v FROM s GROUP BY tag, ts)'],
  // The equipment-master join of issue 16: a 20-row dimension (a CTE over
  // VALUES), filtered on the dimension and on ts, grouped.
  ['join with a small dimension', "WITH m(tag, area, unit) AS (VALUES ('Plant1/Boiler1/AT-101.PV', 'north', 0), ('Plant1/Compressor1/PT-105.PV', 'south', 1), ('Plant1/Cooling2/FT-108.PV', 'east', 2), ('Plant1/Feedwater2/ST-109.PV', 'west', 3), ('Plant1/Turbine3/JT-112.PV', 'north', 4), ('Plant2/Boiler3/TT-126.PV', 'south', 5), ('Plant2/Cooling1/LT-118.PV', 'east', 6), ('Plant2/Feedwater2/AT-124.PV', 'west', 7), ('Plant2/Turbine2/PT-122.PV', 'north', 8), ('Plant3/Boiler3/FT-141.PV', 'south', 9), ('Plant3/Compressor3/ST-145.PV', 'east', 10), ('Plant3/Feedwater1/JT-134.PV', 'west', 11), ('Plant3/Turbine1/TT-132.PV', 'north', 12), ('Plant4/Boiler2/LT-151.PV', 'south', 13), ('Plant4/Compressor3/AT-160.PV', 'east', 14), ('Plant4/Cooling3/PT-158.PV', 'west', 15), ('Plant4/Turbine1/FT-147.PV', 'north', 16), ('Plant5/Boiler1/ST-161.PV', 'south', 17), ('Plant5/Compressor2/JT-170.PV', 'east', 18), ('Plant5/Feedwater1/TT-164.PV', 'west', 19)) SELECT m.area, count(*), sum(s.value) FROM s JOIN m ON s.tag = m.tag WHERE m.area IN ('north', 'east') AND s.ts >= TIMESTAMP '2024-01-01 01:00:00' AND s.ts < TIMESTAMP '2024-01-01 02:00:00' GROUP BY m.area"],
  // A larger equi-join: every row of s with its tag's aggregate (500 keys).
  ['join with an aggregate of s on tag', 'SELECT count(*), count(*) FILTER (WHERE s.value = a.max_v), sum(a.max_v) FROM s JOIN (SELECT tag, max(value) AS max_v FROM s GROUP BY tag) a ON s.tag = a.tag'],
  // Two large inputs on (tag, ts): 5M rows build, 5M probe.
  ['self-join on (tag, ts)', 'SELECT count(*), sum(a.value * b.quality) FROM s a JOIN s b ON a.tag = b.tag AND a.ts = b.ts'],
];
// --only REGEX: run the queries whose name matches (while iterating).
const only = opt('--only', null);
if (only) {
  const re = new RegExp(only);
  for (let i = queries.length - 1; i >= 0; --i) if (!re.test(queries[i][0])) queries.splice(i, 1);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function canon(v) {
  if (v === null || v === undefined || v === '') return 'NULL';
  const n = Number(v);
  if (typeof v !== 'boolean' && String(v).trim() !== '' && Number.isFinite(n)) return String(Number(n.toPrecision(9)));
  let s = String(v);
  if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(s)) s = s.replace('T', ' ').slice(0, 19);
  return s;
}

// CPU seconds (user + system) matter on a shared machine, where wall time
// measures the neighbours too: tslake's come from /usr/bin/time, DuckDB's
// from this process's own usage (every DuckDB thread included).
function tslakeRun(sql) {
  const timing = path.join(dir, 'time.txt');
  const t0 = process.hrtime.bigint();
  const out = execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timing, tslake, path.join(dir, 'db'), '--readonly',
                                             '--mode', 'csv', '--no-header', '-c', sql],
                           { maxBuffer: 1 << 30 }).toString();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys] = fs.readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const cpu = user + sys;
  const rows = out.split('\n').filter((l) => l.length).map((l) => l.split(',').map(canon).join('\t'));
  return { secs, cpu, rows: rows.sort() };
}

async function duckRun(con, sql) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = await con.runAndReadAll(sql);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const rows = r.getRowsJS().map((row) => row.map((v) => canon(v instanceof Date ? v.toISOString() : v)).join('\t'));
  return { secs, cpu, rows: rows.sort() };
}

fs.mkdirSync(dir, { recursive: true });
const csv = path.join(dir, `s_${tags}x${points}.csv`);
if (!fs.existsSync(csv)) {
  execFileSync(tslake, ['generate', '--tags', String(tags), '--points', String(points), '--out', csv]);
}
fs.rmSync(path.join(dir, 'db'), { recursive: true, force: true });
execFileSync(tslake, [path.join(dir, 'db'),
  '-c', 'CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)',
  '-c', `COPY s FROM '${csv}'`]);
const inst = await duckdb.DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run(`CREATE TABLE s AS SELECT * FROM read_csv('${csv}', columns = {'ts': 'TIMESTAMP', 'tag': 'VARCHAR', 'value': 'DOUBLE', 'quality': 'INTEGER'}, header = true)`);

let failed = false;
console.log(`| query | tslake wall s | DuckDB wall s | wall ratio | tslake CPU s | DuckDB CPU s | CPU ratio | rows | equal |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---|`);
for (const [name, sql] of queries) {
  const ts = [], ds = [], tc = [], dc = [];
  let tr, dr;
  for (let i = 0; i < runs; ++i) {
    tr = tslakeRun(sql);
    ts.push(tr.secs);
    tc.push(tr.cpu);
    dr = await duckRun(con, sql);
    ds.push(dr.secs);
    dc.push(dr.cpu);
  }
  const equal = tr.rows.length === dr.rows.length && tr.rows.every((r, i) => r === dr.rows[i]);
  if (!equal) {
    failed = true;
    process.stderr.write(`MISMATCH ${name}\n tslake: ${tr.rows.slice(0, 5).join(' | ')}\n duckdb: ${dr.rows.slice(0, 5).join(' | ')}\n`);
  }
  const t = median(ts), d = median(ds), tcpu = median(tc), dcpu = median(dc);
  console.log(`| ${name}: \`${sql}\` | ${t.toFixed(3)} | ${d.toFixed(3)} | ${(t / d).toFixed(2)} | ` +
              `${tcpu.toFixed(3)} | ${dcpu.toFixed(3)} | ${(tcpu / dcpu).toFixed(2)} | ${tr.rows.length} | ${equal ? 'yes' : 'NO'} |`);
}
process.exit(failed ? 1 : 0);
