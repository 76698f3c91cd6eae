// Messages of the self-service profile pages (zh-TW default, en).
import { tenantMessages } from './tenant-messages.ts';
const zh = {
  'profile.edit': '基本資料維護',
  'profile.locked': '以下欄位無法自行修改',
  'profile.lockedNote': '機關、單位、姓名及身分證字號須經異動申請，由上一層管理者審核後修改。',
  'profile.free': '可自行修改的欄位',
  'profile.save': '儲存',
  'profile.saved': '基本資料已更新。',
  'profile.unchanged': '資料沒有變更。',
  'profile.field.address': '地址',
  'profile.field.officeExt': '分機號碼',
  'profile.field.fax': '傳真',
  'profile.field.staffCode': '人員代號',
  'profile.field.postalCode': '郵遞區號',
  'profile.field.birthMonth': '出生月',
  'profile.field.birthDay': '出生日',
  'profile.hint.mobile': '例：0912-345678（可不加連字號，或以 +886 開頭），儲存為 09xx-xxxxxx',
  'profile.hint.email': '請使用公務信箱（{domains}）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'profile.edit': 'Profile maintenance',
  'profile.locked': 'Fields you cannot change yourself',
  'profile.lockedNote': 'Organisation, unit, name and national ID change only through a change request approved by the administrator above you.',
  'profile.free': 'Fields you can change',
  'profile.save': 'Save',
  'profile.saved': 'Your profile has been updated.',
  'profile.unchanged': 'Nothing was changed.',
  'profile.field.address': 'Address',
  'profile.field.officeExt': 'Extension',
  'profile.field.fax': 'Fax',
  'profile.field.staffCode': 'Staff code',
  'profile.field.postalCode': 'Postal code',
  'profile.field.birthMonth': 'Birth month',
  'profile.field.birthDay': 'Birth day',
  'profile.hint.mobile': 'E.g. 0912-345678 (with or without the hyphen, or starting +886); stored as 09xx-xxxxxx',
  'profile.hint.email': 'Use your official e-mail ({domains})',
};

export const accountMessages = { zh: { ...zh, ...tenantMessages.zh }, en: { ...en, ...tenantMessages.en } };
