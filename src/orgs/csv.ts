// Pure CSV row rules for the organisation registry (ORG-2): columns, validation, line numbers.
import { isValidOid } from './oid.ts';

export const ORG_CSV_COLUMNS = ['oid', 'name', 'agency_code', 'tenant_code', 'kind'] as const;
export const ORG_KINDS = ['agency', 'unit', 'school', 'other'] as const;

export interface OrgRow { oid: string; name: string; agency_code: string | null; tenant_code: string | null; kind: string }

export type OrgFieldError = 'orgs.invalidOid' | 'orgs.nameRequired' | 'orgs.invalidKind' | 'orgs.invalidAgencyCode' | 'orgs.invalidTenantCode' | 'orgs.duplicateInFile';

/** Validates one organisation; the same rules serve the CSV import and the add form. */
export function validateOrgRow(raw: Record<string, string | undefined>): { row?: OrgRow; errors: OrgFieldError[] } {
  const errors: OrgFieldError[] = [];
  const oid = (raw.oid ?? '').trim();
  const name = (raw.name ?? '').trim();
  const agency = (raw.agency_code ?? '').trim().toUpperCase() || null;
  const tenant = (raw.tenant_code ?? '').trim() || null;
  const kind = (raw.kind ?? '').trim() || 'agency';
  if (!isValidOid(oid)) errors.push('orgs.invalidOid');
  if (name === '' || name.length > 200) errors.push('orgs.nameRequired');
  if (!(ORG_KINDS as readonly string[]).includes(kind)) errors.push('orgs.invalidKind');
  if (agency !== null && !/^[0-9A-Z]{8,12}$/.test(agency)) errors.push('orgs.invalidAgencyCode');
  if (tenant !== null && !/^[0-9A-Za-z]{3,12}$/.test(tenant)) errors.push('orgs.invalidTenantCode');
  return errors.length ? { errors } : { row: { oid, name, agency_code: agency, tenant_code: tenant, kind }, errors };
}
