// INC-9: the default profile, Taiwan's 資通安全事件通報及應變辦法 and seed 004 (國家資通安全通報應變作業綱要), as data.
import type { DeadlineProfile } from '../types.ts';

const H = 60;
const MONTH = 30 * 24 * H; // nominal; `offsetMonths` is what counts

/* The clocks of INC-2..INC-5 (INC-6 timers). Figures the seed and the regulation do not give are
   choices written in docs/decisions.md ("Incident clocks"): the technical centre's re-review
   (8 h / 2 h like the review), the CISO/IT-chief backstop (15 min), the phone back-fill (24 h) and
   the closure report's review (8 h / 2 h like the report's). */
export const TW_CS: DeadlineProfile = {
  id: 'tw-cs',
  name: { 'zh-TW': '資通安全事件通報及應變辦法', en: 'Taiwan Cyber Security Incident Notification and Response Regulations' },
  source: {
    'zh-TW': '資通安全事件通報及應變辦法；國家資通安全通報應變作業綱要 第 3 章、第 4 章',
    en: 'Regulations on Cyber Security Incident Notification and Response; National Cyber Security Incident Notification and Response Guidelines, chapters 3–4',
  },
  rules: [
    {
      id: 'report',
      label: { 'zh-TW': '知悉後 1 小時內通報', en: 'Report within 1 hour of awareness' },
      anchor: ['aware'], offsetMinutes: 1 * H,
      metBy: ['reported', 'phone_reported'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
    {
      id: 'backfill',
      label: { 'zh-TW': '電話通報後 24 小時內至通報應變網站補登錄', en: 'Back-fill a phone report on the platform within 24 hours' },
      anchor: ['phone_reported'], offsetMinutes: 24 * H,
      metBy: ['backfilled'],
      responsible: 'security_contact', escalateTo: ['technical_centre', 'competent_authority'],
    },
    {
      id: 'review',
      label: { 'zh-TW': '主管機關審核（1、2 級 8 小時；3、4 級 2 小時）', en: 'Competent authority review (levels 1–2: 8 hours; levels 3–4: 2 hours)' },
      anchor: ['reported', 'phone_reported'], offsetMinutes: 8 * H, byLevel: { 3: 2 * H, 4: 2 * H },
      metBy: ['reviewed', 'centre_direct_review'],
      responsible: 'competent_authority', escalateTo: ['technical_centre'],
    },
    {
      id: 'centre-review',
      label: { 'zh-TW': '技術服務中心複核（1、2 級 8 小時；3、4 級 2 小時）', en: 'Technical centre re-review (levels 1–2: 8 hours; levels 3–4: 2 hours)' },
      anchor: ['reviewed', 'centre_direct_review'], offsetMinutes: 8 * H, byLevel: { 3: 2 * H, 4: 2 * H },
      metBy: ['centre_reviewed', 'centre_direct_review'],
      responsible: 'technical_centre', escalateTo: ['national_office'],
    },
    {
      id: 'forward',
      label: { 'zh-TW': '3、4 級審核結果 1 小時內轉知', en: 'Forward a level 3–4 result within 1 hour' },
      anchor: ['reviewed', 'centre_reviewed', 'centre_direct_review'], offsetMinutes: 1 * H,
      levels: [3, 4], startsAtLevel: true,
      metBy: ['forwarded'],
      responsible: 'technical_centre', escalateTo: ['national_office'],
    },
    {
      id: 'notify-ciso',
      label: { 'zh-TW': '3、4 級立即通知主管機關資安長及資訊主管', en: 'Notify the competent authority’s CISO and IT chief at once (levels 3–4)' },
      anchor: ['reported', 'phone_reported'], offsetMinutes: 15,
      levels: [3, 4], startsAtLevel: true,
      metBy: ['notified'],
      responsible: 'technical_centre', escalateTo: ['national_office'],
    },
    {
      id: 'support',
      label: { 'zh-TW': '複核後派員支援（3、4 級 1 小時；1、2 級 2 小時）', en: 'Dispatch support after the re-review (levels 3–4: 1 hour; levels 1–2: 2 hours)' },
      anchor: ['centre_reviewed', 'centre_direct_review'], offsetMinutes: 2 * H, byLevel: { 3: 1 * H, 4: 1 * H },
      onlyIf: 'support_requested', startsAtCondition: true,
      metBy: ['support_dispatched'],
      responsible: 'technical_centre', escalateTo: ['national_office'],
    },
    {
      id: 'contain',
      label: { 'zh-TW': '完成損害控制或復原（1、2 級 72 小時；3、4 級 36 小時）', en: 'Damage control or recovery (levels 1–2: 72 hours; levels 3–4: 36 hours)' },
      anchor: ['aware'], offsetMinutes: 72 * H, byLevel: { 3: 36 * H, 4: 36 * H },
      metBy: ['contained'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
    {
      id: 'closure',
      label: { 'zh-TW': '損害控制或復原後 1 個月內提交結案報告', en: 'Closure report within 1 month of damage control or recovery' },
      anchor: ['contained'], offsetMinutes: MONTH, offsetMonths: 1,
      metBy: ['closure_submitted'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
    {
      id: 'closure-review',
      label: { 'zh-TW': '主管機關審核結案報告（1、2 級 8 小時；3、4 級 2 小時）', en: 'Competent authority review of the closure report (levels 1–2: 8 hours; levels 3–4: 2 hours)' },
      anchor: ['closure_submitted'], offsetMinutes: 8 * H, byLevel: { 3: 2 * H, 4: 2 * H },
      metBy: ['closure_approved', 'closure_returned'],
      responsible: 'competent_authority', escalateTo: ['technical_centre'],
    },
    {
      id: 'investigation',
      label: { 'zh-TW': '損害控制或復原後 1 個月內提交調查、處理及改善報告', en: 'Investigation, handling and improvement report within 1 month of damage control or recovery' },
      anchor: ['contained'], offsetMinutes: MONTH, offsetMonths: 1,
      metBy: ['investigation_submitted'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
  ],
};
