// The data-changing statements of issue 17 measured against DuckDB: UPDATE,
// MERGE and an upsert (INSERT ... ON CONFLICT DO UPDATE) each changing 1% of
// the rows of a TAGS x POINTS table (default 1,000 x 100,000 = 100M points),
// in tslake (the CLI, one process per statement) and in DuckDB 1.5.6
// (@duckdb/node-api, one connection, in this process). Prints a Markdown
// report on stdout (bench/results/DML.md is one such report) and progress on
// stderr.
//
//   node bench/dml_bench.mjs [--tags N] [--points N] [--tslake PATH] [--keep]
//   (DML_LOAD_PART=N: the rows of each tslake COPY when loading, default 10M)
//
// DUCKDB_NODE_DIR: a directory holding node_modules/@duckdb/node-api
// (default bench/.peers, where bench/run installs it). Data lives in
// bench/data/dml-TAGSxPOINTS/ (gitignored): the CSV from `tslake generate`
// is kept between runs, the two databases are rebuilt each run (--keep
// leaves them behind afterwards).
//
// What a "late PI correction" is here: PI (and most historians) re-send the
// points of an interval when an interface comes back after an outage or a
// lab value is re-entered; the corrected points arrive with the same tag and
// timestamp and a new value. So each statement changes a 1% time window on
// every tag (POINTS/100 consecutive seconds of all TAGS tags), a different
// window per statement, and one more UPDATE changes 1% of the tags over their
// whole history (a recalibrated instrument), the other shape a correction
// takes:
//   update_window  UPDATE ... WHERE ts in window A (all tags)
//   update_tags    UPDATE ... WHERE tag IN (TAGS/100 tags)
//   merge          MERGE INTO points USING corr_merge (window B, every row
//                  matched: WHEN MATCHED UPDATE, WHEN NOT MATCHED INSERT)
//   upsert         INSERT INTO points SELECT * FROM corr_upsert (window C)
//                  ON CONFLICT (tag, ts) DO UPDATE SET value = excluded.value
// The table has PRIMARY KEY (tag, ts) in both systems (the upsert needs it).
// Loading and building the correction tables are untimed setup.
//
// Measured per statement and system: wall seconds of the statement (tslake:
// the shell's `.timer on`, so not the process start and open; DuckDB: the
// statement, then CHECKPOINT timed apart, since DuckDB's UPDATE only writes
// its WAL until a checkpoint moves the change into the database file, while
// tslake's commit has written its files and log entry); bytes written to disk
// by the process (/proc/self/io write_bytes of this process: it includes the
// reaped tslake child's and DuckDB's own writes, WAL and checkpoint
// included); tslake's operationMetrics from DESCRIBE HISTORY (files and bytes
// removed and added, rows copied); DuckDB's database file growth after the
// CHECKPOINT; and the size of the table after the statement (tslake: the
// bytes of the files in the new version, summed from the history's
// numOutputBytes - numRemovedBytes; DuckDB: the database file). At the end a
// checksum (count, sum(value) as integers of 1e-4, sum(quality)) of both
// tables must agree.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
}
const TAGS = Number(opt('--tags', 1000));
const POINTS = Number(opt('--points', 100000));
const TSLAKE = opt('--tslake', path.join(ROOT, 'build/tslake'));
const KEEP = args.includes('--keep');
if (!(TAGS >= 100 && POINTS >= 100 && Number.isInteger(TAGS) && Number.isInteger(POINTS))) {
  console.error('dml_bench: --tags and --points must be integers >= 100 (1% of each must be at least 1)');
  process.exit(2);
}
const peerDir = process.env.DUCKDB_NODE_DIR || path.join(ROOT, 'bench/.peers');
const duckdb = createRequire(import.meta.url)(path.join(peerDir, 'node_modules/@duckdb/node-api'));

const DATA = path.join(ROOT, 'bench/data', `dml-${TAGS}x${POINTS}`);
const CSV = path.join(DATA, 'points.csv');
const TDB = path.join(DATA, 'tslake.db');
const DDB = path.join(DATA, 'duck.duckdb');
fs.mkdirSync(DATA, { recursive: true });

function log(msg) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
function writeBytes() {
  const m = /write_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'));
  return Number(m[1]);
}
function dirBytes(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((s, f) => s + dirBytes(path.join(p, f)), 0);
}
function fileBytes(p) {
  return fs.existsSync(p) ? fs.statSync(p).size : 0;
}
const mb = (b) => (b / 1e6).toFixed(1);

