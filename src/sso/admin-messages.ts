// Messages of the single-sign-on administration pages (zh-TW default, en). English is typed against Chinese.
const zh = {
} as const;
const en: Record<keyof typeof zh, string> = {
};
export const ssoAdminMessages = { zh, en };
