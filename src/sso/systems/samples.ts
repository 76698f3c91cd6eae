// Sample application systems and roles (SSO-1), loaded at first start next to the sample
// organisations. Seed 003 gives the MOEA systems with their categories and role codes (its table
// 系統類別與子系統名稱對照表 and the 角色列表 screen). Seeds 000 and 001 name systems but give no
// codes or categories, so those codes and the categories `isec` and `shs` are ours.
import type { Db } from '../../db/index.ts';
import { anySystem, insertSampleApplyScopes, insertSampleRoles, insertSampleSystems } from './samples-store.ts';

export interface SampleSystem {
  code: string; nameZh: string; nameEn: string; category: string;
  flags?: { certificateRequired?: boolean };
  roles: [code: string, nameZh: string, nameEn: string][];
}

export const SAMPLE_SYSTEMS: SampleSystem[] = [
  // Seed 003 (MOEA registration service). Category codes as the seed prints them.
  { code: 'csm', nameZh: '公司登記管理系統', nameEn: 'Company registration management', category: 'csm', roles: [
    ['csm_admin', '公司登記管理系統管理者', 'Company registration administrator'],
    ['csm_user', '公司登記管理系統使用者', 'Company registration user'],
    ['csm_fi', '決算書表-媒體申報', 'Financial statements media filing'],
  ] },
  { code: 'bms', nameZh: '商業登記資訊系統', nameEn: 'Business registration information', category: 'bms', roles: [
    ['bms_user', '商業登記資訊系統使用者', 'Business registration user'],
    ['bms_nocert', '商業登記資訊系統未帶憑證', 'Business registration user without certificate'],
  ] },
  { code: 'fms', nameZh: '工廠登記與管理系統', nameEn: 'Factory registration and management', category: 'fms', roles: [
    ['fms_user', '工廠登記與管理系統使用者', 'Factory registration user'],
    ['fms_nocert', '工廠登記管理系統未帶憑證', 'Factory registration user without certificate'],
  ] },
  { code: 'spms', nameZh: '特定目的事業管理系統', nameEn: 'Special-purpose business management', category: 'spms', roles: [
    ['spms_user', '特定目的事業管理系統使用者', 'Special-purpose business user'],
  ] },
  // The portal marks it "必須使用自然人憑證登入" (certificate login required).
  { code: 'pcsc', nameZh: '商品標示管理系統', nameEn: 'Commodity labelling management', category: 'pcsc', flags: { certificateRequired: true }, roles: [
    ['pcsc_user', '商品標示管理系統', 'Commodity labelling user'],
    ['pcsc_ssl', '商品標示(加密連線)', 'Commodity labelling (encrypted connection)'],
  ] },
  { code: 'game', nameZh: '電子遊戲機名錄查詢系統(商業司)', nameEn: 'Electronic game machine directory', category: 'game', roles: [
    ['game_user', '電子遊戲機名錄查詢系統(商業司)', 'Game machine directory user'],
  ] },
  { code: 'gms', nameZh: '電子遊戲場業營業級別證管理系統', nameEn: 'Game arcade licence management', category: 'gms', roles: [
    ['gms_user', '電子遊戲場業營業級別證管理系統使用者', 'Game arcade licence user'],
  ] },
  { code: 'stall', nameZh: '攤販(商)管理系統', nameEn: 'Street vendor management', category: 'stall', roles: [
    ['stall_market_user', '攤販(商)管理系統', 'Street vendor management user'],
    ['stall_user', '攤販(商)管理統計報表系統', 'Street vendor statistics user'],
  ] },
  { code: 'mail', nameZh: '商業司首長信箱系統', nameEn: 'Director-general mailbox', category: 'mail', roles: [
    ['mail_manager', '商業司首長信箱系統_系統管理者', 'Mailbox system administrator'],
    ['mail_user', '商業司首長信箱系統_使用者', 'Mailbox user'],
  ] },
  { code: 'lms', nameZh: '有限合夥登記系統', nameEn: 'Limited partnership registration', category: 'lms', roles: [
    ['lms_user', '有限合夥登記系統使用者', 'Limited partnership registration user'],
  ] },
  { code: 'ims', nameZh: '跨機關公司登記影像查閱系統', nameEn: 'Cross-agency company registration images', category: 'ims', roles: [
    ['ims_sys_admin', '跨機關公司登記影像查閱系統', 'Company registration image viewer'],
  ] },
  // The portal marks it "必須使用自然人憑證登入".
  { code: 'psm', nameZh: '公司名稱及所營事業預查系統', nameEn: 'Company name pre-check', category: 'psm', flags: { certificateRequired: true }, roles: [
    ['psm_bob_6k', '公司名稱及所營事業預查系統', 'Company name pre-check user'],
  ] },
  // Seed 003 prints category (psm) for this system too; kept as printed (docs/decisions.md).
  { code: 'psr', nameZh: '動產擔保登記管理資訊系統', nameEn: 'Chattel mortgage registration', category: 'psm', roles: [
    ['psr_admin', '動產擔保登記管理資訊系統管理者', 'Chattel mortgage registration administrator'],
    ['psr_user', '動產擔保登記管理資訊系統使用者', 'Chattel mortgage registration user'],
  ] },
  { code: 'elaw', nameZh: '商工行政法規檢索系統(商業司)', nameEn: 'Commerce and industry law search', category: 'elaw', roles: [
    ['elaw_moea', '商工行政法規檢索系統(商業司)', 'Law search user'],
  ] },
  // Seed 000 (iAuth2): cyber-security systems, each with 機關管理者 and 一般權限; category ours.
  { code: 'spm', nameZh: '管考系統', nameEn: 'Security programme management', category: 'isec', roles: [
    ['spm_admin', '管考系統機關管理者', 'Programme management agency administrator'],
    ['spm_user', '管考系統一般權限', 'Programme management user'],
  ] },
  { code: 'vuln', nameZh: '政府機關資安弱點通報機制', nameEn: 'Government vulnerability reporting', category: 'isec', roles: [
    ['vuln_admin', '政府機關資安弱點通報機制機關管理者', 'Vulnerability reporting agency administrator'],
    ['vuln_user', '政府機關資安弱點通報機制一般權限', 'Vulnerability reporting user'],
  ] },
  { code: 'survey', nameZh: '資安現況調查系統', nameEn: 'Security status survey', category: 'isec', roles: [
    ['survey_admin', '資安現況調查系統機關管理者', 'Security survey agency administrator'],
    ['survey_user', '資安現況調查系統一般權限', 'Security survey user'],
  ] },
  { code: 'maturity', nameZh: '政府機關資安治理成熟度自評系統', nameEn: 'Security governance maturity self-assessment', category: 'isec', roles: [
    ['maturity_admin', '政府機關資安治理成熟度自評系統機關管理者', 'Maturity self-assessment agency administrator'],
    ['maturity_user', '政府機關資安治理成熟度自評系統一般權限', 'Maturity self-assessment user'],
  ] },
  { code: 'ncert', nameZh: '國家資通安全通報應變網站', nameEn: 'National cyber-security incident reporting', category: 'isec', roles: [
    ['ncert_admin', '國家資通安全通報應變網站機關管理者', 'Incident reporting agency administrator'],
    ['ncert_user', '國家資通安全通報應變網站一般權限', 'Incident reporting user'],
  ] },
  // Seed 001 (senior-high-school platform): reporting stations; 學校端 fills in, 管理端 reviews.
  { code: 'capital', nameZh: '資本門系統', nameEn: 'Capital expenditure reporting', category: 'shs', roles: [
    ['capital_user', '資本門系統填報', 'Capital expenditure school reporter'],
    ['capital_admin', '資本門系統管理人員', 'Capital expenditure administrator'],
  ] },
  { code: 'dept', nameZh: '群科申報系統', nameEn: 'Department and programme filing', category: 'shs', roles: [
    ['dept_user', '群科申報系統填報', 'Programme filing school reporter'],
    ['dept_admin', '群科申報系統管理人員', 'Programme filing administrator'],
  ] },
];

