// GOV-1 (issue 15): signed audit checkpoints published outside the database — to a syslog receiver
// (RFC 5424 over UDP, and over TCP with octet counting) and POSTed as JSON to an external URL, retried
// when the receiver fails, and never holding the sealer up when it hangs. The receivers are real
// sockets in the test; what they receive verifies with the public key alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { startTestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signedIn } from '../helpers/login.ts';
import { sealAndSign } from '../../src/platform/audit-sealer.ts';
import { signatureValid, type CheckpointLine } from '../../src/platform/audit-checkpoint.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`); await new Promise((r) => setTimeout(r, 20)); }
};

/** The RFC 5424 fields of a syslog line and the checkpoint it carries. */
function parseSyslog(msg: string): { pri: number; version: string; app: string; msgid: string; checkpoint: CheckpointLine } {
  const m = /^<(\d+)>(1) (\S+) (\S+) (\S+) (\S+) (\S+) (-) (\{.*\})$/s.exec(msg);
  assert.ok(m, `an RFC 5424 line: ${msg.slice(0, 200)}`);
  return { pri: Number(m[1]), version: m[2], app: m[5], msgid: m[7], checkpoint: JSON.parse(m[9]) };
}

const verifies = (c: CheckpointLine) => signatureValid({ ...c, signedAt: new Date(c.signedAt) }, c.publicKey);

test('GOV-1 issue 15: each signed checkpoint goes to a syslog receiver over UDP (RFC 5424) and is POSTed to TESSERA_AUDIT_CHECKPOINT_URL, retried until accepted', async () => {
  const udp = dgram.createSocket('udp4');
  const datagrams: string[] = [];
  udp.on('message', (b) => datagrams.push(b.toString('utf8')));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  let refuse = 2;
  const posted: { status: number; body: string; type: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const status = refuse-- > 0 ? 503 : 201;
      posted.push({ status, body, type: String(req.headers['content-type']) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const t = await startTestApp({ env: {
    TESSERA_AUDIT_CHECKPOINT_SYSLOG: `udp://127.0.0.1:${(udp.address() as net.AddressInfo).port}`,
    TESSERA_AUDIT_CHECKPOINT_URL: `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/checkpoints`,
  } });
  try {
    await createAccount(t.deps, { username: 'publisheduser', password: 'Correct-Horse-9' });
    await signedIn(t, 'publisheduser', 'Correct-Horse-9');
    const r = await sealAndSign(t.deps, 'test');
    assert.ok(r.checkpoint);
    await until(() => datagrams.length >= 1, 3000, 'datagram');
    const s = parseSyslog(datagrams[0]);
    assert.equal(s.pri, 110, 'facility 13 (log audit), severity 6');
    assert.equal(s.msgid, 'audit-checkpoint');
    assert.equal(s.checkpoint.chainSeq, r.checkpoint.chainSeq);
    assert.equal(s.checkpoint.headHash, r.checkpoint.headHash);
    assert.ok(verifies(s.checkpoint), 'the syslog copy verifies with its public key');
    // Two refusals (503), then accepted: three POSTs of the same checkpoint, back-off between them.
    await until(() => posted.some((p) => p.status === 201), 5000, 'accepted POST');
    assert.deepEqual(posted.map((p) => p.status), [503, 503, 201]);
    assert.equal(posted[2].type, 'application/json');
    const body = JSON.parse(posted[2].body) as CheckpointLine;
    assert.equal(body.chainSeq, r.checkpoint.chainSeq);
    assert.ok(verifies(body), 'the posted copy verifies with its public key');
    // A tampered copy does not.
    assert.equal(verifies({ ...body, chainSeq: body.chainSeq + 1 }), false);
  } finally {
    await t.close(); udp.close(); receiver.close();
  }
});

test('GOV-1 issue 15: a syslog receiver over TCP gets octet-counted frames; a URL that never answers does not hold sealing up', async () => {
  const frames: string[] = [];
  const tcp = net.createServer((s) => { let buf = ''; s.on('data', (d) => { buf += d; }); s.on('end', () => frames.push(buf)); });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const hung: http.ServerResponse[] = [];
  const silent = http.createServer((_req, res) => { hung.push(res); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const t = await startTestApp({ env: {
    TESSERA_AUDIT_CHECKPOINT_SYSLOG: `tcp://127.0.0.1:${(tcp.address() as net.AddressInfo).port}`,
    TESSERA_AUDIT_CHECKPOINT_URL: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`,
  } });
  try {
    await signedIn(t, 'centraladmin', 'Tessera-Bridge-42');
    const started = Date.now();
    const r = await sealAndSign(t.deps, 'test');
    assert.ok(r.checkpoint);
    assert.ok(Date.now() - started < 1000, `sealing took ${Date.now() - started} ms with a hung receiver`);
    await until(() => frames.length >= 1, 3000, 'TCP frame');
    const m = /^(\d+) (.*)$/s.exec(frames[0]);
    assert.ok(m, 'octet counting: "LEN SP MSG"');
    assert.equal(Number(m[1]), Buffer.byteLength(m[2]));
    const s = parseSyslog(m[2]);
    assert.equal(s.checkpoint.headHash, r.checkpoint.headHash);
    assert.ok(verifies(s.checkpoint));
    await until(() => hung.length >= 1, 3000, 'POST');
  } finally {
    await t.close(); tcp.close(); for (const h of hung) h.destroy(); silent.closeAllConnections(); silent.close();
  }
});

test('GOV-1 OPS-2 issue 15: a malformed checkpoint target is refused at start, naming the variable', () => {
  for (const [name, value] of [['TESSERA_AUDIT_CHECKPOINT_SYSLOG', 'syslog.example.gov.tw:514'], ['TESSERA_AUDIT_CHECKPOINT_SYSLOG', 'udp://host'], ['TESSERA_AUDIT_CHECKPOINT_URL', 'ftp://x/y']]) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', [name]: value }), (e: Error) => e instanceof ConfigError && e.message.startsWith(name));
  }
  assert.deepEqual(loadConfig({ NODE_ENV: 'test', TESSERA_AUDIT_CHECKPOINT_SYSLOG: 'tcp://[::1]:6514' }).auditCheckpointSyslog, { protocol: 'tcp', host: '::1', port: 6514 });
});
