#!/usr/bin/env node
// Fills the expected results of sqllogictest files from DuckDB, so the
// golden files hold DuckDB's real answers rather than tslake's.
//
//   mkdir -p /tmp/duckdb-peer && (cd /tmp/duckdb-peer && npm install @duckdb/node-api)
//   DUCKDB_NODE_DIR=/tmp/duckdb-peer node tests/sql/tools/duckdb_expected.js [--check] FILE.test...
//
// Each file runs in a fresh in-memory DuckDB, record by record:
// - `statement ok`: must succeed in DuckDB (else a warning);
// - `statement error`: must fail in DuckDB (else a warning); the expected
//   substring is kept, DuckDB's message is printed for reference;
// - `query`: its expected block is replaced by DuckDB's rows, formatted as
//   sqllogictest values (NULL, (empty), tab-separated); a column-count
//   mismatch with the type letters is a warning.
// A record directly below a comment line `# tslake-only` is left exactly as
// written and not run in DuckDB: time travel, DESCRIBE HISTORY, tslake's
// error wording. `restart`/`load`/`mode`/`halt` are ignored (DuckDB keeps one
// in-memory database, which is what a restart must preserve anyway).
// With --check nothing is written; a difference is reported and the exit
// status is 1. Not needed to run the tests: sql_test_runner reads the files.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');

const nodeDir = process.env.DUCKDB_NODE_DIR || '/tmp/duckdb-peer';
const { DuckDBInstance } = createRequire(path.join(nodeDir, 'package.json'))('@duckdb/node-api');

function dataDir(testFile) {
  let dir = path.dirname(path.resolve(testFile));
  while (dir !== path.dirname(dir)) {
    if (path.basename(dir) === 'sql' && path.basename(path.dirname(dir)) === 'tests') {
      return path.join(dir, 'data');
    }
    dir = path.dirname(dir);
  }
  return path.join(path.dirname(path.resolve(testFile)), 'data');
}

function format(value) {
  if (value === null || value === undefined) return 'NULL';
  const text = value.toString();
  return text === '' ? '(empty)' : text;
}

// Splits lines into records: {start, end, lines, tslakeOnly}; `start` is the
// directive's index, `end` one past the record's last line.
function records(lines) {
  const out = [];
  let i = 0;
  let tslakeOnly = false;
  while (i < lines.length) {
    const t = lines[i].trim();
    if (t === '') { tslakeOnly = false; i++; continue; }
    if (t.startsWith('#')) { if (t === '# tslake-only') tslakeOnly = true; i++; continue; }
    const start = i;
    while (i < lines.length && lines[i].trim() !== '') i++;
    out.push({ start, end: i, tslakeOnly });
    tslakeOnly = false;
  }
  return out;
}

async function processFile(file, check) {
  const original = fs.readFileSync(file, 'utf8');
  const lines = original.split('\n');
  const testDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb_expected_'));
  const subst = (s) => s.split('__TEST_DIR__').join(testDir).split('{DATA_DIR}').join(dataDir(file));
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const replacements = [];  // [start, end, newLines]
  let problems = 0;
  const warn = (line, msg) => { console.error(`${file}:${line + 1}: ${msg}`); problems++; };

  for (const r of records(lines)) {
    const words = lines[r.start].trim().split(/\s+/);
    if (r.tslakeOnly || !['statement', 'query'].includes(words[0])) continue;
    const body = lines.slice(r.start + 1, r.end);
    const dash = body.findIndex((l) => l.trim() === '----');
    const sql = subst((dash < 0 ? body : body.slice(0, dash)).join('\n'));
    let result = null;
    let error = null;
    try {
      result = await con.runAndReadAll(sql);
    } catch (e) {
      error = e.message;
    }
    if (words[0] === 'statement') {
      if (words[1] === 'ok' && error) warn(r.start, `DuckDB fails a 'statement ok': ${error}`);
      if (words[1] === 'error') {
        if (!error) warn(r.start, `DuckDB accepts a 'statement error'`);
        else console.error(`${file}:${r.start + 1}: (DuckDB says: ${error.split('\n')[0]})`);
      }
      continue;
    }
    if (error) { warn(r.start, `DuckDB fails the query: ${error}`); continue; }
    const types = words[1];
    if (result.columnCount !== types.length) {
      warn(r.start, `${types.length} type letters but DuckDB returns ${result.columnCount} columns`);
    }
    // The node client prints a TIMESTAMP WITH TIME ZONE in UTC; DuckDB's
    // shell (and tslake) print it in the session's TimeZone, as its VARCHAR
    // cast does, so such cells are formatted by DuckDB itself.
    const columnTypes = result.columnTypes();
    const rawRows = result.getRows();
    for (const row of rawRows) {
      for (let c = 0; c < row.length; c++) {
        if (row[c] === null || columnTypes[c].typeId !== 31 /* TIMESTAMP_TZ */) continue;
        const text = await con.runAndReadAll(
          `SELECT ('epoch'::TIMESTAMPTZ + to_microseconds(${row[c].micros}::BIGINT))::VARCHAR`);
        row[c] = text.getRows()[0][0];
      }
    }
    // A LIST cell prints as DuckDB's VARCHAR cast does ([a, 'b,c'], [1.0]:
    // its sqllogictest form and its shell's), not as the node client's
    // toString: the query runs again with every column cast to VARCHAR
    // (its rows in the same order: an unordered multi-row result with a
    // list column would not be reproducible anyway).
    const listColumns = columnTypes.map((t, c) => (t.typeId === 24 /* LIST */ ? c : -1)).filter((c) => c >= 0);
    if (listColumns.length > 0) {
      const inner = sql.trim().replace(/;+\s*$/, '');
      const text = (await con.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM (${inner})`)).getRows();
      rawRows.forEach((row, i) => { for (const c of listColumns) if (row[c] !== null) row[c] = text[i][c]; });
    }
    const rows = rawRows.map((row) => row.map(format).join('\t'));
    const header = lines.slice(r.start, r.start + 1 + (dash < 0 ? body.length : dash));
    replacements.push([r.start, r.end, [...header, '----', ...rows]]);
  }
  fs.rmSync(testDir, { recursive: true, force: true });

  let out = lines.slice();
  for (const [start, end, repl] of replacements.reverse()) out.splice(start, end - start, ...repl);
  const updated = out.join('\n');
  if (updated !== original) {
    if (check) { console.error(`${file}: expected results differ from DuckDB's`); problems++; }
    else { fs.writeFileSync(file, updated); console.error(`${file}: updated`); }
  }
  return problems;
}

(async () => {
  const args = process.argv.slice(2);
  const check = args[0] === '--check';
  const files = check ? args.slice(1) : args;
  if (files.length === 0) {
    console.error('usage: duckdb_expected.js [--check] FILE.test...');
    process.exit(2);
  }
  let problems = 0;
  for (const f of files) problems += await processFile(f, check);
  process.exit(problems > 0 ? 1 : 0);
})();
