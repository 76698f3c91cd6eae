// Messages of single sign-on (OpenID Connect provider, clients, consent; SSO-1..3) (zh-TW default, en). English is typed against Chinese.
import { ssoAdminMessages } from './admin-messages.ts';

const zh = {
} as const;
const en: Record<keyof typeof zh, string> = {
};
export const ssoMessages = { zh: { ...zh, ...ssoAdminMessages.zh }, en: { ...en, ...ssoAdminMessages.en } };
