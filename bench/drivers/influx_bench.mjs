// InfluxDB 1.x's side of bench/run, over its HTTP API on 127.0.0.1 (bench/run
// starts and stops influxd). Prints JSON lines (common.mjs emit).
//
//   node influx_bench.mjs write URL CSV ROWS   line protocol converted from the CSV and
//                                              POSTed in 10,000-line batches, two in flight
//                                              (InfluxDB 1.x has no CSV import; conversion
//                                              is inside the timing)
//   node influx_bench.mjs query URL NAME QFILE RUNS OUT
//   node influx_bench.mjs version URL
//
// Schema: measurement `points`, tag key `tag`, fields value (float) and
// quality (integer), microsecond timestamps; database `bench`.
import fs from 'node:fs';
import readline from 'node:readline';
import { emit, fail, tsMicros, writeResult, timeRuns, seconds } from './common.mjs';

const BATCH = 10000;
const IN_FLIGHT = 2;

// Tag values escape commas, spaces and equals signs in line protocol.
const escapeTag = (s) => s.replace(/([ ,=])/g, '\\$1');

async function post(url, body) {
  const r = await fetch(`${url}/write?db=bench&precision=u`, { method: 'POST', body });
  if (r.status !== 204) fail(`write: HTTP ${r.status}: ${await r.text()}`);
}

async function write(url, csv, maxRows) {
  const created = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: 'CREATE DATABASE bench' }) });
  if (!created.ok) fail(`CREATE DATABASE: HTTP ${created.status}`);
  const t0 = process.hrtime.bigint();
  let lines = [];
  let rows = 0;
  const pending = new Set();
  const send = async (body) => {
    const p = post(url, body).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
  };
  // Stream: a full batch is sent before more of the CSV is read, so memory
  // stays at a few batches however large the file.
  const rl = readline.createInterface({ input: fs.createReadStream(csv), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) { header = false; continue; }
    if (rows >= maxRows) break;
    const f = line.split(',');
    if (f.length !== 4) fail(`${csv} line ${rows + 2}: expected 4 fields, got ${f.length}`);
    lines.push(`points,tag=${escapeTag(f[1])} value=${Number(f[2])},quality=${Number(f[3])}i ${tsMicros(f[0])}`);
    rows++;
    if (lines.length === BATCH) { await send(lines.join('\n')); lines = []; }
  }
  rl.close();
  if (lines.length) await send(lines.join('\n'));
  await Promise.all(pending);
  emit({ system: 'influxdb', metric: 'ingest_native', path: 'line protocol over HTTP (10,000-line batches, 2 in flight)',
         rows, seconds: seconds(t0) });
}

async function influxql(url, q) {
  const r = await fetch(`${url}/query?db=bench&epoch=u`, { method: 'POST', body: new URLSearchParams({ q }) });
  const body = await r.json();
  const res = body.results && body.results[0];
  if (!r.ok || body.error || (res && res.error)) throw new Error(body.error || (res && res.error) || `HTTP ${r.status}`);
  const rows = [];
  for (const s of (res.series || [])) {
    const tag = s.tags ? [s.tags.tag] : [];
    for (const v of s.values) {
      const ts = new Date(v[0] / 1000);
      rows.push([...tag, ts, ...v.slice(1)]);
    }
  }
  return rows;
}

async function query(url, name, qfile, runs, out) {
  const q = fs.readFileSync(qfile, 'utf8').trim();
  let r;
  try {
    r = await timeRuns(runs, () => influxql(url, q));
  } catch (e) {
    emit({ system: 'influxdb', metric: 'query', query: name, status: 'error', error: String(e.message) });
    return;
  }
  writeResult(out, r.rows);
  emit({ system: 'influxdb', metric: 'query', query: name, status: 'ok', open_seconds: 0, times: r.times,
         rows: r.rows.length, result: out });
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'write') await write(a[0], a[1], Number(a[2]));
else if (cmd === 'query') await query(a[0], a[1], a[2], Number(a[3]), a[4]);
else if (cmd === 'version') {
  const r = await fetch(`${a[0]}/ping`);
  console.log(`InfluxDB ${r.headers.get('x-influxdb-version')}`);
} else fail('usage: write URL CSV ROWS | query URL NAME QFILE RUNS OUT | version URL');
