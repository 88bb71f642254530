// Turns the JSON lines bench/run collected into bench/results/RESULTS.md
// and bench/results/ratios.svg, and checks that every system's query
// results equal DuckDB's (printing MISMATCH on stdout and in the report when
// they do not).
//
//   node report.mjs RESULTS.JSONL OUT.md OUT.svg
//
// Ratios are always tslake / peer of the metric in the table: for times and
// bytes below 1 is better for tslake, for throughput above 1 is.
import fs from 'node:fs';
import path from 'node:path';

const [inFile, outMd, outSvg] = process.argv.slice(2);
const lines = fs.readFileSync(inFile, 'utf8').split('\n').filter((l) => l.trim());
const recs = lines.map((l, i) => {
  try { return JSON.parse(l); } catch { throw new Error(`${inFile} line ${i + 1}: not JSON: ${l.slice(0, 200)}`); }
});
const meta = Object.assign({}, ...recs.filter((r) => r.metric === 'meta'));
// The systems this run measured (--large runs tslake and DuckDB only).
const SYSTEMS = ['tslake', 'duckdb', 'sqlite', 'influxdb'].filter((s) => recs.some((r) => r.system === s));
const PEERS = SYSTEMS.slice(1);
const NAMES = { tslake: 'tslake', duckdb: 'DuckDB', sqlite: 'SQLite', influxdb: 'InfluxDB' };
const QUERIES = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11', 'q12', 'q13', 'q14'];
const QDESC = {
  q1: 'hourly avg/min/max per tag, all data', q2: 'hourly avg/min/max per tag, one day',
  q3: '1-hour RANGE rolling avg + stddev per tag, one day', q4: 'latest value per tag',
  q5: 'ASOF JOIN of two tags, one day', q6: 'distinct tags per day',
  q7: 'duplicate check: GROUP BY tag, ts HAVING count(*) > 1', q8: 'DISTINCT tag, ts (counted)',
  q9: 'count(DISTINCT value) per tag', q10: 'join with a 20-row equipment master, filtered, grouped',
  q11: 'ORDER BY value DESC, ts, tag LIMIT 10', q12: 'max of value - lag(value) per tag',
  q13: 'ASOF JOIN of two full tables (previous point per tag)', q14: 'equi-join of two full tables on (tag, ts)',
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 2) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(d));
const fmtRate = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} K` : x.toFixed(0));
const ratio = (a, b) => (a > 0 && b > 0 ? a / b : null);
const fmtRatio = (r) => (r === null ? 'n/a' : r >= 10 ? r.toFixed(1) : r.toFixed(2));
const chart = [];  // {group, label, ratio, higherIsBetter}
const mismatches = [];

let md = `# tslake benchmark results\n\n`;
md += `Produced by \`${meta.command}\` on ${meta.date}. Every figure below comes from that one run, all systems side by side on the same machine and the same data.\n\n`;
md += `- Machine: ${meta.cpu} (${meta.cores} cores), ${meta.memory} memory, ${meta.os}\n`;
md += `- Load: ${meta.load}\n`;
md += `- Versions: ${SYSTEMS.map((s) => `${NAMES[s]}: ${meta['version_' + s] || 'not run'}`).join('; ')}\n`;
md += `- Data: ${meta.dataset}\n`;
if (meta.cold) md += `- Query runs: ${meta.cold}\n`;
if (meta.total_seconds !== undefined) md += `- Wall time of the whole run: ${meta.total_seconds} s (${(meta.total_seconds / 60).toFixed(1)} min); by phase in [Run time by phase](#run-time-by-phase)\n`;
md += '\n';
md += `Ratios are tslake / peer. For times and bytes a ratio below 1 means tslake is faster or smaller; for throughput a ratio above 1 means tslake is faster. ${outSvg === '/dev/null' ? '' : `The chart is [${path.basename(outSvg)}](${path.basename(outSvg)}). `}Ingest tables also give CPU seconds (user + system of the loading process, all its threads): on a loaded shared machine wall time includes waiting for a core, and a multi-threaded system waits less than a single-threaded one.\n\n`;

