// Messages of the administration API (zh-TW default, en). Kept apart from the page catalog
// because JSON answers need only these few; the English catalog is typed against the Chinese one.
import type { Lang } from '../platform/web/messages.ts';

const zh = {
  'api.unauthorized': '需要有效的 API 權杖（Authorization: Bearer <權杖>）；權杖可能已過期、已撤銷，或帳號未啟用。',
  'api.invalidInput': '輸入資料有誤：{fields}。',
  'api.invalidOid': '單位 OID 格式不正確。',
} as const;
export type ApiMessageKey = keyof typeof zh;

const en: Record<ApiMessageKey, string> = {
  'api.unauthorized': 'A valid API token is required (Authorization: Bearer <token>); the token may have expired or been revoked, or the account is not enabled.',
  'api.invalidInput': 'Some input is not valid: {fields}.',
  'api.invalidOid': 'The unit OID is not valid.',
};

export function apiMessage(lang: Lang, key: ApiMessageKey, vars: Record<string, string> = {}): string {
  const text = (lang === 'en' ? en : zh)[key];
  return text.replace(/\{(\w+)\}/g, (m, name) => vars[name] ?? m);
}
