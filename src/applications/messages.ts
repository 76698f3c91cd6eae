// Messages of self-service account application and one-time codes (REQ-1, AUTH-6) (zh-TW default, en). English is typed against Chinese.
const zh = {
} as const;
const en: Record<keyof typeof zh, string> = {
};
export const applicationMessages = { zh, en };
