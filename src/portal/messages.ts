// Messages of the portal home and announcements (SSO-4, SSO-5, ACC-6) (zh-TW default, en). English is typed against Chinese.
const zh = {
} as const;
const en: Record<keyof typeof zh, string> = {
};
export const portalMessages = { zh, en };
