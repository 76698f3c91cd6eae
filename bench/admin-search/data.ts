// Synthetic but realistic-looking data for the admin-search benchmark: an OID tree of ministries,
// agencies, units and sub-units with skewed sizes, and Taiwanese names and national IDs whose
// frequencies resemble the real ones (so a keyword matches about as many rows as it would).
// Everything is drawn from a seeded generator: the same seed gives the same tree, names and IDs.
import { checkDigitFor } from '../../src/accounts/national-id.ts';

/** mulberry32: small, fast, seedable; good enough for synthetic data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from weighted items by binary search over the cumulative weights. */
export class Weighted<T> {
  private readonly cum: Float64Array;
  private readonly total: number;
  constructor(readonly items: T[], weights: number[]) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => { s += w; this.cum[i] = s; });
    this.total = s;
  }
  pick(r: () => number): T {
    const x = r() * this.total;
    let lo = 0, hi = this.cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.cum[mid] > x) hi = mid; else lo = mid + 1; }
    return this.items[lo];
  }
  share(i: number): number { return (this.cum[i] - (i ? this.cum[i - 1] : 0)) / this.total; }
}

// ---- surnames: share in % (Taiwan household registration, roughly), then a long tail -----------
const COMMON_SURNAMES = `陳11.1 林8.3 黃6.0 張5.3 李5.1 王4.1 吳4.0 劉3.2 蔡2.9 楊2.6 許2.3 鄭1.9 謝1.8 郭1.7 洪1.6
曾1.4 邱1.4 廖1.4 賴1.4 周1.3 徐1.2 蘇1.2 葉1.2 莊1.1 呂1.0 江1.0 何1.0 蕭0.9 羅0.9 高0.9 簡0.7 朱0.7
鍾0.7 施0.6 游0.6 詹0.6 沈0.6 彭0.6 胡0.6 余0.6 盧0.5 潘0.5 顏0.5 梁0.5 趙0.5 柯0.5 翁0.5 魏0.4 方0.4
孫0.4 戴0.4 范0.4 宋0.3 鄧0.3 杜0.3 侯0.3 曹0.3 薛0.3 傅0.3 丁0.3 溫0.3 紀0.3 蔣0.3 歐0.2 藍0.2 連0.2
唐0.2 馬0.2 董0.2 石0.2 卓0.2 程0.2 姚0.2 康0.2 馮0.2 古0.2 姜0.2 湯0.2 汪0.2 白0.2 田0.2 涂0.2 鄒0.2
巫0.2 尤0.2 鐘0.2 龔0.1 嚴0.1 韓0.1 黎0.1 金0.1 阮0.1 陸0.1 倪0.1 夏0.1 童0.1 邵0.1 柳0.1 錢0.1`;
const RARE_SURNAMES = `孔毛史牛包甘左申任伍向危成艾衣利冷吉池佘岑宗官房易武祁苗段封查柴桂殷秦袁郝凌原席晏
浦烏班祝翟耿聶荊郎陶麥喬單尹勞惠曲景焦甯華費賀隆雷靳鄔滿熊管裴褚談鄢閻駱霍鮑龍戚儲應萬俞付卜刁
于文水牟車全匡印安朴羊米衛谷邢那邦阿來卓孟季屈幸林明易杭東松武花邰金長門青保冒冠南姬宣施昝柏洪
皇秋紅胥苑范茅郁韋風香倉凍原唐夏孫家容島庫徐時晉殷海烏祖祝秦翁耿能荀袁貢郝馬高偶國屠崔常康張強
曹梅湛符莫許連郭都陰陶隋雪麻傅勝單喻嵇彭惲斯智曾湯游焦程童紫舒費賀越辜陽隆雲項馮黃黑圓楚溫甄萬
葛葉董虞詹路農逯過達鄒雍靖鈕鈴壽寧廖榮熊管裴褚趙鳳齊劉厲樂樊歐潘蔡蔣衛談諸鄧鄭魯黎儒蕭賴錢閻霍
駱鮑龍應戴繆聯薛謝鍾韓魏藍豐闕簡顏聶羅譚關鄺嚴蘇鐘饒龔`;
const COMPOUND_SURNAMES = '歐陽 張簡 范姜 司馬 諸葛 上官 東方 夏侯 司徒 端木';

