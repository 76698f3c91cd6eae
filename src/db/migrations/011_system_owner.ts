// Every application system has an owning organisation (SSO-1, ADM-2): its client, secrets, consent
// report and announcements are managed by administrators whose jurisdiction covers the owner (and
// whose categories cover the system). Like a grant's jurisdiction it is an OID without a foreign
// key: the national root (2.16.886) owns the platform-wide systems and is not a registered node;
// moving an organisation rebases it (src/orgs/service.ts). Existing systems, which were managed by
// category alone, become platform-wide: none of them can be reached from a subtree until the
// central authority hands it to an owner.
import { type Kysely } from 'kysely';

const NATIONAL_ROOT = '2.16.886';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('application_systems')
    .addColumn('owner_oid', 'text', (c) => c.notNull().defaultTo(NATIONAL_ROOT))
    .execute();
}
