// INC-9: the EU profiles, NIS2 Art. 23 and GDPR Art. 33, as data.
import type { DeadlineProfile } from '../types.ts';

const H = 60;

export const NIS2_ART23: DeadlineProfile = {
  id: 'nis2-art23',
  name: { 'zh-TW': '歐盟 NIS2 指令第 23 條', en: 'NIS2 Directive, Article 23' },
  source: { 'zh-TW': '歐盟指令 (EU) 2022/2555 第 23 條第 4 項', en: 'Directive (EU) 2022/2555, Article 23(4)' },
  rules: [
    {
      id: 'early-warning',
      label: { 'zh-TW': '知悉後 24 小時內提出預警', en: 'Early warning within 24 hours of awareness' },
      anchor: ['aware'], offsetMinutes: 24 * H,
      metBy: ['early_warning_sent'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
    {
      id: 'notification',
      label: { 'zh-TW': '知悉後 72 小時內提出事件通報', en: 'Incident notification within 72 hours of awareness' },
      anchor: ['aware'], offsetMinutes: 72 * H,
      metBy: ['incident_notification_sent'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
    {
      id: 'final-report',
      label: { 'zh-TW': '事件通報後 1 個月內提出最終報告', en: 'Final report within 1 month of the incident notification' },
      anchor: ['incident_notification_sent'], offsetMinutes: 30 * 24 * H, offsetMonths: 1,
      metBy: ['final_report_submitted'],
      responsible: 'security_contact', escalateTo: ['competent_authority'],
    },
  ],
};

export const GDPR_ART33: DeadlineProfile = {
  id: 'gdpr-art33',
  name: { 'zh-TW': '歐盟 GDPR 第 33 條（個人資料侵害）', en: 'GDPR Article 33 (personal data breach)' },
  source: { 'zh-TW': '歐盟一般資料保護規則 (EU) 2016/679 第 33 條第 1 項', en: 'Regulation (EU) 2016/679, Article 33(1)' },
  rules: [
    {
      id: 'notify-authority',
      label: { 'zh-TW': '知悉後 72 小時內通知監管機關（逾期須說明理由）', en: 'Notify the supervisory authority within 72 hours of awareness (reasons for any delay)' },
      anchor: ['aware'], offsetMinutes: 72 * H,
      onlyIf: 'personal_data_involved', startsAtCondition: true, lateReasonRequired: true,
      metBy: ['supervisory_authority_notified'],
      responsible: 'security_contact', escalateTo: ['ciso'],
    },
  ],
};
