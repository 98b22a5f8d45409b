#!/usr/bin/env node
// Offline verification of a Prompt Vault audit export (JSON Lines), with no build and no dependencies:
//
//   npm run audit:verify -- <export.jsonl> [--public-key <pem file or URL>]
//
// Recomputes every event's hash exactly as the server does (backend/src/modules/audit/audit-chain.ts;
// the algorithm is documented in docs/compliance.md and the integration tests check both agree),
// checks personal data against its commitment (hash version 2), the chain (prevHash links, seq continuity, or the signed retention checkpoint at the
// start), the manifest (count, first/last seq, lastHash) and the Ed25519 signatures. Every problem
// names its line. Exit code 0 when everything holds, 1 otherwise (2 on usage errors).
// With a URL, the key is fetched with `Authorization: Bearer $PV_TOKEN` and
// `X-Organization-Id: $PV_ORGANIZATION_ID` when those are set (GET /api/v1/audit-events/public-key).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth (by UTF-16 code units, as JavaScript sorts). */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * sha256(prevHash + canonical JSON of the event's fields), hex, for one export line. Version 1
 * (no `hashVersion`, exports taken before the GDPR change) hashes the e-mail, IP and user agent in
 * clear; version 2 hashes their commitment `personalHash` instead (see `personalHash` below).
 */
export function eventHash(organizationId, e) {
  const common = {
    organizationId,
    seq: e.seq,
    occurredAt: e.occurredAt,
    actorType: e.actor?.type,
    actorId: e.actor?.id ?? null,
    action: e.action,
    targetType: e.target?.type,
    targetId: e.target?.id ?? null,
    requestId: e.requestId ?? null,
    changes: e.changes ?? null,
  };
  const fields =
    (e.hashVersion ?? 1) === 1
      ? { ...common, actorEmail: e.actor?.email ?? null, ip: e.ip ?? null, userAgent: e.userAgent ?? null }
      : { ...common, hashVersion: e.hashVersion, personalHash: e.personalHash ?? null };
  return createHash('sha256').update(e.prevHash).update(canonicalJson(fields)).digest('hex');
}

/** Version 2: sha256(personalSalt + canonical JSON of {actorEmail, ip, userAgent}), hex. */
export function personalHash(e) {
  const personal = { actorEmail: e.actor?.email ?? null, ip: e.ip ?? null, userAgent: e.userAgent ?? null };
  return createHash('sha256').update(e.personalSalt).update(canonicalJson(personal)).digest('hex');
}

/**
 * The personal fields of a version-2 line against their commitment: held (salt present) they
 * must match it; erased (no salt) they must be absent; none at all means no commitment.
 */
function personalProblem(e) {
  if ((e.hashVersion ?? 1) === 1) return null;
  const shown = e.actor?.email != null || e.ip != null || e.userAgent != null;
  if (typeof e.personalSalt === 'string') {
    return personalHash(e) === e.personalHash
      ? null
      : 'personal data (e-mail, ip, user agent) does not match personalHash';
  }
  if (shown) return 'personal data shown without the salt of its commitment';
  return null;
}

