// SSO-6 (issue 13): the rest of SCIM. externalId per (system, account), unique per system; the
// roles created through SCIM Group POST (whose subtree owns them); outbound push targets (a
// system's SCIM endpoint, its bearer secret encrypted with the keyring, its last sync and
// failures) and what was pushed to each (the receiver's ids, the roles it was told of).
// Push rows are written into the outbox by triggers in the transaction of every change to a
// person or a role membership, whichever use case made it (admin pages and API, SCIM, self-service,
// requests, campaigns, jobs): one row per (target, person), delivered in order per person.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('scim_external_ids')
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onDelete('cascade'))
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_external_ids_pk', ['system_code', 'account_id'])
    .addUniqueConstraint('scim_external_ids_unique', ['system_code', 'external_id'])
    .execute();

  await db.schema.createTable('scim_roles')
    .addColumn('role_code', 'text', (c) => c.primaryKey().references('roles.code').onDelete('cascade'))
    .addColumn('system_code', 'text', (c) => c.notNull())
    .addColumn('owner_oid', 'text', (c) => c.notNull())
    .addColumn('token_id', 'bigint')
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.createTable('scim_push_targets')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onDelete('cascade'))
    .addColumn('jurisdiction_oid', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('scim_push_targets_unique', ['system_code', 'jurisdiction_oid'])
    .execute();

  await db.schema.createTable('scim_push_links')
    .addColumn('target_id', 'integer', (c) => c.notNull().references('scim_push_targets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('user', 'group')`))
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addPrimaryKeyConstraint('scim_push_links_pk', ['target_id', 'kind', 'local_id'])
    .execute();

  await sql`ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check`.execute(db);
  await sql`ALTER TABLE outbox ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('mail', 'sms', 'backchannel', 'scim'))`.execute(db);
  // Order per person: a push row waits while an earlier one of the same subject is unsent.
  await sql`CREATE INDEX outbox_scim_order ON outbox (subject, id) WHERE channel = 'scim' AND sent_at IS NULL`.execute(db);

  // Due at once whatever the application's clock says ('-infinity'); created_at is the database's time.
  await sql`CREATE FUNCTION scim_push_enqueue(target integer, account bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO outbox (channel, recipient, subject, body_text, body_html, created_at, next_attempt_at)
    VALUES ('scim', target::text, 'scim:' || target || ':user:' || account, json_build_object('account', account)::text, NULL, now(), '-infinity')
  $$`.execute(db);
  await sql`CREATE FUNCTION scim_push_within(unit text, root text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT unit = root OR starts_with(unit, root || '.')
  $$`.execute(db);

  await sql`CREATE FUNCTION scim_push_account() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM scim_push_enqueue(t.id, NEW.id) FROM scim_push_targets t
    WHERE t.enabled AND (scim_push_within(NEW.unit_oid, t.jurisdiction_oid)
      OR (TG_OP = 'UPDATE' AND scim_push_within(OLD.unit_oid, t.jurisdiction_oid)));
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE TRIGGER scim_push_account_insert AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION scim_push_account()`.execute(db);
  // Only what a SCIM User shows: a sign-in (last login times) pushes nothing.
  await sql`CREATE TRIGGER scim_push_account_update AFTER UPDATE ON accounts FOR EACH ROW
    WHEN ((OLD.username, OLD.name, OLD.state, OLD.email, OLD.mobile, OLD.title, OLD.department, OLD.office_phone, OLD.staff_code, OLD.unit_oid)
      IS DISTINCT FROM (NEW.username, NEW.name, NEW.state, NEW.email, NEW.mobile, NEW.title, NEW.department, NEW.office_phone, NEW.staff_code, NEW.unit_oid))
    EXECUTE FUNCTION scim_push_account()`.execute(db);

  await sql`CREATE FUNCTION scim_push_role_grant() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE g role_grants;
  BEGIN
    IF TG_OP = 'DELETE' THEN g := OLD; ELSE g := NEW; END IF;
    PERFORM scim_push_enqueue(t.id, a.id) FROM scim_push_targets t
      JOIN roles r ON r.system_code = t.system_code AND r.code = g.role_code
      JOIN accounts a ON a.id = g.account_id
    WHERE t.enabled AND a.state <> 'deleted' AND scim_push_within(a.unit_oid, t.jurisdiction_oid);
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE TRIGGER scim_push_role_grant AFTER INSERT OR DELETE ON role_grants FOR EACH ROW EXECUTE FUNCTION scim_push_role_grant()`.execute(db);

  // A role deleted (SCIM Group DELETE): its group goes at every receiver that was told of it.
  await sql`CREATE FUNCTION scim_push_role_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO outbox (channel, recipient, subject, body_text, body_html, created_at, next_attempt_at)
    SELECT 'scim', t.id::text, 'scim:' || t.id || ':group:' || OLD.code, json_build_object('deletedGroup', OLD.code)::text, NULL, now(), '-infinity'
    FROM scim_push_targets t WHERE t.enabled AND t.system_code = OLD.system_code;
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE TRIGGER scim_push_role_delete AFTER DELETE ON roles FOR EACH ROW EXECUTE FUNCTION scim_push_role_delete()`.execute(db);
}
