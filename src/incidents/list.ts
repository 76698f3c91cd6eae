// INC-6, INC-8: the incident list a caller may see, filtered in SQL by the incident scope.
import type { Deps } from '../platform/deps.ts';
import type { Actor } from '../access/authorize.ts';
import { listIncidents } from './store.ts';
import { scopeOf } from './workflow.ts';

export const INCIDENT_PAGE_SIZE = 50;

export async function incidentList(deps: Deps, actor: Actor, page: number) {
  return listIncidents(deps.db, scopeOf(actor), { limit: INCIDENT_PAGE_SIZE, offset: (page - 1) * INCIDENT_PAGE_SIZE });
}