// The windows: 1% of POINTS seconds each, at 50%, 70% and 90% of the range.
const START = Date.UTC(2024, 0, 1) / 1000;  // tslake generate's first timestamp
const W = POINTS / 100;
function tsText(sec) {
  return new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 19);
}
function window(frac) {
  const a = START + Math.floor(POINTS * frac);
  return `ts >= TIMESTAMP '${tsText(a)}' AND ts < TIMESTAMP '${tsText(a + W)}'`;
}
const WIN_A = window(0.5), WIN_B = window(0.7), WIN_C = window(0.9);

// ---- data ----
if (!fs.existsSync(CSV)) {
  log(`generating ${CSV} (${TAGS} tags x ${POINTS} points)`);
  const r = spawnSync(TSLAKE, ['generate', '--tags', String(TAGS), '--points', String(POINTS), '--out', CSV + '.tmp'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('tslake generate failed');
  fs.renameSync(CSV + '.tmp', CSV);
}
fs.rmSync(TDB, { recursive: true, force: true });
for (const f of [DDB, DDB + '.wal']) fs.rmSync(f, { force: true });

const CREATE = 'CREATE TABLE points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER, PRIMARY KEY (tag, ts))';

// ---- tslake: one CLI process per statement ----
// CPU seconds (user + system) of the whole process come from /usr/bin/time:
// on a loaded machine the wall time is mostly waiting for a core.
function tslake(sql) {
  const r = spawnSync('/usr/bin/time', ['-f', 'DML_BENCH_CPU %U %S', TSLAKE, TDB, '--bail', '--mode', 'csv', '-c', '.timer on', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tslake failed (${r.status}) on ${sql.slice(0, 120)}: ${r.stderr}${r.stdout.slice(-400)}`);
  const times = [...r.stdout.matchAll(/Run Time: real ([0-9.]+) s/g)].map((m) => Number(m[1]));
  const body = r.stdout.split('\n').filter((l) => l && !l.startsWith('Run Time:'));
  const cpu = /DML_BENCH_CPU ([0-9.]+) ([0-9.]+)/.exec(r.stderr);
  return { seconds: times.reduce((a, b) => a + b, 0), lines: body, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN };
}
function parseCsvLine(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') { s += '"'; i += 2; }
        else if (line[i] === '"') { i++; break; }
        else s += line[i++];
      }
      out.push(s);
      i++;
    } else {
      const j = line.indexOf(',', i);
      const e = j < 0 ? line.length : j;
      out.push(line.slice(i, e));
      i = e + 1;
    }
  }
  return out;
}
function tslakeHistory() {
  const { lines } = tslake('DESCRIBE HISTORY points');
  const head = parseCsvLine(lines[0]);
  return lines.slice(1).map((l) => {
    const f = parseCsvLine(l);
    const row = Object.fromEntries(head.map((h, i) => [h, f[i]]));
    row.metrics = row.operationMetrics && row.operationMetrics !== '{}' ? JSON.parse(row.operationMetrics) : {};
    return row;
  }).sort((a, b) => Number(a.version) - Number(b.version));
}
function tslakeVersionBytes(history) {
  return history.reduce((s, h) => s + Number(h.metrics.numOutputBytes || 0) - Number(h.metrics.numRemovedBytes || 0), 0);
}

// ---- DuckDB: one connection in this process ----
const inst = await duckdb.DuckDBInstance.create(DDB);
const con = await inst.connect();
async function duck(sql) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await con.runAndReadAll(sql);
  const c = process.cpuUsage(c0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, rows: r.getRowsJS(), cpu: (c.user + c.system) / 1e6 };
}
const duckVersion = (await duck('SELECT version()')).rows[0][0];

const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
const report = [];
const started = new Date();

// tslake loads the CSV in parts of at most LOAD_PART rows, one COPY each:
// a COPY keeps the keys it adds in a hash set to find duplicates within the
// statement (query/main/table_constraints.h), about 150 bytes a key, so one
// 100M-row COPY would need ~15 GB. The file is in time order, so each part
// is newer than the table and its key check against the table reads no file.
const LOAD_PART = Number(process.env.DML_LOAD_PART || 10_000_000);
log(`tslake: load ${TAGS * POINTS} rows`);
tslake(CREATE);
let tLoad = 0;
if (TAGS * POINTS <= LOAD_PART) {
  tLoad = tslake(`COPY points FROM '${CSV}' (HEADER true)`).seconds;
} else {
  const parts = path.join(DATA, 'parts');
  fs.rmSync(parts, { recursive: true, force: true });
  fs.mkdirSync(parts);
  const r = spawnSync('sh', ['-c', `tail -n +2 '${CSV}' | split -l ${LOAD_PART} -d -a 3 - '${parts}/part-'`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('splitting the CSV failed');
  for (const f of fs.readdirSync(parts).sort()) {
    tLoad += tslake(`COPY points FROM '${path.join(parts, f)}' (HEADER false)`).seconds;
    log(`  ${f}: ${tLoad.toFixed(1)} s so far`);
  }
  fs.rmSync(parts, { recursive: true, force: true });
}
log(`tslake: loaded in ${tLoad.toFixed(1)} s`);
log(`DuckDB: load ${TAGS * POINTS} rows`);
await duck(CREATE);
const dLoad = (await duck(`COPY points FROM '${CSV}' (HEADER true)`)).seconds + (await duck('CHECKPOINT')).seconds;
log(`DuckDB: loaded in ${dLoad.toFixed(1)} s`);

// The correction sets (untimed): window B and C rows with new values.
const tags = (await duck(`SELECT DISTINCT tag FROM points ORDER BY tag LIMIT ${TAGS / 100}`)).rows.map((r) => r[0]);
const TAG_LIST = tags.map((t) => `'${t.replace(/'/g, "''")}'`).join(', ');
const SETUP = [
  `CREATE TABLE corr_merge AS SELECT ts, tag, value + 0.25 AS value, 0 AS quality FROM points WHERE ${WIN_B}`,
  `CREATE TABLE corr_upsert AS SELECT ts, tag, value + 0.5 AS value, 0 AS quality FROM points WHERE ${WIN_C}`,
];
for (const s of SETUP) { tslake(s); await duck(s); }
await duck('CHECKPOINT');

const STATEMENTS = [
  ['update_window', `UPDATE points SET value = value + 0.1, quality = 0 WHERE ${WIN_A}`,
   `UPDATE of a 1% time window on every tag (${W} s x ${TAGS} tags)`],
  ['update_tags', `UPDATE points SET value = value * 1.01 WHERE tag IN (${TAG_LIST})`,
   `UPDATE of 1% of the tags (${tags.length} tags x ${POINTS} points)`],
  ['merge', 'MERGE INTO points p USING corr_merge c ON p.tag = c.tag AND p.ts = c.ts ' +
   'WHEN MATCHED THEN UPDATE SET value = c.value, quality = c.quality ' +
   'WHEN NOT MATCHED THEN INSERT VALUES (c.ts, c.tag, c.value, c.quality)',
   `MERGE of a 1% correction set (another window, ${W} s x ${TAGS} tags, all matched)`],
  ['upsert', 'INSERT INTO points SELECT ts, tag, value, quality FROM corr_upsert ' +
   'ON CONFLICT (tag, ts) DO UPDATE SET value = excluded.value, quality = excluded.quality',
   `INSERT ... ON CONFLICT DO UPDATE of a 1% correction set (a third window)`],
];

const expectRows = { update_window: W * TAGS, update_tags: tags.length * POINTS, merge: W * TAGS, upsert: W * TAGS };
let tHist = tslakeHistory();
let tSize = tslakeVersionBytes(tHist);
let dSize = fileBytes(DDB);
const sizes = { tslake_load: tSize, duck_load: dSize };
const results = [];
for (const [name, sql, what] of STATEMENTS) {
  log(`tslake: ${name}`);
  let wb = writeBytes();
  const t = tslake(sql);
  const tWritten = writeBytes() - wb;
  const changed = Number(t.lines[1]);
  tHist = tslakeHistory();
  const h = tHist[tHist.length - 1];
  const tNew = tslakeVersionBytes(tHist);

  log(`DuckDB: ${name}`);
  wb = writeBytes();
  const d = await duck(sql);
  const walBytes = fileBytes(DDB + '.wal');
  const c = await duck('CHECKPOINT');
  const dWritten = writeBytes() - wb;
  const dNew = fileBytes(DDB);
  const dChanged = Number(d.rows[0][0]);
  if (changed !== expectRows[name] || dChanged !== expectRows[name])
    throw new Error(`${name}: expected ${expectRows[name]} rows changed, tslake says ${changed}, DuckDB ${dChanged}`);
  results.push({ name, sql, what, rows: changed, t: t.seconds, tCpu: t.cpu, dCpu: d.cpu + c.cpu, tWritten, op: h.operation, m: h.metrics, tBefore: tSize, tNew,
                 d: d.seconds, dCkpt: c.seconds, dWritten, walBytes, dBefore: dSize, dNew });
  log(`  ${name}: tslake ${t.seconds.toFixed(2)} s, ${mb(tWritten)} MB written; DuckDB ${d.seconds.toFixed(2)} + ${c.seconds.toFixed(2)} s, ${mb(dWritten)} MB written`);
  tSize = tNew;
  dSize = dNew;
}

// An exact checksum: sum(value) in floating point depends on the order of
// the additions (DuckDB's threads), so the values are summed as integers of
// 1e-4 (the generator's two decimals times the corrections' factors).
const CHECK = 'SELECT count(*), sum(CAST(round(value * 10000) AS BIGINT)), sum(quality) FROM points';
const tCheck = parseCsvLine(tslake(CHECK).lines[1]).map(String);
const dCheck = (await duck(CHECK)).rows[0].map(String);
const same = tCheck.every((v, i) => Number(v) === Number(dCheck[i]));
const tDisk = dirBytes(TDB);
const loadEnd = os.loadavg().map((x) => x.toFixed(1)).join(' ');
if (!KEEP) {
  fs.rmSync(TDB, { recursive: true, force: true });
  for (const f of [DDB, DDB + '.wal']) fs.rmSync(f, { force: true });
}

// ---- report ----
const tslakeVersion = spawnSync(TSLAKE, ['--version'], { encoding: 'utf8' }).stdout.trim();
const r = (x) => x.toFixed(2);
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const out = [];
out.push(`# UPDATE / MERGE / upsert of 1% of the rows: tslake vs DuckDB`, '');
out.push(`${TAGS} tags x ${POINTS} points (${(TAGS * POINTS).toLocaleString('en-US')} rows, \`tslake generate\`), table ` +
         '`points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER, PRIMARY KEY (tag, ts))` in both systems, ' +
         `loaded from the same CSV with COPY (tslake ${r(tLoad)} s${TAGS * POINTS > LOAD_PART ? ` in parts of ${LOAD_PART.toLocaleString('en-US')} rows, one COPY each` : ''}, DuckDB ${r(dLoad)} s including its CHECKPOINT; untimed setup). ` +
         `${tslakeVersion}; DuckDB ${duckVersion} (@duckdb/node-api). Started ${started.toISOString().slice(0, 16)} UTC, ` +
         `load average ${load} at the start and ${loadEnd} at the end (2 cores shared with other jobs).`, '');
out.push('    ' + ['node bench/dml_bench.mjs', `--tags ${TAGS}`, `--points ${POINTS}`].join(' '), '');
out.push('CPU s: user + system seconds of the tslake process (open and exit included) and of this process while DuckDB ran the statement and its CHECKPOINT (all its threads).', '');
out.push('| statement | rows changed | tslake s | DuckDB s (statement + CHECKPOINT) | time ratio tslake/DuckDB | tslake CPU s | DuckDB CPU s | CPU ratio | tslake bytes written | DuckDB bytes written | bytes ratio | tslake files rewritten (removed -> added) | DuckDB file growth | tslake table after | DuckDB file after |');
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
for (const x of results) {
  const dTot = x.d + x.dCkpt;
  out.push(`| ${x.name}: ${x.what} | ${x.rows.toLocaleString('en-US')} | ${r(x.t)} | ${r(dTot)} (${r(x.d)} + ${r(x.dCkpt)}) | ${ratio(x.t, dTot)} | ` +
           `${r(x.tCpu)} | ${r(x.dCpu)} | ${ratio(x.tCpu, x.dCpu)} | ` +
           `${mb(x.tWritten)} MB | ${mb(x.dWritten)} MB | ${ratio(x.tWritten, x.dWritten)} | ` +
           `${x.op}: ${x.m.numRemovedFiles ?? '?'} files ${mb(Number(x.m.numRemovedBytes || 0))} MB -> ${x.m.numAddedFiles ?? '?'} files ${mb(Number(x.m.numOutputBytes || 0))} MB | ` +
           `${mb(x.dNew - x.dBefore)} MB | ${mb(x.tNew)} MB | ${mb(x.dNew)} MB |`);
}
out.push('');
out.push(`After loading: tslake table ${mb(sizes.tslake_load)} MB, DuckDB file ${mb(sizes.duck_load)} MB. ` +
         `After the four statements the tslake directory holds ${mb(tDisk)} MB (every version's files until VACUUM).`);
out.push(`Checksum \`${CHECK}\`: tslake ${tCheck.join(', ')}; DuckDB ${dCheck.join(', ')}: ${same ? 'equal' : 'DIFFERENT'}.`, '');
out.push('tslake operationMetrics per statement:', '');
for (const x of results) out.push(`- ${x.name}: \`${JSON.stringify(x.m)}\``);
out.push('');
out.push('Statements:', '');
for (const x of results) out.push(`- ${x.name}: \`${x.sql.length > 300 ? x.sql.slice(0, 300) + ' ...' : x.sql}\``);
process.stdout.write(out.join('\n') + '\n');
if (!same) process.exit(1);