function ingestTable(metric, title, short, note) {
  if (!recs.some((r) => r.metric === metric)) return;
  md += `## ${title}\n\n${note}\n\n| System | Path | Rows | Seconds | Rows/s | tslake/peer | CPU seconds | Rows per CPU second | tslake/peer (CPU) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n`;
  const by = {};
  for (const r of recs.filter((r) => r.metric === metric)) by[r.system] = r;
  const ts = by.tslake && by.tslake.rows / by.tslake.seconds;
  for (const s of SYSTEMS) {
    const r = by[s];
    if (!r) continue;
    if (r.status === 'unsupported') { md += `| ${NAMES[s]} | ${r.error} | | | unsupported | |\n`; continue; }
    const rate = r.rows / r.seconds;
    const q = s === 'tslake' ? null : ratio(ts, rate);
    if (q !== null) chart.push({ group: short, label: `vs ${NAMES[s]}`, ratio: q, higherIsBetter: true });
    const cpuRate = r.cpu_seconds ? r.rows / r.cpu_seconds : null;
    const tsCpu = by.tslake && by.tslake.cpu_seconds ? by.tslake.rows / by.tslake.cpu_seconds : null;
    const qc = s === 'tslake' || !cpuRate || !tsCpu ? null : tsCpu / cpuRate;
    md += `| ${NAMES[s]} | ${r.path || 'CSV'} | ${r.rows.toLocaleString('en-US')} | ${fmt(r.seconds)} | ${fmtRate(rate)} | ${s === 'tslake' ? '' : fmtRatio(q)} | ${r.cpu_seconds ? fmt(r.cpu_seconds) : 'n/a'} | ${cpuRate ? fmtRate(cpuRate) : 'n/a'} | ${s === 'tslake' ? '' : fmtRatio(qc)} |\n`;
  }
  md += '\n';
}
ingestTable('ingest_csv', 'Ingest from the CSV file', 'Ingest rows/s, CSV',
  'Each system loads the same CSV file into a fresh table: tslake `COPY points FROM ... (HEADER true)`, DuckDB `COPY ... FROM`, SQLite the `sqlite3` CLI (its path column says how). InfluxDB 1.x has no CSV import; its line-protocol load is in the next table. Time until the data is durable and queryable.');
ingestTable('ingest_native', 'Ingest through each system\'s fastest native path', 'Ingest rows/s, native',
  'Rows parsed from the same CSV into memory first (not timed), then appended: tslake\'s Appender (2048-row column batches, one durable flush), DuckDB\'s appender (2048-row data chunks, node-api), SQLite one prepared INSERT per row in one transaction (better-sqlite3), InfluxDB line protocol over HTTP (converted from the CSV while sending, inside the timing; the server\'s CPU time is not measured).');

{
  md += `## Bytes on disk per point\n\nThe databases loaded from the CSV (table above): everything the system keeps on disk for them (tslake: the database directory with segments, log and catalog; DuckDB: the file after CHECKPOINT; SQLite: the file; InfluxDB: data + WAL directories after the load and a full compaction). Bytes are the blocks allocated (\`du -B1\`); the apparent size (sum of file lengths) is beside them: InfluxDB preallocates sparse series files.\n\n| System | Bytes on disk | Apparent bytes | Points | Bytes/point | tslake/peer |\n|---|---:|---:|---:|---:|---:|\n`;
  const by = {};
  for (const r of recs.filter((r) => r.metric === 'size')) by[r.system] = r;
  const tb = by.tslake && by.tslake.bytes / by.tslake.points;
  for (const s of SYSTEMS) {
    const r = by[s];
    if (!r) continue;
    const bpp = r.bytes / r.points;
    const q = s === 'tslake' ? null : ratio(tb, bpp);
    if (q !== null) chart.push({ group: 'Bytes/point', label: `vs ${NAMES[s]}`, ratio: q, higherIsBetter: false });
    md += `| ${NAMES[s]}${r.note ? ` (${r.note})` : ''} | ${r.bytes.toLocaleString('en-US')} | ${(r.apparent || 0).toLocaleString('en-US')} | ${r.points.toLocaleString('en-US')} | ${bpp.toFixed(2)} | ${s === 'tslake' ? '' : fmtRatio(q)} |\n`;
  }
  md += '\n';
}

