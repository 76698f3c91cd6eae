// Messages of SCIM provisioning (SSO-6) (zh-TW default, en). English is typed against Chinese.
const zh = {
  'scim.token.badOid': '管轄範圍起始 OID 格式不正確。',
  'scim.token.outside': '這個範圍不在您可設定此系統角色的管轄範圍內。',
  'scim.token.badDays': '有效天數須為 1 到 366 的整數。',
} as const;

const en: Record<keyof typeof zh, string> = {
  'scim.token.badOid': 'The jurisdiction OID is not valid.',
  'scim.token.outside': 'This subtree is outside the jurisdiction in which you may grant this system\'s roles.',
  'scim.token.badDays': 'The validity must be a whole number of days from 1 to 366.',
};

export const scimMessages = { zh, en };
