#!/usr/bin/env node
// DuckDB cross-check of tslake's Parquet and Delta export (issue 10).
//   DUCKDB_NODE_DIR=/tmp/duckdb-peer node tests/export/duckdb_crosscheck.js build/tslake
// 1. DuckDB generates 6000 rows of every type with NULLs (src) as three CSV
//    slices; tslake loads them into an unpartitioned table u and a
//    day-partitioned table p.
// 2. COPY u TO one .parquet file and to a directory: DuckDB's read_parquet
//    of those files must equal src (EXCEPT ALL both ways, counts equal).
// 3. tslake's read_parquet of the same file, printed as CSV, must equal src.
// 4. DuckDB writes src as Parquet (snappy, zstd, uncompressed, small row
//    groups, PARQUET_VERSION v2: v2 pages, DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT); tslake's read_parquet of each must equal src.
// 5. Delta mirror: three incremental exports of p with appends, a DELETE
//    and an OPTIMIZE between them; after each, the _delta_log replay (add
//    minus remove) read by DuckDB must equal tslake's SELECT * FROM p; the
//    log has exactly three versions; a fourth export writes nothing.
// (DuckDB's delta extension needs a download, so the log is replayed here.)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { createRequire } = require('module');

const nodeDir = process.env.DUCKDB_NODE_DIR || '/tmp/duckdb-peer';
const { DuckDBInstance } = createRequire(path.join(nodeDir, 'package.json'))('@duckdb/node-api');
const tslake = path.resolve(process.argv[2] || 'build/tslake');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tslake-duckdb-xcheck-'));
const db = path.join(work, 'db');
let failures = 0;