// ---- given names -------------------------------------------------------------------------------
/** Popular whole given names (a quarter of given names are one of these). */
const POPULAR_GIVEN = `怡君 雅婷 家豪 志明 俊傑 淑芬 美玲 宜蓁 承恩 冠宇 家瑋 郁婷 佩珊 雅雯 怡婷 志豪 建宏 俊宏 宗翰
柏翰 彥廷 詩涵 欣怡 佳穎 淑惠 美惠 麗華 秀英 淑貞 國華 文雄 志偉 建志 明哲 雅惠 惠如 慧君 佳蓉 玉婷
冠廷 品妤 子晴 宥廷 承翰 家銘 志強 宗憲 嘉玲 婉婷 雅琪 筱涵 宇軒 育誠 思妤 韋廷 博宇 靜怡 淑娟 珮瑜`;
/** Given-name characters, most common first (their weight falls off with rank). */
const GIVEN_CHARS = `家怡宏志雅婷俊明文佳建嘉君偉美淑惠玲芳秀麗華國榮信仁德政智豪傑瑋翔宇哲彥廷柏宗承祥冠昱凱睿安
晴欣穎琪涵萱瑜筑庭慧珊蓉靜如心妤彤宜亭真儀瑩娟燕琳芬雯玉珍鳳英蘭梅萍卿貞慈恩思詩書瑞誠勇強軍武
勝興隆昌順福祿壽康泰平和正義忠孝元清輝耀光中民生成永長春夏秋冬晨曉旭東南北西峰嶽山川林森木松竹
青綠紅丹白金銀鑫鈞鋒銘錦鴻鵬飛龍麟鳴聖賢良善禮樂詠吟韻雲霖雨霏雪霞虹彩奕翊昕晟暉曜旻昀晏晉璋璟
瑾璇琦瑄瑤璐琬琇珮玫瑰薇蓁芸芷若茵莉萍菁葳蔚潔澄淳涵沛浩源淵鴻洋泓渝湘漢濤瀚宸寧宥容宣家富貴
佑伯仲仕任俐倫偲傳儒允兆克全典其冰凌凡初則剛力勳卓博友啟嘉堯培均坤城基堂堅士壯多大天奇威婕婉
嫻子孟學宏守定宜寬峻崇嵐巧帆希廣廷彬影徽德恆恬悅惟意愛慶憲懷成才振捷揚敏斌方昇明易晶景暘朗柔
栩格桓楷楨榆樺欽正毅民沁治泓法泰洲津浚海涓淇淩添清湧溢滋漪潤澤濬瀅炎炫烜然煒熙燁營爾璿禎穗竣
筠箴紹維綸緯縈翰耘聿育胤致臻舜航芃芹苡茹荷莘菲萌蒂蕙蕾薰虔衍裕詠誼諭謙豐貞賓軒輔逸運達遠鈺鉉
鋐錡鍇鎧霈靖韋頤顥馨騏驊魁鴻麒黛齡`;
/** Characters that are real in given names but uncommon: the "rare character" keyword comes from here. */
const RARE_GIVEN_CHARS = `曦璟翾韜犖翀昶炘焄珹琮瑀璠甯皓硯禕稘竑笙篤紘綺翬耆臣舫荃莒菀葭蓓蘅觀訢諠譓豫贇迦邠郢醇鈐鍠
闓陞雍霽靄頌頎顗馥驥鵑麐黌齊崴嵩峴岱岷嶸巽弈弢彧徵忻怡恪悌惇愉慎懋戩攸敬昊晞晧暄曄曈杉杰柘栢梓
棠楙槿橒檀櫂汶沅洺涔淞渙湛滔漳澔瀞灝烽焜煦熠燊爗牧珉珖琛瑆瑒瑭璞璵瓏甄畇皙睿瞳硯祐禔秉程稷竫`;

function parseWeighted(text: string): { items: string[]; weights: number[] } {
  const items: string[] = [], weights: number[] = [];
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    const m = /^(\D+)([\d.]+)$/u.exec(tok)!;
    items.push(m[1]); weights.push(Number(m[2]));
  }
  return { items, weights };
}

