// Preloaded (`node --require`) into the API and the floor server during a benchmark: counts the SQL
// statements the process sends through `pg` and writes the running total to BENCH_QUERY_COUNT_FILE
// every 100 ms, so the runner can report statements per request. One increment per query; it
// changes nothing else.
const { writeFileSync } = require('node:fs');
const pg = require('pg');

const file = process.env.BENCH_QUERY_COUNT_FILE;
if (file) {
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    count++;
    return query.apply(this, args);
  };
  let written = -1;
  const timer = setInterval(() => {
    if (count === written) return;
    written = count;
    writeFileSync(file, String(count));
  }, 100);
  timer.unref();
}
