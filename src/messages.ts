// The full message catalog (OPS-5), assembled at the composition root: the platform's messages and
// every capability's, in Traditional Chinese (default) and English. The English catalog is typed
// against the Chinese one, so a missing translation fails type-checking. Capabilities take the
// translator from here; their own message files import only platform types (Lang), so no cycle.
import { platformMessages, catalogTranslator, type MessageKey } from './platform/web/messages.ts';
import { orgMessages } from './orgs/messages.ts';
import { auditMessages } from './governance/messages.ts';
import { accountMessages } from './accounts/messages.ts';
import { adminMessages } from './admin/messages.ts';
import { ssoMessages } from './sso/messages.ts';
import { portalMessages } from './portal/messages.ts';
import { requestMessages } from './requests/messages.ts';
import { applyMessages } from './requests/apply/messages.ts';
import { inactivityMessages } from './governance/inactivity/messages.ts';
import { jobMessages } from './governance/jobs/messages.ts';
import { dashboardMessages } from './governance/dashboard/messages.ts';
import { usageRuleMessages } from './governance/usage-rules/messages.ts';
import { campaignMessages } from './governance/campaigns/messages.ts';
import { attestMessages } from './governance/attest/messages.ts';
import { passkeyMessages } from './auth/passkey-messages.ts';
import { scimMessages } from './scim/messages.ts';
import { incidentMessages } from './incidents/messages.ts';
import { certMessages } from './auth/cert/messages.ts';

export { LANGS, type Lang, type MessageKey, type Translate } from './platform/web/messages.ts';

export const zh = { ...platformMessages.zh, ...orgMessages.zh, ...auditMessages.zh, ...accountMessages.zh, ...adminMessages.zh, ...ssoMessages.zh, ...portalMessages.zh, ...requestMessages.zh, ...applyMessages.zh, ...inactivityMessages.zh, ...jobMessages.zh, ...dashboardMessages.zh, ...usageRuleMessages.zh, ...passkeyMessages.zh, ...scimMessages.zh, ...certMessages.zh, ...campaignMessages.zh, ...attestMessages.zh, ...incidentMessages.zh } as const;

// Every capability's keys join the platform's MessageCatalog, so `t(key)` anywhere checks them.
type CapabilityKey = Exclude<keyof typeof zh, keyof typeof platformMessages.zh>;
declare module './platform/web/messages.ts' {
  interface MessageCatalog extends Record<CapabilityKey, string> {}
}

export const en: Record<MessageKey, string> = { ...platformMessages.en, ...orgMessages.en, ...auditMessages.en, ...accountMessages.en, ...adminMessages.en, ...ssoMessages.en, ...portalMessages.en, ...requestMessages.en, ...applyMessages.en, ...inactivityMessages.en, ...jobMessages.en, ...dashboardMessages.en, ...usageRuleMessages.en, ...passkeyMessages.en, ...scimMessages.en, ...certMessages.en, ...campaignMessages.en, ...attestMessages.en, ...incidentMessages.en };

export const translator = catalogTranslator({ zh, en });

/** Messages produced by rules are keys; this tells a key from free text. */
export const isMessageKey = (s: string): s is MessageKey => s in zh;