export interface NameModel {
  surnames: Weighted<string>;
  surnameCount: number;
  popular: Weighted<string>;
  chars: Weighted<string>;
  /** Character → share of generated given-name characters it is expected to take (rare tail only). */
  rareChars: string[];
}

export function nameModel(): NameModel {
  const common = parseWeighted(COMMON_SURNAMES);
  const seen = new Set(common.items);
  const rare = [...new Set([...RARE_SURNAMES.replace(/\s/g, '')])].filter((c) => !seen.has(c));
  const compound = COMPOUND_SURNAMES.split(' ');
  // Common surnames cover ~96%; the rest is shared by the rare ones (a few per 10,000 each) and the compounds.
  const commonTotal = common.weights.reduce((a, b) => a + b, 0);
  const rest = Math.max(1, 100 - commonTotal);
  const surnameItems = [...common.items, ...rare, ...compound];
  const surnameWeights = [...common.weights, ...rare.map(() => (rest * 0.9) / rare.length), ...compound.map(() => (rest * 0.1) / compound.length)];
  const popular = POPULAR_GIVEN.split(/\s+/).filter(Boolean);
  const chars = [...new Set([...GIVEN_CHARS.replace(/\s/g, '')])];
  const rareChars = [...new Set([...RARE_GIVEN_CHARS.replace(/\s/g, '')])].filter((c) => !chars.includes(c));
  // Zipf-like fall-off over the common characters; the rare ones share a small remainder.
  const charWeights = chars.map((_, i) => 1 / Math.pow(i + 8, 1.1));
  const commonCharTotal = charWeights.reduce((a, b) => a + b, 0);
  const rareWeights = rareChars.map((_, i) => (commonCharTotal * 0.03) * (1 / (i + 20)) / rareChars.reduce((s, __, j) => s + 1 / (j + 20), 0));
  return {
    surnames: new Weighted(surnameItems, surnameWeights),
    surnameCount: surnameItems.length,
    popular: new Weighted(popular, popular.map((_, i) => 1 / (i + 5))),
    chars: new Weighted([...chars, ...rareChars], [...charWeights, ...rareWeights]),
    rareChars,
  };
}

/** A name: surname + a two-character given name (90%) or a one-character one. */
export function drawName(m: NameModel, r: () => number): string {
  const s = m.surnames.pick(r);
  const x = r();
  if (x < 0.25) return s + m.popular.pick(r);
  if (x < 0.33) return s + m.chars.pick(r);
  let a = m.chars.pick(r), b = m.chars.pick(r);
  while (b === a) b = m.chars.pick(r);
  return s + a + b;
}

// ---- national IDs --------------------------------------------------------------------------------
const AREA_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Registration areas are not equally populous: Taipei (A), New Taipei (F), Taichung (B), Kaohsiung (E)… */
const AREA_WEIGHTS = [12, 10, 3, 5, 10, 14, 3, 8, 1, 3, 4, 6, 3, 4, 2, 3, 3, 5, 3, 5, 3, 1, 1, 1, 1, 1];
const areas = new Weighted([...AREA_LETTERS], AREA_WEIGHTS);

/** A valid, unique national ID (checksum by the project's own checkDigitFor). */
export function drawNationalId(r: () => number, taken: Set<string>): string {
  for (;;) {
    const first9 = areas.pick(r) + (r() < 0.5 ? '1' : '2') + String(Math.floor(r() * 1e7)).padStart(7, '0');
    const id = first9 + checkDigitFor(first9);
    if (!taken.has(id)) { taken.add(id); return id; }
  }
}

/** An ID with a valid checksum that no generated account has (a search that finds nothing). */
export function absentNationalId(r: () => number, taken: Set<string>): string {
  for (;;) {
    const first9 = areas.pick(r) + (r() < 0.5 ? '1' : '2') + String(Math.floor(r() * 1e7)).padStart(7, '0');
    const id = first9 + checkDigitFor(first9);
    if (!taken.has(id)) return id;
  }
}

