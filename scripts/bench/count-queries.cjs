// Preloaded (`node --require`) into the API and the floor server during a benchmark: counts the SQL
// statements the process sends through `pg` and answers the runner's 'bench:count' IPC message
// with the running total, so the runner can report statements per request. One increment per
// query and nothing at all between the runner's two questions; it changes nothing else.
const pg = require('pg');

if (process.send) {
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    count++;
    return query.apply(this, args);
  };
  process.on('message', (message) => {
    if (message === 'bench:count') process.send({ benchQueryCount: count });
  });
  // The channel must not keep the server alive when it shuts down.
  process.channel?.unref();
}
