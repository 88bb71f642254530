// SQLite's side of bench/run: the Debian `sqlite3` CLI imports the CSV;
// better-sqlite3 (bench/.peers/) is the native path and runs the queries.
// Prints JSON lines (common.mjs emit).
//
//   node sqlite_bench.mjs import DBFILE CSV        sqlite3 .import of the CSV, timed
//   node sqlite_bench.mjs append DBFILE CSV ROWS   parse ROWS rows (untimed), then one prepared
//                                                  INSERT run per row in one transaction
//   node sqlite_bench.mjs query  DBFILE NAME SQLFILE RUNS OUT
//   node sqlite_bench.mjs version
//
// Schema: the table a historian would use in SQLite, clustered on (tag, ts)
// (WITHOUT ROWID, so no separate index), ts as INTEGER microseconds.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { emit, fail, readCsv, tsMicros, writeResult, timeRuns, seconds, cpuSeconds } from './common.mjs';

const require = createRequire(import.meta.url);
const peers = new URL('../.peers/node_modules/', import.meta.url).pathname;

const SCHEMA = `CREATE TABLE points (ts INTEGER NOT NULL, tag TEXT NOT NULL, value REAL, quality INTEGER,
  PRIMARY KEY (tag, ts)) WITHOUT ROWID;`;
// .import reads text; the view's trigger turns the CSV's timestamp into
// microseconds on the way in.
const IMPORT_VIEW = `CREATE TEMP VIEW points_csv (ts, tag, value, quality) AS SELECT NULL, NULL, NULL, NULL;
CREATE TEMP TRIGGER points_csv_insert INSTEAD OF INSERT ON points_csv BEGIN
  INSERT INTO points VALUES (unixepoch(NEW.ts) * 1000000, NEW.tag, CAST(NEW.value AS REAL), CAST(NEW.quality AS INTEGER));
END;`;

// Runs the sqlite3 CLI; with cpuFile, under /usr/bin/time writing its user
// and system CPU seconds there.
function sqlite3(dbfile, script, cpuFile) {
  const argv = ['sqlite3', '-bail', dbfile];
  const [cmd, ...args] = cpuFile ? ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, ...argv] : argv;
  const r = spawnSync(cmd, args, { input: script, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) fail(`sqlite3 ${dbfile}: ${r.stderr || r.error}`);
  return r.stdout;
}

function importCsv(dbfile, csv) {
  sqlite3(dbfile, SCHEMA);
  const t0 = process.hrtime.bigint();
  const cpuFile = `${dbfile}.cpu`;
  sqlite3(dbfile, `${IMPORT_VIEW}\n.import --csv --skip 1 ${csv} points_csv\n`, cpuFile);
  const s = seconds(t0);
  const cpu = fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  fs.unlinkSync(cpuFile);
  const n = Number(sqlite3(dbfile, 'SELECT count(*) FROM points;').trim());
  emit({ system: 'sqlite', metric: 'ingest_csv', rows: n, seconds: s, cpu_seconds: cpu[0] + cpu[1] });
}

async function append(dbfile, csv, maxRows) {
  const Database = require(peers + 'better-sqlite3');
  const rows = [];
  await readCsv(csv, maxRows, (ts, tag, value, quality) => rows.push([tsMicros(ts), tag, value, quality]));
  const db = new Database(dbfile);
  db.exec(SCHEMA);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const insert = db.prepare('INSERT INTO points VALUES (?, ?, ?, ?)');
  db.transaction(() => { for (const r of rows) insert.run(r); })();
  db.close();
  emit({ system: 'sqlite', metric: 'ingest_native', path: 'prepared INSERT per row, one transaction (better-sqlite3)',
         rows: rows.length, seconds: seconds(t0), cpu_seconds: cpuSeconds(c0) });
}

async function query(dbfile, name, sqlFile, runs, out) {
  const Database = require(peers + 'better-sqlite3');
  const sql = fs.readFileSync(sqlFile, 'utf8');
  const t0 = process.hrtime.bigint();
  const db = new Database(dbfile, { readonly: true });
  const openSeconds = seconds(t0);
  let r;
  try {
    r = await timeRuns(runs, async () => db.prepare(sql).raw(true).all());
  } catch (e) {
    emit({ system: 'sqlite', metric: 'query', query: name, status: 'error', error: String(e.message) });
    return;
  }
  writeResult(out, r.rows);
  emit({ system: 'sqlite', metric: 'query', query: name, status: 'ok', open_seconds: openSeconds,
         times: r.times, rows: r.rows.length, result: out });
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'import') importCsv(a[0], a[1]);
else if (cmd === 'append') await append(a[0], a[1], Number(a[2]));
else if (cmd === 'query') await query(a[0], a[1], a[2], Number(a[3]), a[4]);
else if (cmd === 'version') {
  const Database = require(peers + 'better-sqlite3');
  const v = new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get();
  console.log(`sqlite3 CLI ${sqlite3(':memory:', 'SELECT sqlite_version();').trim()}, better-sqlite3 (SQLite ${v})`);
} else fail('usage: import DB CSV | append DB CSV ROWS | query DB NAME SQLFILE RUNS OUT | version');
