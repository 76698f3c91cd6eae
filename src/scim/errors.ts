// SSO-6: the SCIM error (RFC 7644 §3.12): an HTTP status, an optional scimType and a detail. Pure;
// the SCIM routes answer it in the SCIM error schema with application/scim+json.
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath'
  | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export class ScimError extends Error {
  constructor(readonly status: number, readonly scimType: ScimType | undefined, readonly detail: string) { super(detail); }
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const scimNotFound = () => new ScimError(404, undefined, 'Resource not found');
