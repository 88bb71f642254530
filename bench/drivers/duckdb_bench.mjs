// DuckDB's side of bench/run, through @duckdb/node-api (installed by
// bench/run into bench/.peers/). Prints JSON lines (common.mjs emit).
//
//   node duckdb_bench.mjs copy   DBFILE CSV        CREATE TABLE + COPY FROM, timed; CHECKPOINT
//   node duckdb_bench.mjs append DBFILE CSV ROWS   parse ROWS rows (untimed), then time the
//                                                  appender fed 2048-row data chunks
//   node duckdb_bench.mjs query  DBFILE NAME SQLFILE WARM_RUNS BUDGET OUT
//                                                  cold run, then warm runs (common.mjs runQuery)
//   node duckdb_bench.mjs version
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { emit, fail, readCsv, tsMicros, runQuery, seconds, cpuSeconds } from './common.mjs';

const require = createRequire(import.meta.url);
const peers = new URL('../.peers/node_modules/', import.meta.url).pathname;
const duckdb = require(peers + '@duckdb/node-api');
const { DuckDBInstance, DuckDBDataChunk, DuckDBTimestampValue, TIMESTAMP, VARCHAR, DOUBLE, INTEGER } = duckdb;

const CREATE = 'CREATE TABLE points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)';

async function open(path) {
  const instance = await DuckDBInstance.create(path);
  return { instance, con: await instance.connect() };
}

async function copy(dbfile, csv) {
  const { con } = await open(dbfile);
  await con.run(CREATE);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await con.run(`COPY points FROM '${csv}' (HEADER true)`);
  await con.run('CHECKPOINT');
  const s = seconds(t0);
  const n = (await con.runAndReadAll('SELECT count(*) FROM points')).getRowsJS()[0][0];
  emit({ system: 'duckdb', metric: 'ingest_csv', rows: Number(n), seconds: s, cpu_seconds: cpuSeconds(c0) });
}

async function append(dbfile, csv, maxRows) {
  const cols = [[], [], [], []];
  await readCsv(csv, maxRows, (ts, tag, value, quality) => {
    cols[0].push(new DuckDBTimestampValue(BigInt(tsMicros(ts))));
    cols[1].push(tag);
    cols[2].push(value);
    cols[3].push(quality);
  });
  const { con } = await open(dbfile);
  await con.run(CREATE);
  const types = [TIMESTAMP, VARCHAR, DOUBLE, INTEGER];
  const rows = cols[0].length;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const appender = await con.createAppender('points');
  for (let start = 0; start < rows; start += 2048) {
    const end = Math.min(rows, start + 2048);
    const chunk = DuckDBDataChunk.create(types, end - start);
    for (let c = 0; c < 4; c++) chunk.setColumnValues(c, cols[c].slice(start, end));
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  await con.run('CHECKPOINT');
  emit({ system: 'duckdb', metric: 'ingest_native', path: 'Appender (2048-row data chunks)', rows, seconds: seconds(t0), cpu_seconds: cpuSeconds(c0) });
}

async function query(dbfile, name, sqlFile, warmRuns, budget, out) {
  const sql = fs.readFileSync(sqlFile, 'utf8');
  const t0 = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(dbfile, { access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  const openSeconds = seconds(t0);
  await runQuery('duckdb', name, openSeconds, warmRuns, budget, out, async () => (await con.runAndReadAll(sql)).getRowsJS());
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'copy') await copy(a[0], a[1]);
else if (cmd === 'append') await append(a[0], a[1], Number(a[2]));
else if (cmd === 'query') await query(a[0], a[1], a[2], Number(a[3]), Number(a[4]), a[5]);
else if (cmd === 'version') {
  const { con } = await open(':memory:');
  console.log((await con.runAndReadAll('SELECT version()')).getRowsJS()[0][0]);
} else fail('usage: copy DB CSV | append DB CSV ROWS | query DB NAME SQLFILE WARM_RUNS BUDGET OUT | version');
