// InfluxDB 1.x's side of bench/run, over its HTTP API on 127.0.0.1 (bench/run
// starts and stops influxd). Prints JSON lines (common.mjs emit).
//
//   node influx_bench.mjs write URL CSV ROWS [BATCH IN_FLIGHT]
//                                              line protocol converted from the CSV and
//                                              POSTed in BATCH-line requests (default 50,000),
//                                              IN_FLIGHT at once (default 4) (InfluxDB 1.x has
//                                              no CSV import; conversion is inside the timing)
//   node influx_bench.mjs query URL NAME QFILE WARM_RUNS BUDGET OUT
//                                              cold run, then warm runs (common.mjs runQuery)
//   node influx_bench.mjs version URL
//
// Schema: measurement `points`, tag key `tag`, fields value (float) and
// quality (integer), microsecond timestamps; database `bench`.
import fs from 'node:fs';
import { emit, fail, tsMicros, runQuery, seconds } from './common.mjs';


// Tag values escape commas, spaces and equals signs in line protocol.
const escapeTag = (s) => s.replace(/([ ,=])/g, '\\$1');

async function post(url, body) {
  const r = await fetch(`${url}/write?db=bench&precision=u`, { method: 'POST', body });
  if (r.status !== 204) fail(`write: HTTP ${r.status}: ${await r.text()}`);
}

async function write(url, csv, maxRows, BATCH, IN_FLIGHT) {
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
  // stays at a few batches however large the file. The file is read in 4 MB
  // blocks split into lines (readline's per-line cost was most of the
  // client's CPU). Rows at one timestamp are adjacent in the generated CSV:
  // each timestamp text is converted once, each tag escaped once; value and
  // quality are copied as written (the CSV's numbers are valid line-protocol
  // numbers).
  let header = true;
  let lastTsText = null, lastTs = 0;
  const tags = new Map();
  let rest = '';
  reading: for await (const block of fs.createReadStream(csv, { highWaterMark: 4 << 20, encoding: 'latin1' })) {
    const text = rest + block;
    const end = text.lastIndexOf('\n');
    rest = text.slice(end + 1);
    for (const line of text.slice(0, end).split('\n')) {
      if (header) { header = false; continue; }
      if (rows >= maxRows) break reading;
      const f = line.split(',');
      if (f.length !== 4) fail(`${csv} line ${rows + 2}: expected 4 fields, got ${f.length}`);
      if (f[0] !== lastTsText) { lastTsText = f[0]; lastTs = tsMicros(f[0]); }
      let key = tags.get(f[1]);
      if (key === undefined) { key = `points,tag=${escapeTag(f[1])} value=`; tags.set(f[1], key); }
      lines.push(`${key}${f[2]},quality=${f[3]}i ${lastTs}`);
      rows++;
      if (lines.length === BATCH) { await send(lines.join('\n')); lines = []; }
    }
  }
  if (rest.length && rows < maxRows) fail(`${csv}: the last line has no newline`);
  if (lines.length) await send(lines.join('\n'));
  await Promise.all(pending);
  emit({ system: 'influxdb', metric: 'ingest_native', path: `line protocol over HTTP (${BATCH.toLocaleString('en-US')}-line batches, ${IN_FLIGHT} in flight)`,
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

async function query(url, name, qfile, warmRuns, budget, out) {
  const q = fs.readFileSync(qfile, 'utf8').trim();
  await runQuery('influxdb', name, 0, warmRuns, budget, out, () => influxql(url, q));
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'write') await write(a[0], a[1], Number(a[2]), Number(a[3] || 50000), Number(a[4] || 4));
else if (cmd === 'query') await query(a[0], a[1], a[2], Number(a[3]), Number(a[4]), a[5]);
else if (cmd === 'version') {
  const r = await fetch(`${a[0]}/ping`);
  console.log(`InfluxDB ${r.headers.get('x-influxdb-version')}`);
} else fail('usage: write URL CSV ROWS | query URL NAME QFILE WARM_RUNS BUDGET OUT | version URL');