// Result checks: every system's rows against DuckDB's (sorted lines, cells
// equal as text or as numbers within a relative 1e-6).
function readRows(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length).sort();
}
function cellsEqual(a, b) {
  if (a === b) return true;
  const x = Number(a), y = Number(b);
  if (a === '' || b === '' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
}
function compare(refFile, file) {
  const a = readRows(refFile), b = readRows(file);
  if (a.length !== b.length) return `${b.length} rows, DuckDB has ${a.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i].split('\t'), y = b[i].split('\t');
    if (x.length !== y.length || !x.every((c, j) => cellsEqual(c, y[j]))) {
      return `sorted row ${i + 1}: "${b[i].slice(0, 120)}" vs DuckDB "${a[i].slice(0, 120)}"`;
    }
  }
  return null;
}

const qrecs = recs.filter((r) => r.metric === 'query');
function queryCell(s, q, mode) {
  let rs = qrecs.filter((r) => r.system === s && r.query === q && r.mode === mode);
  // No cold runs after a warm run that failed: the warm run's status says why.
  if (!rs.length && mode === 'cold') rs = qrecs.filter((r) => r.system === s && r.query === q && r.mode === 'warm' && r.status !== 'ok');
  if (!rs.length) return { text: 'not run' };
  const bad = rs.find((r) => r.status !== 'ok');
  if (bad) return { text: bad.status === 'unsupported' ? 'unsupported' : bad.status === 'timeout' ? `timeout (> ${bad.limit} s)` : 'error', why: bad.error };
  const times = rs.flatMap((r) => r.times);
  if (!times.length) {
    const cold = qrecs.find((r) => r.system === s && r.query === q && r.mode === 'cold' && r.status === 'ok');
    return { text: `not run (n=0: cold ${cold ? fmt(cold.times[0], 1) : '?'} s > half the ${rs[0].budget} s budget)`, result: rs[0].result };
  }
  const m = median(times);
  return { ms: m * 1000, text: `${fmt(m * 1000, 1)} ms (n=${times.length})`, result: rs[0].result };
}
const checks = {};
for (const q of QUERIES) {
  const ref = queryCell('duckdb', q, 'warm');
  for (const s of SYSTEMS) {
    const c = queryCell(s, q, 'warm');
    if (!c.result) { checks[s + q] = c.text === 'unsupported' ? 'unsupported' : c.text; continue; }
    if (!ref.result) { checks[s + q] = 'no DuckDB result to compare'; continue; }
    const diff = compare(ref.result, c.result);
    if (diff) {
      checks[s + q] = `**MISMATCH**: ${diff}`;
      mismatches.push(`${NAMES[s]} ${q}: ${diff}`);
    } else checks[s + q] = 'equal';
  }
}

for (const mode of qrecs.length ? ['warm', 'cold'] : []) {
  md += `## Queries, ${mode}\n\n`;
  md += mode === 'warm'
    ? 'Median time of the warm runs, in the process of the cold run (InfluxDB: the same server), which served as their warm-up; n is the number of warm runs (fewer than 3 when they did not fit the time budget named above). The time of the query alone, results fetched into the client.\n\n'
    : `The first run of a new process (InfluxDB: a restarted server), after dropping the OS page cache where permitted (${meta.drop_caches}); the time of the query alone, opening excluded. Its rows are the ones checked below.\n\n`;
  md += `| Query | ${SYSTEMS.map((s) => NAMES[s]).join(' | ')} | ${PEERS.map((p) => `tslake/${NAMES[p]}`).join(' | ')} |\n`;
  md += `|---|${SYSTEMS.map(() => '---:').join('|')}|${PEERS.map(() => '---:').join('|')}|\n`;
  for (const q of QUERIES) {
    const cells = Object.fromEntries(SYSTEMS.map((s) => [s, queryCell(s, q, mode)]));
    const rs = PEERS.map((p) => {
      const r = cells.tslake.ms && cells[p].ms ? cells.tslake.ms / cells[p].ms : null;
      if (r !== null) chart.push({ group: `${q} time, ${mode}`, label: `vs ${NAMES[p]}`, ratio: r, higherIsBetter: false });
      return fmtRatio(r);
    });
    md += `| ${q}: ${QDESC[q]} | ${SYSTEMS.map((s) => cells[s].text).join(' | ')} | ${rs.join(' | ')} |\n`;
  }
  md += '\n';
}

if (qrecs.length) md += `## Results checked against DuckDB\n\nEach system's result rows (sorted) against DuckDB's: text cells equal, numbers within a relative 1e-6.\n\n| Query | ${SYSTEMS.map((s) => NAMES[s]).join(' | ')} |\n|---|${SYSTEMS.map(() => '---').join('|')}|\n`;
for (const q of qrecs.length ? QUERIES : []) md += `| ${q} | ${SYSTEMS.map((s) => (s === 'duckdb' ? 'reference' : checks[s + q])).join(' | ')} |\n`;
if (qrecs.length) md += '\n';
const whys = [];
for (const s of SYSTEMS) for (const q of QUERIES) for (const mode of ['warm']) {
  const c = queryCell(s, q, mode);
  if (c.why) whys.push(`- ${NAMES[s]} ${q} (${c.text}): ${c.why.replace(/\s+/g, ' ').slice(0, 300)}`);
}
if (whys.length) md += `Why a query has no figure:\n\n${whys.join('\n')}\n\n`;
{
  const pis = recs.filter((r) => r.metric === 'pi_ingest');
  if (pis.length) {
    md += `## PI Web API streamsets JSON ingest\n\n| System | Path | Rows | Seconds | Rows/s | JSON MB/s | CPU seconds | Peak RSS |\n|---|---|---:|---:|---:|---:|---:|---:|\n`;
    for (const r of pis) {
      if (r.status) { md += `| ${NAMES[r.system]} | ${r.status}: ${r.error} | | | | | | |\n`; continue; }
      md += `| ${NAMES[r.system]} | ${r.path} | ${r.rows.toLocaleString('en-US')} | ${fmt(r.seconds)} | ${fmtRate(r.rows / r.seconds)} | ${fmt(r.json_bytes / 1e6 / r.seconds)} | ${fmt(r.cpu_seconds)} | ${(r.peak_rss_bytes / 1048576).toFixed(0)} MiB |\n`;
    }
    md += '\n';
  }
}
{
  const phases = recs.filter((r) => r.metric === 'phase');
  if (phases.length) {
    md += `## Run time by phase\n\nElapsed wall seconds of each phase of this run (build, installing peers and generating data included when they happened)${meta.total_seconds !== undefined ? `; ${meta.total_seconds} s in all` : ''}.\n\n| Phase | Seconds |\n|---|---:|\n`;
    for (const p of phases) md += `| ${p.name} | ${p.seconds} |\n`;
    md += '\n';
  }
}
if (meta.notes) md += `## Notes\n\n${meta.notes.split('|').map((n) => `- ${n}`).join('\n')}\n`;
fs.writeFileSync(outMd, md);

// The chart: one bar per (metric, peer), log scale around 1, green where
// tslake is better, red where it is worse.
{
  const W = 900, rowH = 18, left = 260, right = 80, top = 50;
  const H = top + chart.length * rowH + 40;
  const maxLog = Math.max(1, ...chart.map((c) => Math.abs(Math.log10(c.ratio))));
  const mid = left + (W - left - right) / 2;
  const scale = (W - left - right) / 2 / maxLog;
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">\n`;
  svg += `<text x="10" y="20" font-size="15" font-weight="bold">tslake / peer ratios (log scale; green = tslake better, red = worse)</text>\n`;
  svg += `<text x="10" y="38" fill="#555">${esc(meta.command)} — ${esc(meta.date)}</text>\n`;
  chart.forEach((c, i) => {
    const y = top + i * rowH;
    const l = Math.log10(c.ratio) * scale;
    const better = c.higherIsBetter ? c.ratio > 1 : c.ratio < 1;
    const x = l >= 0 ? mid : mid + l;
    svg += `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(c.group)} ${esc(c.label)}</text>\n`;
    svg += `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, Math.abs(l)).toFixed(1)}" height="${rowH - 6}" fill="${better ? '#2a9d55' : '#d04040'}"/>\n`;
    svg += `<text x="${(l >= 0 ? mid + l + 4 : mid + 4).toFixed(1)}" y="${y + 13}">${fmtRatio(c.ratio)}</text>\n`;
  });
  svg += `<line x1="${mid}" y1="${top - 4}" x2="${mid}" y2="${top + chart.length * rowH + 4}" stroke="#000"/>\n`;
  svg += `<text x="${mid}" y="${H - 14}" text-anchor="middle">1.0 (tslake = peer)</text>\n</svg>\n`;
  fs.writeFileSync(outSvg, svg);
}

for (const m of mismatches) console.log(`MISMATCH ${m}`);
console.log(`wrote ${outMd} and ${outSvg}${mismatches.length ? ` (${mismatches.length} MISMATCH)` : ''}`);
