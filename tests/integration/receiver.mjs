// A webhook receiver for kigen's integration tests and benchmark.  It checks
// every request with the reference Standard Webhooks verifier (the npm
// package `standardwebhooks`, installed into tests/node by scripts/deps.sh)
// and appends one JSON line per request to the log:
//   {n, id, ok, error, type, uid, lead_days, days_left, late, url, status, at}
// and for change events (milestone.changed / .gone) changes, source,
// status_now (the milestone's status) and gone.
// Options:
//   --port-file F   listen on 127.0.0.1, a free port, written to F
//   --log F         the request log (JSON lines)
//   --secret S      whsec_... to verify with
//   --fail-first N  answer 500 to the first N attempts of each webhook-id
//   --hang-first N  never answer the first N attempts of each webhook-id
//   --status CODE   answer CODE instead of 204 (e.g. 410)
//   --retry-after S add Retry-After: S to failure answers
//   --delay-ms MS   answer after MS milliseconds (a slow receiver)
//   --quiet         no log (benchmark): only counters, printed on SIGTERM
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { appendFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { Webhook } = require(new URL('../node/node_modules/standardwebhooks',
    import.meta.url).pathname);

const opt = { 'fail-first': '0', 'hang-first': '0', status: '204', 'delay-ms': '0' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
  if (a === '--quiet') opt.quiet = true;
  else opt[a.slice(2)] = process.argv[++i];
}
const wh = new Webhook(opt.secret);
const attempts = new Map();
const MAX_BODY = 1 << 20;
let n = 0, verified = 0, failed = 0;

const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const id = req.headers['webhook-id'] || '';
    const seen = (attempts.get(id) || 0) + 1;
    attempts.set(id, seen);
    const entry = { n: ++n, id, attempt: seen, at: Math.floor(Date.now() / 1000) };
    try {
      const msg = wh.verify(body, req.headers);
      entry.ok = true;
      entry.type = msg.type;
      if (msg.data && msg.data.milestone) {
        entry.uid = msg.data.milestone.uid;
        entry.due = msg.data.milestone.window_end;
        entry.lead_days = msg.data.lead_days;
        entry.days_left = msg.data.days_left;
        entry.late = msg.data.late;
        entry.url = msg.data.url;
        entry.changes = msg.data.changes;
        entry.source = msg.data.source;
        entry.status_now = msg.data.milestone.status;
        entry.gone = msg.data.milestone.gone;
      }
      verified++;
    } catch (e) {
      entry.ok = false;
      entry.error = String(e.message || e);
      failed++;
    }
    if (seen <= Number(opt['hang-first'])) {
      entry.status = 'hang';
      if (!opt.quiet) appendFileSync(opt.log, JSON.stringify(entry) + '\n');
      return; // never answered: the sender's timeout ends it
    }
    let status = Number(opt.status);
    if (seen <= Number(opt['fail-first'])) status = 500;
    if (!entry.ok) status = 401;
    entry.status = status;
    if (!opt.quiet) appendFileSync(opt.log, JSON.stringify(entry) + '\n');
    const headers = {};
    if (status >= 400 && opt['retry-after']) headers['retry-after'] = opt['retry-after'];
    const answer = () => {
      res.writeHead(status, headers);
      res.end(status === 204 ? undefined : JSON.stringify({ received: entry.ok }));
    };
    if (Number(opt['delay-ms']) > 0) setTimeout(answer, Number(opt['delay-ms']));
    else answer();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  writeFileSync(opt['port-file'], String(server.address().port));
});
process.on('SIGTERM', () => {
  if (opt.quiet) console.log(JSON.stringify({ requests: n, verified, failed }));
  process.exit(0);
});