/**
 * Who may apply for a sample system (issue 9 item 14), following the seeds: seed 001's school
 * systems (category shs) the school subtree of the sample registry, seeds 000 and 003's systems the
 * government agencies' subtree.
 */
export const SAMPLE_SCHOOLS_SUBTREE = '2.16.886.111';
export const SAMPLE_AGENCIES_SUBTREE = '2.16.886.101';
export const sampleApplyScope = (s: SampleSystem): string[] => [s.category === 'shs' ? SAMPLE_SCHOOLS_SUBTREE : SAMPLE_AGENCIES_SUBTREE];

/**
 * Loads the sample registry when there is none yet (first start); returns how many systems were added.
 * Each is owned by the national root (the column's default, 011_system_owner): the seeds name no
 * owning agency by OID, so their clients are the central authority's until it names an owner.
 */
export async function loadSampleSystems(db: Db): Promise<number> {
  if (await anySystem(db)) return 0;
  await db.transaction().execute(async (trx) => {
    await insertSampleSystems(trx, SAMPLE_SYSTEMS.map((s) => ({
      code: s.code, name_zh: s.nameZh, name_en: s.nameEn, category: s.category, flags: JSON.stringify(s.flags ?? {}),
    })));
    await insertSampleRoles(trx, SAMPLE_SYSTEMS.flatMap((s) => s.roles.map(([code, nameZh, nameEn]) => ({
      code, system_code: s.code, name_zh: nameZh, name_en: nameEn,
    }))));
    await insertSampleApplyScopes(trx, SAMPLE_SYSTEMS.flatMap((s) => sampleApplyScope(s).map((subtree_oid) => ({
      system_code: s.code, subtree_oid,
    }))));
  });
  return SAMPLE_SYSTEMS.length;
}
