// INC-9: the drill profile (seed 004 §5.2), as data: the drill report within 1 month of the drill.
import type { DeadlineProfile } from '../types.ts';

/* INC-7: a drill runs this profile next to `tw-cs`, so its time record (演練時間紀錄表) is the same clocks. */
export const TW_CS_DRILL: DeadlineProfile = {
  id: 'tw-cs-drill',
  name: { 'zh-TW': '資通安全演練', en: 'Cyber security drill' },
  source: {
    'zh-TW': '國家資通安全通報應變作業綱要 5.2.1 通報演練（7）、5.2.2 社交工程演練（3）',
    en: 'National Cyber Security Incident Notification and Response Guidelines 5.2.1(7) notification drills, 5.2.2(3) social-engineering e-mail drills',
  },
  rules: [
    {
      id: 'drill-report',
      label: { 'zh-TW': '演練完成後 1 個月內送演練成果報告（經資安長核定）', en: 'Drill report, approved by the CISO, within 1 month of the drill' },
      anchor: ['drill_completed'], offsetMinutes: 30 * 24 * 60, offsetMonths: 1,
      metBy: ['drill_report_submitted'],
      responsible: 'security_contact', escalateTo: ['ciso'],
    },
  ],
};
