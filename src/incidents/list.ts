// INC-6, INC-8: the incident list a caller may see, filtered in SQL by the incident scope.
import type { Deps } from '../platform/deps.ts';
import type { Actor } from '../access/authorize.ts';
import { listIncidents, systemNames } from './store.ts';
import { orgName } from './authority-store.ts';
import { scopeOf } from './workflow.ts';

export const INCIDENT_PAGE_SIZE = 50;

export async function incidentList(deps: Deps, actor: Actor, page: number) {
  return listIncidents(deps.db, scopeOf(actor), { limit: INCIDENT_PAGE_SIZE, offset: (page - 1) * INCIDENT_PAGE_SIZE });
}

/** What the report form offers: the agencies the caller reports for, and the registry's systems (INC-2). */
export async function reportChoices(deps: Deps, actor: Actor, lang: 'zh-TW' | 'en') {
  const oids = [...new Set((actor.incidentRoles ?? []).filter((r) => r.role === 'security_contact').map((r) => r.orgOid))];
  const agencies = (await Promise.all(oids.map((o) => orgName(deps.db, o)))).filter((o): o is NonNullable<typeof o> => !!o).map((o) => ({ oid: o.oid, name: o.name }));
  const systems = (await systemNames(deps.db)).map((s) => ({ code: s.code, name: lang === 'en' ? s.name_en : s.name_zh }));
  return { agencies, systems };
}
