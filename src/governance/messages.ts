// Messages of the governance pages (zh-TW default, en).
const zh = {
  'audit.title': '稽核紀錄',
  'audit.filter': '篩選',
  'audit.action': '動作',
  'audit.result': '結果',
  'audit.actor': '操作者帳號編號',
  'audit.org': '機關 OID 開頭',
  'audit.from': '起始時間',
  'audit.to': '結束時間',
  'audit.at': '時間',
  'audit.target': '對象',
  'audit.ip': 'IP',
  'audit.details': '內容',
  'audit.seq': '序號',
  'audit.next': '下一頁',
  'audit.prev': '上一頁',
} as const;

const en: Record<keyof typeof zh, string> = {
  'audit.title': 'Audit trail',
  'audit.filter': 'Filter',
  'audit.action': 'Action',
  'audit.result': 'Result',
  'audit.actor': 'Actor account id',
  'audit.org': 'Organisation OID prefix',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.at': 'Time',
  'audit.target': 'Target',
  'audit.ip': 'IP',
  'audit.details': 'Details',
  'audit.seq': 'No.',
  'audit.next': 'Next page',
  'audit.prev': 'Previous page',
};

export const auditMessages = { zh, en };
