// SQLite's side of bench/run: the Debian `sqlite3` CLI imports the CSV;
// better-sqlite3 (bench/.peers/) is the native path and runs the queries.
// Prints JSON lines (common.mjs emit).
//
//   node sqlite_bench.mjs import DBFILE CSV        sqlite3 .import of the CSV (see LOAD_PRAGMAS), timed
//   node sqlite_bench.mjs append DBFILE CSV ROWS   parse ROWS rows (untimed), then one prepared
//                                                  INSERT run per row in one transaction
//   node sqlite_bench.mjs query  DBFILE NAME SQLFILE WARM_RUNS BUDGET OUT
//                                                  cold run, then warm runs (common.mjs runQuery)
//   node sqlite_bench.mjs version
//
// Schema: the table a historian would use in SQLite, clustered on (tag, ts)
// (WITHOUT ROWID, so no separate index), ts as INTEGER microseconds.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { emit, fail, readCsv, tsMicros, runQuery, seconds, cpuSeconds } from './common.mjs';

const require = createRequire(import.meta.url);
const peers = new URL('../.peers/node_modules/', import.meta.url).pathname;

const SCHEMA = `CREATE TABLE points (ts INTEGER NOT NULL, tag TEXT NOT NULL, value REAL, quality INTEGER,
  PRIMARY KEY (tag, ts)) WITHOUT ROWID;`;
// The CSV load: .import into a plain staging table (TEMP, so the main file
// holds only the final table), then one INSERT ... SELECT converting ts to
// microseconds and sorted by the primary key, so the clustered B-tree is
// built by appends (dense pages). Durability is off while loading
// (journal_mode=OFF, synchronous=OFF), as a bulk load into a fresh file
// would be done; a 1 GiB page cache and two sorter threads.
const LOAD_PRAGMAS = `PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-1048576;
PRAGMA threads=2;`;
const LOAD_DESCRIPTION = 'sqlite3 CLI: .import into a TEMP staging table, then INSERT INTO points SELECT ... ORDER BY tag, ts (journal_mode=OFF, synchronous=OFF, cache_size 1 GiB during the load)';

// Runs the sqlite3 CLI; with cpuFile, under /usr/bin/time writing its user
// and system CPU seconds there.
function sqlite3(dbfile, script, cpuFile) {
  const argv = ['sqlite3', '-bail', dbfile];
  const [cmd, ...args] = cpuFile ? ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, ...argv] : argv;
  // Temporary files (the TEMP staging table, the sorter) beside the database.
  const env = { ...process.env, SQLITE_TMPDIR: path.dirname(path.resolve(dbfile)) };
  const r = spawnSync(cmd, args, { input: script, encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (r.status !== 0) fail(`sqlite3 ${dbfile}: ${r.stderr || r.error}`);
  return r.stdout;
}

function importCsv(dbfile, csv) {
  sqlite3(dbfile, SCHEMA);
  const t0 = process.hrtime.bigint();
  const cpuFile = `${dbfile}.cpu`;
  sqlite3(dbfile, `${LOAD_PRAGMAS}
CREATE TEMP TABLE staging (ts TEXT, tag TEXT, value REAL, quality INTEGER);
.import --csv --skip 1 --schema temp ${csv} staging
INSERT INTO points SELECT unixepoch(ts) * 1000000, tag, value, quality FROM temp.staging ORDER BY tag, ts;
`, cpuFile);
  const s = seconds(t0);
  const cpu = fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  fs.unlinkSync(cpuFile);
  const n = Number(sqlite3(dbfile, 'SELECT count(*) FROM points;').trim());
  emit({ system: 'sqlite', metric: 'ingest_csv', path: LOAD_DESCRIPTION, rows: n, seconds: s, cpu_seconds: cpu[0] + cpu[1] });
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

async function query(dbfile, name, sqlFile, warmRuns, budget, out) {
  const Database = require(peers + 'better-sqlite3');
  const sql = fs.readFileSync(sqlFile, 'utf8');
  const t0 = process.hrtime.bigint();
  const db = new Database(dbfile, { readonly: true });
  const openSeconds = seconds(t0);
  await runQuery('sqlite', name, openSeconds, warmRuns, budget, out, async () => db.prepare(sql).raw(true).all());
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'import') importCsv(a[0], a[1]);
else if (cmd === 'append') await append(a[0], a[1], Number(a[2]));
else if (cmd === 'query') await query(a[0], a[1], a[2], Number(a[3]), Number(a[4]), a[5]);
else if (cmd === 'version') {
  const Database = require(peers + 'better-sqlite3');
  const v = new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get();
  console.log(`sqlite3 CLI ${sqlite3(':memory:', 'SELECT sqlite_version();').trim()}, better-sqlite3 (SQLite ${v})`);
} else fail('usage: import DB CSV | append DB CSV ROWS | query DB NAME SQLFILE WARM_RUNS BUDGET OUT | version');
