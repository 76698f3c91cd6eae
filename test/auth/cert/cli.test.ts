// AUTH-8: `tessera cert trust add|list|remove` manages the trusted certificate authorities as
// the page does: G2 and G3 (one subject DN) are told apart by key identifier; a non-CA is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCliHere, migratedCliEnv } from '../../helpers/cli.ts';
import { makeHierarchy, makeCitizen } from '../../helpers/pki.ts';

test('AUTH-8: tessera cert trust add (PEM and DER), list shows G2 and G3 by key id, remove; a citizen certificate is not a CA', async () => {
  const h = await makeHierarchy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-'));
  const env = await migratedCliEnv({});
  try {
    fs.writeFileSync(path.join(dir, 'root.pem'), h.root.pem);
    fs.writeFileSync(path.join(dir, 'g2.cer'), h.g2.der);
    fs.writeFileSync(path.join(dir, 'g3.pem'), h.g3.pem);
    fs.writeFileSync(path.join(dir, 'user.pem'), (await makeCitizen(h.g3, { name: '林建國' })).pem);
    const root = await runCliHere(env, 'cert', 'trust', 'add', path.join(dir, 'root.pem'), '--label', 'GRCA');
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /\tanchor\t/);
    assert.equal((await runCliHere(env, 'cert', 'trust', 'add', path.join(dir, 'g2.cer'), '--label', 'MOICA G2')).code, 0);
    const g3 = await runCliHere(env, 'cert', 'trust', 'add', path.join(dir, 'g3.pem'), '--label', 'MOICA G3', '--crl-url', 'http://127.0.0.1:9/g3.crl');
    assert.equal(g3.code, 0, g3.stderr);
    const dup = await runCliHere(env, 'cert', 'trust', 'add', path.join(dir, 'g3.pem'));
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already trusted/);
    const notCa = await runCliHere(env, 'cert', 'trust', 'add', path.join(dir, 'user.pem'));
    assert.equal(notCa.code, 1);
    assert.match(notCa.stderr, /not a certificate authority/);
    const list = await runCliHere(env, 'cert', 'trust', 'list');
    assert.equal(list.code, 0);
    const lines = list.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines.map((l) => [l[1], l[4]]), [['anchor', 'GRCA'], ['intermediate', 'MOICA G2'], ['intermediate', 'MOICA G3']]);
    assert.equal(lines[1][5], lines[2][5], 'G2 and G3 share a subject DN');
    assert.notEqual(lines[1][2], lines[2][2], '… and differ by key identifier');
    assert.equal((await runCliHere(env, 'cert', 'trust', 'remove', lines[1][0])).code, 0);
    assert.equal((await runCliHere(env, 'cert', 'trust', 'list')).stdout.trim().split('\n').length, 2);
    assert.equal((await runCliHere(env, 'cert', 'trust', 'remove', lines[1][0])).code, 1);
    assert.equal((await runCliHere(env, 'cert', 'trust')).code, 2);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
