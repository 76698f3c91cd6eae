// Messages of the request engine, review queue and history (REQ-2..5) (zh-TW default, en). English is typed against Chinese.
const zh = {
} as const;
const en: Record<keyof typeof zh, string> = {
};
export const requestMessages = { zh, en };
