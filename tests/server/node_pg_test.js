// tslake serve with node-postgres (`pg` from npm), which sends every query
// with parameters through the extended protocol (Parse/Bind/Describe/
// Execute/Sync): $n parameters, named statements reused across calls, a
// row limit per Execute (`rows`: PortalSuspended, then more Executes),
// binary results, SQLSTATE on errors, and the session still in step after
// an error in the middle of an extended exchange.
//   NODE_PATH=<dir holding pg> node node_pg_test.js PORT
const { Client, Query, types } = require('pg');

const port = Number(process.argv[2]);
function check(label, got, want) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) {
    console.log(`FAIL ${label}: got ${g}, want ${w}`);
    process.exit(1);
  }
}

(async () => {
  const c = new Client({ host: '127.0.0.1', port, user: 'node', database: 'plant' });
  await c.connect();
  await c.query('CREATE TABLE ev (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)');
  const ins = await c.query('INSERT INTO ev VALUES ($1, $2, $3, $4)', ['2024-01-01 00:00:00', 'a', 0.5, 1]);
  check('insert tag', [ins.command, ins.rowCount], ['INSERT', 1]);
  for (let i = 0; i < 9; i++) {
    await c.query({ name: 'ins', text: 'INSERT INTO ev VALUES ($1, $2, $3, $4)',
                    values: [`2024-01-01 00:00:0${i + 1}`, i % 2 ? 'a' : 'b', i * 1.5, i + 2] });
  }
  const r = await c.query('SELECT tag, count(*) AS n, sum(q) AS s FROM ev WHERE ts >= $1 GROUP BY tag ORDER BY tag',
                          ['2024-01-01 00:00:00']);
  check('grouped', r.rows, [{ tag: 'a', n: '5', s: '25' }, { tag: 'b', n: '5', s: '30' }]);
  check('field OIDs', r.fields.map((f) => f.dataTypeID), [25, 20, 20]);
  const t = await c.query('SELECT ts, v FROM ev WHERE q = $1', [3]);
  check('timestamp and double', [t.rows[0].ts.toISOString(), t.rows[0].v], ['2024-01-01T00:00:02.000Z', 1.5]);

  // A row limit per Execute: 10 rows fetched 3 at a time.
  const batches = [];
  const limited = c.query(new Query({ text: 'SELECT q FROM ev WHERE q > $1 ORDER BY q', values: [0], rows: 3 }));
  limited.on('row', (row) => batches.push(row.q));
  await new Promise((resolve, reject) => { limited.on('end', resolve); limited.on('error', reject); });
  check('rows across PortalSuspended', batches, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  // Binary results (node-pg hands binary values over as strings, so only
  // bytes below 0x80 survive: the values are chosen for that). Older
  // node-postgres (Debian 12's node-pg 8.8) writes Bind's result format
  // count (1) without the format code after it, a message PostgreSQL
  // rejects as well: there the binary check is skipped, saying so.
  const { serialize } = require('pg-protocol');
  const bindComplete = serialize.bind({ binary: true }).length === 15;  // 'B' len '' '' 0 0 1 1
  if (!bindComplete) {
    console.log('binary results skipped: this node-postgres sends Bind without the result format code');
  } else {
    for (const oid of [20, 23, 701, 1114, 16, 1082]) types.setTypeParser(oid, 'binary', (b) => Buffer.from(b, 'latin1').toString('hex'));
    const bin = await c.query({
      text: "SELECT q, q::BIGINT AS b, 2.0::DOUBLE AS d, TIMESTAMP '2000-01-01 00:00:01' AS ts, true AS t, DATE '2000-01-02' AS day FROM ev WHERE q = $1",
      values: [5], binary: true });
    check('binary', bin.rows[0], { q: '00000005', b: '0000000000000005', d: '4000000000000000',
                                   ts: '00000000000f4240', t: '01', day: '00000001' });
  }

  // Errors in the extended protocol carry SQLSTATE; the session goes on.
  for (const [sql, value, code] of [['SELECT * FROM nope WHERE 1 = $1', '1', '42P01'],
                                    ['SELECT nope FROM ev WHERE q = $1', '1', '42703'],
                                    ['SELECT * FROM ev WHERE q = $1', 'x', '22P02']]) {
    try {
      await c.query(sql, [value]);
      console.log(`FAIL ${sql}: no error`);
      process.exit(1);
    } catch (e) {
      check(sql, e.code, code);
    }
  }
  const after = await c.query('SELECT count(*) AS n FROM ev WHERE q > $1', [0]);
  check('after errors', after.rows, [{ n: '10' }]);
  try {
    await c.query('SELECT 1; SELECT 2 WHERE 1 = $1', [1]);
    console.log('FAIL: two statements prepared');
    process.exit(1);
  } catch (e) {
    check('multi-statement prepare', e.code, '42601');
  }
  await c.end();
  console.log('node-postgres tests passed');
})().catch((e) => { console.log('FAIL', e); process.exit(1); });
