// Every action the audit trail records (GOV-1). `audit()` accepts only these, so a new action
// cannot be written without a name on the audit page (governance/messages.ts, `audit.action.*`):
// the page shows names, never these codes (issue 9 item 18).
export const AUDIT_ACTIONS = [
  'account.activate', 'account.activation.resend', 'account.application.erase', 'account.approve', 'account.bootstrap',
  'account.create', 'account.delete', 'account.disable', 'account.import', 'account.move', 'account.oneDayPassword',
  'account.password.reset', 'account.profile.update', 'account.state', 'account.unlock', 'account.update', 'account.usageRules.accept',
  'admin_grant.create', 'admin_grant.revoke', 'admin_grant.transfer',
  'announcement.create', 'announcement.delete', 'announcement.update',
  'api_token.create', 'api_token.revoke',
  'audit.purge',
  'campaign.define', 'campaign.start', 'campaign.decide', 'campaign.signoff', 'campaign.execute', 'campaign.attest',
  'application.cancel', 'application.contact.start', 'application.otp.resend', 'application.otp.verify', 'application.start', 'application.submit',
  'auth.login.otp', 'auth.login.passkey', 'auth.login.password', 'auth.logout', 'auth.logout.everywhere', 'auth.password.change', 'auth.password.reset', 'auth.password.reset.request',
  'auth.passkey.register', 'auth.passkey.remove', 'auth.passkey.rename',
  'incident.authority.set', 'incident.contacts.add', 'incident.contacts.remove', 'incident.contacts.confirm',
  'incident.draft', 'incident.report', 'incident.phone', 'incident.backfill', 'incident.level', 'incident.review', 'incident.centre', 'incident.support', 'incident.escalate',
  'incident.contain', 'incident.closure', 'incident.closure.review', 'incident.investigation', 'incident.profiles', 'incident.ciNotice', 'incident.drill',
  'auth.login.certificate', 'auth.certificate.register', 'auth.certificate.remove', 'auth.certificate.trust.add', 'auth.certificate.trust.remove', 'auth.certificate.crl', 'auth.certificate.expiryReminder',
  'org.create', 'org.import', 'org.move', 'policy.set', 'policy.usageRules.publish',
  'request.decide', 'request.execute', 'request.submit', 'request.withdraw',
  'role.assign', 'role.remove', 'role.set',
  'system.owner', 'system.applyScope.set', 'system.scimToken.create', 'system.scimToken.revoke',
  'system.role.create', 'system.role.delete', 'system.scimPush.set', 'system.scimPush.remove',
  'sso.client.create', 'sso.client.secret', 'sso.client.update', 'sso.consent', 'sso.consent.revoke', 'sso.keys.rotate', 'sso.login', 'sso.logout',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The areas the action select groups by: an action's first segment. */
export const AUDIT_AREAS = ['auth', 'account', 'role', 'admin_grant', 'api_token', 'application', 'request', 'org', 'policy', 'sso', 'system', 'announcement', 'audit', 'campaign', 'incident'] as const;
export type AuditArea = (typeof AUDIT_AREAS)[number];
export const areaOf = (a: AuditAction): AuditArea => a.split('.')[0] as AuditArea;

export const isAuditAction = (s: string): s is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(s);
