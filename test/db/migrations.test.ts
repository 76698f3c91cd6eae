// Forward migrations on a database that already holds data (OPS: migrations run at start).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb, migrator, migrate } from '../../src/db/index.ts';
import { freshPgDatabase } from '../helpers/app.ts';

test('SSO-1 REQ-1 issue 9 item 14: migration 012 keeps systems registered before it open where they were (everyone), the school systems to the schools', async () => {
  const pg = process.env.TESSERA_TEST_PG_URL;
  const db = await openDb({ databaseUrl: pg ? await freshPgDatabase(pg) : undefined });
  try {
    const r = await migrator(db).migrateTo('010_applications');
    assert.equal(r.error, undefined);
    await db.insertInto('application_systems').values([
      { code: 'oldsys', name_zh: '既有系統', name_en: 'Existing', category: 'old', flags: '{}' },
      { code: 'oldshs', name_zh: '既有學校系統', name_en: 'Existing school', category: 'shs', flags: '{}' },
    ]).execute();
    assert.ok((await migrate(db)).includes('012_system_apply_scope'));
    const rows = await db.selectFrom('system_apply_scope').selectAll().orderBy('system_code').execute();
    assert.deepEqual(rows, [{ system_code: 'oldshs', subtree_oid: '2.16.886.111' }, { system_code: 'oldsys', subtree_oid: '2.16.886' }]);
  } finally { await db.destroy(); }
});

test('OPS-2 issue 15: landed migrations are immutable: each matches its line in CHECKSUMS.txt, and every migration is listed and registered', async () => {
  const { compare, migrationFiles } = await import('../../scripts/migrations-checksum.ts');
  const { changed, missing, unlisted } = compare();
  assert.deepEqual(changed, [], 'a landed migration was edited: restore it and put the change in a new migration');
  assert.deepEqual(missing, [], 'a landed migration was removed');
  assert.deepEqual(unlisted, [], 'a new migration: run node --import tsx scripts/migrations-checksum.ts');
  const db = await openDb({});
  try {
    const registered = (await migrator(db).getMigrations()).map((m) => `${m.name}.ts`);
    assert.deepEqual(registered, migrationFiles(), 'src/db/index.ts registers every file in src/db/migrations, in order');
  } finally { await db.destroy(); }
});