function tsl(...sql) {
  const args = [db, '--mode', 'csv'];
  for (const s of sql) args.push('-c', s);
  // TSLAKE_TEST_EMULATOR (./run aarch64): qemu in front of a foreign binary.
  const emulator = process.env.TSLAKE_TEST_EMULATOR;
  if (emulator) return execFileSync(emulator, [tslake, ...args], { encoding: 'utf8' });
  return execFileSync(tslake, args, { encoding: 'utf8' });
}
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures++;
}
const cols = "{'ts': 'TIMESTAMP', 'tag': 'VARCHAR', 'value': 'DOUBLE', 'quality': 'INTEGER', 'n': 'BIGINT', 'ok': 'BOOLEAN'}";
const q = (s) => "'" + s.replace(/'/g, "''") + "'";
// Rows of a Parquet source normalized to src's types (tslake writes UTC timestamps = TIMESTAMPTZ).
const norm = (from) => `SELECT ts::TIMESTAMP AS ts, tag, value, quality::INTEGER AS quality, n::BIGINT AS n, ok FROM ${from}`;

(async () => {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  const one = async (sql) => (await duck.runAndReadAll(sql)).getRows();
  await duck.run("SET TimeZone = 'UTC'");
  // Equal as multisets: both EXCEPT ALLs empty and the same count.
  const same = async (a, b, what) => {
    const [[x]] = await one(`SELECT count(*) FROM ((${a}) EXCEPT ALL (${b}))`);
    const [[y]] = await one(`SELECT count(*) FROM ((${b}) EXCEPT ALL (${a}))`);
    const [[na]] = await one(`SELECT count(*) FROM (${a})`);
    const [[nb]] = await one(`SELECT count(*) FROM (${b})`);
    check(Number(x) === 0 && Number(y) === 0 && na === nb, `${what} (${na} vs ${nb} rows, ${x}/${y} differ)`);
  };
  // tslake's CSV output of a query as a DuckDB relation.
  const tslRows = (sql, name) => {
    const file = path.join(work, name + '.csv');
    fs.writeFileSync(file, tsl(sql));
    return `SELECT * FROM read_csv(${q(file)}, header = true, columns = ${cols}, nullstr = '', quote = '"')`;
  };

  // 1. Source data: every type, NULLs in every column but ts (a partition key).
  await duck.run(`CREATE TABLE src AS SELECT
      TIMESTAMP '2024-01-01' + to_microseconds(i * 77777777 + (i % 1000)) AS ts,
      CASE WHEN i % 11 = 0 THEN NULL ELSE 'Plant1/TT-' || (i % 13) || '.PV' END AS tag,
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 0.25 - 100.125)::DOUBLE END AS value,
      CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 300)::INTEGER - 100 END AS quality,
      CASE WHEN i % 9 = 0 THEN NULL ELSE i * -3000000007 END AS n,
      CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS ok,
      i
    FROM range(6000) t(i)`);
  const slices = [[0, 2000], [2000, 4000], [4000, 6000]];
  for (const [k, [lo, hi]] of slices.entries()) {
    await duck.run(`COPY (SELECT ts, tag, value, quality, n, ok FROM src WHERE i >= ${lo} AND i < ${hi})
                    TO ${q(path.join(work, `slice${k}.csv`))} (HEADER, NULLSTR '')`);
  }
  const srcAll = 'SELECT ts, tag, value, quality, n, ok FROM src';
  const schema = '(ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER, n BIGINT, ok BOOLEAN)';
  tsl(`CREATE TABLE u ${schema}`, `CREATE TABLE p ${schema} WITH (partition_by = 'day(ts)')`);
  for (let k = 0; k < 3; k++) tsl(`COPY u FROM ${q(path.join(work, `slice${k}.csv`))} (HEADER true)`);
  await same(tslRows('SELECT * FROM u', 'u'), srcAll, 'tslake loaded the CSV slices');

  // 2. DuckDB reads tslake's Parquet.
  const file = path.join(work, 'u.parquet');
  const dir = path.join(work, 'udir');
  tsl(`COPY u TO ${q(file)} (FORMAT parquet)`, `COPY u TO ${q(dir)} (FORMAT parquet, COMPRESSION uncompressed)`);
  await same(norm(`read_parquet(${q(file)})`), srcAll, 'DuckDB read_parquet of tslake file = source');
  await same(norm(`read_parquet(${q(dir + '/*.parquet')})`), srcAll, 'DuckDB read_parquet of tslake directory = source');
  const [[tsType]] = await one(`SELECT typeof(ts) FROM read_parquet(${q(file)}) LIMIT 1`);
  // A TIMESTAMP column is written as DuckDB writes one: TIMESTAMP(MICROS,
  // isAdjustedToUTC=false), so it reads back as TIMESTAMP, not TIMESTAMPTZ.
  check(tsType === 'TIMESTAMP', `timestamps are TIMESTAMP(MICROS, not adjusted to UTC) (${tsType})`);
  const stats = await one(`SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count
                           FROM parquet_metadata(${q(file)}) WHERE path_in_schema = 'quality'`);
  const [[qmin, qmax, qnull]] = await one(`SELECT min(quality)::VARCHAR, max(quality)::VARCHAR, count(*) - count(quality) FROM src`);
  check(stats.length > 0 && stats.every((r) => r[3] !== null) &&
        stats.reduce((m, r) => Math.min(m, Number(r[1])), 1e9) === Number(qmin) &&
        stats.reduce((m, r) => Math.max(m, Number(r[2])), -1e9) === Number(qmax) &&
        stats.reduce((s, r) => s + Number(r[3]), 0) === Number(qnull),
        'column chunk statistics (min/max/null_count of quality) match the data');

  // 3. tslake reads its own file back.
  await same(tslRows(`SELECT * FROM read_parquet(${q(file)})`, 'back'), srcAll, 'tslake read_parquet of its file = source');

  // 4. tslake reads DuckDB's Parquet files.
  const variants = {
    snappy: "(FORMAT parquet)",
    zstd: "(FORMAT parquet, COMPRESSION zstd)",
    uncompressed: "(FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)",
    small_groups: "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)",
    v2: "(FORMAT parquet, PARQUET_VERSION v2)",  // DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT, data page v2
  };
  for (const [name, opts] of Object.entries(variants)) {
    const f = path.join(work, `duck_${name}.parquet`);
    await duck.run(`COPY (${srcAll}) TO ${q(f)} ${opts}`);
    try {
      await same(tslRows(`SELECT * FROM read_parquet(${q(f)})`, 'duck_' + name), srcAll,
                 `tslake read_parquet of DuckDB ${name} file = source`);
    } catch (e) {
      check(false, `tslake read_parquet of DuckDB ${name} file: ${String(e.stderr || e.message).trim()}`);
    }
  }

  // 5. Delta mirror, three incremental exports.
  const mirror = path.join(work, 'mirror');
  const logDir = path.join(mirror, '_delta_log');
  const replay = () => {
    const live = new Set();
    let versions = 0;
    for (const name of fs.readdirSync(logDir).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
      versions++;
      for (const line of fs.readFileSync(path.join(logDir, name), 'utf8').split('\n')) {
        if (!line) continue;
        const a = JSON.parse(line);
        if (a.add) live.add(decodeURIComponent(a.add.path));
        if (a.remove) live.delete(decodeURIComponent(a.remove.path));
      }
    }
    return { live: [...live].map((p) => path.join(mirror, p)), versions };
  };
  const checkMirror = async (what) => {
    const { live, versions } = replay();
    const files = '[' + live.map(q).join(', ') + ']';
    await same(norm(`read_parquet(${files})`), tslRows('SELECT * FROM p', 'p'), `${what}: replayed Delta files = tslake table`);
    return versions;
  };
  tsl(`COPY p FROM ${q(path.join(work, 'slice0.csv'))} (HEADER true)`);
  tsl(`COPY p TO ${q(mirror)} (FORMAT delta, INCREMENTAL)`);
  check((await checkMirror('export 1')) === 1, 'export 1 wrote version 0');
  tsl(`COPY p FROM ${q(path.join(work, 'slice1.csv'))} (HEADER true)`, 'DELETE FROM p WHERE quality < -50');
  tsl(`COPY p TO ${q(mirror)} (FORMAT delta, INCREMENTAL)`);
  check((await checkMirror('export 2 (append + DELETE)')) === 2, 'export 2 wrote version 1');
  tsl(`COPY p FROM ${q(path.join(work, 'slice2.csv'))} (HEADER true)`, 'OPTIMIZE p');
  tsl(`COPY p TO ${q(mirror)} (FORMAT delta, INCREMENTAL)`);
  check((await checkMirror('export 3 (append + OPTIMIZE)')) === 3, 'export 3 wrote version 2');
  const out = tsl(`COPY p TO ${q(mirror)} (FORMAT delta, INCREMENTAL)`);
  check(out.trim().split('\n')[1] === '0' && replay().versions === 3, 'a fourth export ships nothing and writes no version');
  const v2 = fs.readFileSync(path.join(logDir, '00000000000000000002.json'), 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  check(v2.some((a) => a.remove) && v2.some((a) => a.add) && v2.some((a) => a.txn && a.txn.version > 0),
        'version 2 has remove, add and txn actions');

  if (failures === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.log('kept ' + work);
  console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e.stderr ? String(e.stderr) : e);
  console.log('kept ' + work);
  process.exit(1);
});