// ---- the organisation tree ------------------------------------------------------------------------
export const ROOT = '2.16.886.101';

const MINISTRIES = `內政部 外交部 國防部 財政部 教育部 法務部 經濟部 交通部 勞動部 農業部 衛生福利部 環境部 文化部
數位發展部 國家發展委員會 國家科學及技術委員會 海洋委員會 臺北市政府 新北市政府 高雄市政府`.split(/\s+/);
const AGENCY_SUFFIX = ['署', '局', '處', '中心', '分署', '管理處', '研究所', '委員會'];
const UNIT_NAMES = ['秘書室', '人事室', '主計室', '政風室', '資訊室', '綜合規劃組', '業務組', '管理組', '企劃科', '第一科',
  '第二科', '第三科', '第四科', '稽核科', '服務科', '法制科', '研考科', '總務科'];
const SUB_NAMES = ['第一股', '第二股', '第三股', '第四股', '第五股'];

export interface OrgNode { oid: string; parent: string; name: string; kind: 'agency' | 'unit'; level: 1 | 2 | 3 | 4; weight: number }

/**
 * ~20 ministries (arcs 30001… for central ones, 90011… for local governments, clear of the sample
 * organisations) × 5–15 agencies × 4–16 units × 0–4 sub-units. Sizes are skewed: a ministry's
 * weight falls off as 1/rank^0.8 and agencies, units and sub-units get log-normal weights, so a
 * few agencies hold tens of thousands of accounts and most units a few hundred.
 */
export function orgTree(r: () => number): OrgNode[] {
  const out: OrgNode[] = [];
  const logn = (sigma: number) => Math.exp(sigma * gauss(r));
  MINISTRIES.forEach((mname, mi) => {
    const local = mname.endsWith('市政府');
    const moid = `${ROOT}.${local ? 90011 + (mi - 17) : 30001 + mi}`;
    const mweight = 1 / Math.pow(mi + 1, 0.8);
    out.push({ oid: moid, parent: ROOT, name: mname, kind: 'agency', level: 1, weight: mweight * 0.02 });
    const nAg = 5 + Math.floor(r() * 11);
    const agW = Array.from({ length: nAg }, () => logn(0.9));
    const agSum = agW.reduce((a, b) => a + b, 0);
    for (let a = 0; a < nAg; a++) {
      const aoid = `${moid}.${20001 + a}`;
      const aweight = mweight * 0.98 * agW[a] / agSum;
      const aname = `${mname.replace(/(部|委員會|市政府)$/, '')}${['北區', '中區', '南區', '東區', '第一', '第二', '中央', '綜合', '資訊', '檢驗', '訓練', '研究', '保育', '工程', '服務'][a]}${AGENCY_SUFFIX[a % AGENCY_SUFFIX.length]}`;
      out.push({ oid: aoid, parent: moid, name: aname, kind: 'agency', level: 2, weight: aweight * 0.05 });
      const nUn = 4 + Math.floor(r() * 13);
      const unW = Array.from({ length: nUn }, () => logn(0.7));
      const unSum = unW.reduce((x, y) => x + y, 0);
      for (let u = 0; u < nUn; u++) {
        const uoid = `${aoid}.${20001 + u}`;
        const uweight = aweight * 0.95 * unW[u] / unSum;
        const nSub = Math.floor(r() * 5);
        out.push({ oid: uoid, parent: aoid, name: `${aname}${UNIT_NAMES[u % UNIT_NAMES.length]}`, kind: 'unit', level: 3, weight: nSub ? uweight * 0.4 : uweight });
        for (let s = 0; s < nSub; s++) {
          out.push({ oid: `${uoid}.${20001 + s}`, parent: uoid, name: `${aname}${UNIT_NAMES[u % UNIT_NAMES.length]}${SUB_NAMES[s]}`, kind: 'unit', level: 4, weight: uweight * 0.6 / nSub });
        }
      }
    }
  });
  return out;
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export const TITLES = ['科員', '科員', '科員', '辦事員', '書記', '專員', '專員', '技士', '技正', '科長', '組長', '秘書', '約聘人員', '約僱人員', '研究員', '稽核', '視察', '主任'];
