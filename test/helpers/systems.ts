// Gives application systems an owning organisation (SSO-1) the way an operator does, through
// `tessera system owner`, so tests can make a subtree's administrators the systems' administrators.
import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { systemCommand } from '../../src/sso/systems/cli.ts';

export async function ownSystems(t: TestApp, ownerOid: string, codes: string[]): Promise<void> {
  for (const code of codes) {
    let err = '';
    assert.equal(await systemCommand(t.deps, 'owner', [code, ownerOid], { out: () => {}, err: (s) => { err += s; } }), 0, err);
  }
}
