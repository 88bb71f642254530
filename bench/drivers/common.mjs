// Helpers shared by the bench/run drivers (duckdb_bench.mjs,
// sqlite_bench.mjs, influx_bench.mjs): the CSV reader, the canonical text
// of a result cell and the JSON line each measurement is printed as.
// Single-threaded programs; nothing here is shared between processes.
import fs from 'node:fs';
import readline from 'node:readline';

// Prints one measurement as a JSON line on stdout (bench/run collects them).
export function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

export function fail(msg) {
  process.stderr.write(`${process.argv[1]}: ${msg}\n`);
  process.exit(1);
}

// Calls onRow(ts, tag, value, quality) for the first maxRows data rows of the
// generated CSV (ts,tag,value,quality; no quoting).
export async function readCsv(path, maxRows, onRow) {
  const rl = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
  let n = -1;
  for await (const line of rl) {
    if (n++ < 0) continue;  // header
    if (n > maxRows) break;
    const f = line.split(',');
    if (f.length !== 4) fail(`${path} line ${n + 1}: expected 4 fields, got ${f.length}`);
    onRow(f[0], f[1], Number(f[2]), Number(f[3]));
  }
  rl.close();
}

// '2024-01-01 00:00:00' (UTC) -> microseconds since the epoch.
export function tsMicros(text) {
  return Date.parse(text.replace(' ', 'T') + 'Z') * 1000;
}

// Canonical text of one cell, the same in every driver (tslake_bench.cc
// too): NULL, numbers as JavaScript prints them, timestamps as
// 'YYYY-MM-DD HH:MM:SS', strings unchanged. report.mjs compares numbers with
// a tolerance, so the exact digits do not matter.
export function cell(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
  let s = String(v);
  if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.0+)?Z?$/.test(s)) s = s.replace('T', ' ').slice(0, 19);
  return s;
}

export function writeResult(path, rows) {
  fs.writeFileSync(path, rows.map((r) => r.map(cell).join('\t')).join('\n') + (rows.length ? '\n' : ''));
}

export function seconds(startNs) {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

// The query protocol of every driver (tslake_bench.cc too): in a new
// process, after bench/run dropped the page cache, the first run is the cold
// run; warm runs follow in the same process (the cold run is their warm-up)
// while fewer than warmRuns were done and cold + warm so far + the last
// run's time stays within budget seconds. So a query whose cold run takes
// more than budget / 2 gets no warm run (n=0 in the report), and a process
// never runs much longer than max(cold, budget). Returns {cold, warm, rows}
// with the rows of the cold run.
export async function coldWarmRuns(warmRuns, budget, fn) {
  let t0 = process.hrtime.bigint();
  const rows = await fn();
  const cold = seconds(t0);
  const warm = [];
  let total = cold, last = cold;
  while (warm.length < warmRuns && total + last <= budget) {
    t0 = process.hrtime.bigint();
    await fn();
    last = seconds(t0);
    warm.push(last);
    total += last;
  }
  return { cold, warm, rows };
}

// Runs a query by the protocol above and prints its two records (mode cold
// and warm), or one error record; the cold run's rows go to `out`.
export async function runQuery(system, name, openSeconds, warmRuns, budget, out, fn) {
  let r;
  try {
    r = await coldWarmRuns(warmRuns, budget, fn);
  } catch (e) {
    emit({ system, metric: 'query', query: name, status: 'error', error: String(e.message) });
    return;
  }
  writeResult(out, r.rows);
  const base = { system, metric: 'query', query: name, status: 'ok', open_seconds: openSeconds, rows: r.rows.length, result: out };
  emit({ ...base, mode: 'cold', times: [r.cold] });
  emit({ ...base, mode: 'warm', times: r.warm, budget });
}

// User + system CPU seconds of this process (all threads) since `from`
// (a process.cpuUsage() value).
export function cpuSeconds(from) {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}