function checkSignature(publicKey, object, signature) {
  try {
    return verify(
      null,
      Buffer.from(JSON.stringify(object), 'utf8'),
      publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * Verifies the text of an export. Returns `{ ok, problems: [{ line, message }], summary }`;
 * `publicKey` (a KeyObject) is optional: without it signatures are reported as unchecked.
 */
export function verifyExport(text, publicKey) {
  const problems = [];
  const notes = [];
  const fail = (line, message) => problems.push({ line, message });
  const rawLines = text.split('\n');
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  const lines = [];
  rawLines.forEach((raw, i) => {
    try {
      lines.push({ n: i + 1, value: JSON.parse(raw) });
    } catch {
      fail(i + 1, 'is not valid JSON');
      lines.push({ n: i + 1, value: null });
    }
  });
  const last = lines[lines.length - 1];
  const manifestLine =
    last?.value && typeof last.value === 'object' && 'manifest' in last.value ? last : null;
  if (!manifestLine) {
    fail(
      lines.length || 1,
      'the last line is not the signed manifest {manifest, signature} (file truncated?)',
    );
    return { ok: false, problems, notes };
  }
  const { manifest, signature } = manifestLine.value;
  if (!manifest || typeof manifest !== 'object' || typeof manifest.organizationId !== 'string') {
    fail(manifestLine.n, 'the manifest has no organizationId');
    return { ok: false, problems, notes };
  }
  if (!publicKey) notes.push('signatures NOT checked (pass --public-key)');
  else if (typeof signature !== 'string' || !checkSignature(publicKey, manifest, signature))
    fail(manifestLine.n, 'the manifest signature does not verify with this public key');

  const organizationId = manifest.organizationId;
  const redacted = new Set(Array.isArray(manifest.redactedSeqs) ? manifest.redactedSeqs : []);
  let body = lines.slice(0, -1);
  let checkpoint = null;
  if (body[0]?.value && typeof body[0].value === 'object' && 'checkpoint' in body[0].value) {
    const cp = body[0];
    checkpoint = cp.value.checkpoint;
    if (!checkpoint || checkpoint.organizationId !== organizationId || !Number.isSafeInteger(checkpoint.seq))
      fail(cp.n, 'the checkpoint is malformed or belongs to another organization');
    else if (publicKey && !checkSignature(publicKey, checkpoint, cp.value.signature))
      fail(cp.n, 'the checkpoint signature does not verify with this public key');
    body = body.slice(1);
  }
  const events = body.filter((l) => l.value !== null);
  const contiguous =
    manifest.count === 0 || manifest.count === (manifest.lastSeq ?? 0) - (manifest.firstSeq ?? 0) + 1;
  if (!contiguous) notes.push('filtered export: links are checked between consecutive seqs only');

  let previous = null;
  let erased = 0;
  for (const { n, value: e } of events) {
    if (typeof e !== 'object' || 'manifest' in e || 'checkpoint' in e) {
      fail(n, 'a manifest or checkpoint line where an event was expected');
      continue;
    }
    if (!Number.isSafeInteger(e.seq) || typeof e.hash !== 'string' || typeof e.prevHash !== 'string') {
      fail(n, 'the event has no integer seq, hash and prevHash');
      continue;
    }
    const where = `(seq ${e.seq})`;
    if (previous) {
      if (e.seq <= previous.seq)
        fail(n, `${where} does not follow seq ${previous.seq} of line ${previous.n}`);
      else if (e.seq === previous.seq + 1) {
        if (e.prevHash !== previous.hash)
          fail(n, `${where} prevHash is not the hash of seq ${previous.seq} on line ${previous.n}`);
      } else if (contiguous)
        fail(
          n,
          `${where} follows seq ${previous.seq} of line ${previous.n}: ${e.seq - previous.seq - 1} event(s) missing`,
        );
    } else if (e.seq === 1 && e.prevHash !== GENESIS_HASH) {
      fail(n, `${where} is the first event of the chain but its prevHash is not the genesis hash`);
    } else if (checkpoint && e.seq === checkpoint.seq + 1 && e.prevHash !== checkpoint.hash) {
      fail(n, `${where} prevHash is not the hash of the retention checkpoint (seq ${checkpoint.seq})`);
    }
    if (redacted.has(e.seq)) {
      // Changes withheld from the exporter: the link is checked, the content cannot be.
    } else if (eventHash(organizationId, e) !== e.hash) {
      fail(n, `${where} hash does not match the event's content`);
    }
    const personal = personalProblem(e);
    if (personal) fail(n, `${where} ${personal}`);
    else if ((e.hashVersion ?? 1) !== 1 && e.personalHash && typeof e.personalSalt !== 'string') erased++;
    previous = { seq: e.seq, hash: e.hash, n };
  }
  if (erased)
    notes.push(
      `${erased} event(s) with erased personal data: their commitment is hashed, the values are gone`,
    );
  if (redacted.size) notes.push(`${redacted.size} redacted event(s): content not checked, links checked`);

  const first = events[0]?.value;
  const lastEvent = events[events.length - 1]?.value;
  const expect = (field, actual) => {
    if (manifest[field] !== actual)
      fail(
        manifestLine.n,
        `manifest ${field} is ${JSON.stringify(manifest[field])}, the file has ${JSON.stringify(actual)}`,
      );
  };
  expect('count', events.length);
  expect('firstSeq', first?.seq ?? null);
  expect('lastSeq', lastEvent?.seq ?? null);
  expect('lastHash', lastEvent?.hash ?? null);
  return {
    ok: problems.length === 0,
    problems,
    notes,
    summary: { organizationId, events: events.length, checkpointSeq: checkpoint?.seq ?? null },
  };
}

async function loadPublicKey(source) {
  let text;
  if (/^https?:\/\//.test(source)) {
    const headers = {};
    if (process.env.PV_TOKEN) headers.Authorization = `Bearer ${process.env.PV_TOKEN}`;
    if (process.env.PV_ORGANIZATION_ID) headers['X-Organization-Id'] = process.env.PV_ORGANIZATION_ID;
    const res = await fetch(source, { headers });
    if (!res.ok) throw new Error(`GET ${source}: HTTP ${res.status}`);
    text = await res.text();
  } else text = readFileSync(source, 'utf8');
  if (text.trim().startsWith('{')) text = JSON.parse(text).publicKey;
  return createPublicKey(text);
}

async function main(argv) {
  const args = [...argv];
  let keySource = null;
  const k = args.indexOf('--public-key');
  if (k !== -1) {
    keySource = args[k + 1];
    args.splice(k, 2);
  }
  if (args.length !== 1 || (k !== -1 && !keySource)) {
    console.error('usage: npm run audit:verify -- <export.jsonl> [--public-key <pem file or URL>]');
    return 2;
  }
  let publicKey;
  try {
    publicKey = keySource ? await loadPublicKey(keySource) : undefined;
  } catch (err) {
    console.error(`cannot read the public key: ${err.message}`);
    return 2;
  }
  let text;
  try {
    text = readFileSync(args[0], 'utf8');
  } catch (err) {
    console.error(`cannot read ${args[0]}: ${err.message}`);
    return 2;
  }
  const result = verifyExport(text, publicKey);
  for (const p of result.problems) console.log(`line ${p.line}: ${p.message}`);
  for (const note of result.notes) console.log(`note: ${note}`);
  if (result.ok) {
    const { events, organizationId, checkpointSeq } = result.summary;
    console.log(
      `OK: ${events} event(s) of organization ${organizationId} verified` +
        (checkpointSeq !== null ? ` (after retention checkpoint seq ${checkpointSeq})` : ''),
    );
    return 0;
  }
  console.log(`FAILED: ${result.problems.length} problem(s)`);
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('audit-verify.mjs')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
