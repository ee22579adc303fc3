/**
 * What a fault report is about, read from its words: the things that fail (the platform, a module,
 * a projector…), where (rooms), how (symptoms), how widely, and whether the writer only says "us
 * too". Pure and lexical on purpose: two reports are compared by these facts (./same-fault.ts),
 * which a person can check and a test can pin down (docs/DECISIONS.md: "same fault").
 */
export interface FaultSignature {
  /** Canonical ids of what fails: `platform`, `server`, `projector`, `module:成绩` … */
  objects: Set<string>;
  /** Rooms named, by number (`5` for 5号机房 / 五号实训室, `302`). */
  rooms: Set<string>;
  /** Single devices named by number (第3台, 5号机, 12号电脑): `3`, `5`, `12`. */
  units: Set<string>;
  /** Canonical symptoms: `down`, `login`, `slow`, `sound`, `picture`, `network`, `alarm` … */
  symptoms: Set<string>;
  /** `all`: everyone / the whole thing; `part`: a row, some PCs, one class; `one`: a single device. */
  scope?: 'all' | 'part' | 'one';
  /** The message only says the writer has it too (我们班也是, +1, 同样). */
  meToo: boolean;
  /** Character bigrams of the content words, for wording similarity. */
  bigrams: Set<string>;
}

/**
 * Things that fail. System-wide things (`SYSTEM_WIDE`) are the same thing wherever the writer sits;
 * a device is only the same device in the same room.
 */
const OBJECTS: [string, RegExp][] = [
  ['platform', /(平台|系统|网站|网页|官网|首页|云桌面|虚拟机|教学软件|实训软件|软件)/],
  ['server', /(服务器|主机房|机柜|虚拟化|宿主机)/],
  ['storage', /(硬盘|磁盘|存储|阵列|raid|数据盘|系统盘|[c-f]盘)/i],
  ['network', /(网络|网速|wifi|wi-fi|无线|网线|交换机|路由|断网|没网|外网|内网|连不上网|上不了网|上不去网)/i],
  ['power', /(ups|电源|停电|断电|跳闸|总闸|电池)/i],
  ['cooling', /(空调|温度|过热|高温|风扇)/],
  ['projector', /(投影|幕布)/],
  ['display', /(大屏|白板|一体机|显示器|电视|触摸屏)/],
  ['audio', /(耳机|音箱|音响|话筒|麦克风|喇叭|扩音)/],
  ['printer', /(打印机|打印|复印|粉盒|墨盒|卡纸)/],
  ['peripheral', /(鼠标|键盘|u盘|读卡器|摄像头)/i],
  ['pc', /(电脑|台式机|学生机|教师机|笔记本|一体机|主机(?!房))/],
  ['account', /(账号|帐号|密码|锁定|权限)/],
];

/** Named parts of the platform: a module, a page, a function. */
const MODULE_NOUNS = /(凭证|报表|成绩|作业|考试|考勤|签到|题库|课件|视频|直播|沙盘|实验|实训任务|案例|资源|课程|论坛|消息|通知|批改|提交|上传|下载|导出|导入|统计|账套|财务|会计|税务|出纳|审计|银行|工资|库存|采购|销售|评分|排课|选课|教务)/g;
const MODULE_NAMED = /([\p{Script=Han}A-Za-z]{2,8}?)(模块|功能|页面|板块|子系统|栏目)/gu;

// Accounts are personal: two teachers' locked accounts are two faults (unless worded alike).
export const SYSTEM_WIDE = new Set(['platform', 'server', 'storage', 'network', 'power', 'cooling']);

const SYMPTOMS: [string, RegExp][] = [
  ['login', /(登不上|登录不了|登陆不了|登不进|无法登录|无法登陆|登录失败|登陆失败|登录页|登陆页|登录不上|登陆不上|进不去|进不了)/],
  ['down', /(打不开|打不了|访问不了|无法访问|用不了|不能用|无法使用|挂了|挂掉|宕机|崩了|崩溃|瘫|50[234]|bad gateway|报错|白屏|空白|没反应|起不来|停了|down|error)/i],
  ['slow', /(慢|卡顿|很卡|太卡|好卡|卡死|卡住|转圈|加载不|半天|几分钟)/],
  ['sound', /(没声音|没有声音|无声|声音小|杂音|电流声|滋滋|啸叫|没声)/],
  ['picture', /(黑屏|不亮|没画面|无信号|没信号|花屏|闪屏|模糊|偏色|发黄|蓝屏)/],
  ['network', /(掉线|断网|没网|连不上网|网断|网速|连不上)/],
  ['alarm', /(报警|告警|警报|红灯|亮红|滴滴|叫)/],
  ['paper', /(卡纸|不出纸|字有点淡|打出来)/],
  ['data', /(丢失|不见了|没了|消失|不一致|重复|错乱|算错|对不上)/],
];

/** Symptoms that one failure shows in different ways (a slow platform soon refuses logins). */
const SYMPTOM_FAMILY: Record<string, string> = { login: 'access', down: 'access', slow: 'access', network: 'access', sound: 'sound', picture: 'picture', alarm: 'alarm', paper: 'paper', data: 'data' };

const ROOM = /([0-9]{1,4}|[一二三四五六七八九十]{1,3})\s*号?\s*(机房|实训室|教室|室)/g;
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 3 / 三 / 十二 → "3" / "3" / "12": a room is its number, whatever the writer calls it (机房, 实训室). */
function roomNumber(s: string): string {
  if (/^[0-9]+$/.test(s)) return String(Number(s));
  const [a, b] = s.split('十');
  if (b === undefined) return String(CN_DIGITS[s] ?? s);
  return String((a ? CN_DIGITS[a] ?? 1 : 1) * 10 + (b ? CN_DIGITS[b] ?? 0 : 0));
}
const ROOM_NUMBER = /(?<![0-9])([1-9][0-9]{2,3})(?![0-9])(?=.{0,3}(机房|实训室|教室|室|的))/g;

const UNIT = /(?:第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:台|排|个|组)|([0-9]{1,3})\s*号\s*(?:机|电脑|学生机|座位|位置|工位))/g;

const ALL = /(所有|全部|全体|整个|全班|全校|全院|大家|每个人|每台|所有人|全都|一个都|谁都|没一个|都进不去|都登不上|都打不开|都用不了|都不能)/;
const PART = /(一排|整排|几台|好几台|一半|半个|部分|个别|有些|有的|几个学生|几个同学|一个班|这个班)/;
const ONE = /(一台|某台|那台|有一台|单台|一个学生|一位同学|一个同学|一个鼠标|一个键盘|一副耳机)/;

/** "Us too" in its many forms; the rest of the message, if any, may still say more. */
const ME_TOO_ANYWHERE = /(我|我们|我这|我这边|我们这边|我们班|这边)(也|同样)(是|一样|这样|听到|看到|遇到|碰到|发现|有)/;
const ME_TOO = /^(\+\s*1|＋\s*1|1\s*\+|同上|同样|同问|一样|我也是|我也|我们也是|我们也|我这也是|我这边也|我们这边也|我们班也|我们班也是|这边也|这里也|我们这里也|我们机房也|.{0,8}也(是|一样|这样|遇到|出现|不行|打不开|进不去|登不上|用不了|没声音|黑屏|卡))/;

const FILLER = /[了的吗呢啊呀吧哈嘛哦噢么都也又还就在是我们你您他她它这那个一下请问老师麻烦帮忙看快点急现在刚才今天早上下午上午一直突然好像怎么回事啥什么]/g;

function bigrams(text: string): Set<string> {
  const s = text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '').replace(FILLER, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  if (s.length === 1) out.add(s);
  return out;
}

/**
 * Remembered per text (at most MEMO_SIZE texts, then forgotten together): every new report is
 * compared with every live incident's texts, and those are the same texts report after report.
 * Callers treat the result as read-only.
 */
export function faultSignature(raw: string): FaultSignature {
  let sig = memo.get(raw);
  if (!sig) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    sig = computeSignature(raw);
    memo.set(raw, sig);
  }
  return sig;
}

const MEMO_SIZE = 5_000;
const memo = new Map<string, FaultSignature>();

function computeSignature(raw: string): FaultSignature {
  const text = raw.normalize('NFKC').replace(/^@\S+\s*/, '').trim();
  const objects = new Set<string>();
  for (const [id, re] of OBJECTS) if (re.test(text)) objects.add(id);
  for (const m of text.matchAll(MODULE_NAMED)) {
    const name = m[1]!.replace(/^(的|个|那个|这个|平台|系统|里|上)+/, '');
    if (name.length >= 2) objects.add(`module:${name.slice(-4)}`);
  }
  for (const m of text.matchAll(MODULE_NOUNS)) objects.add(`module:${m[1]}`);
  // A module of the platform is a part of it: the bare word 平台/系统 then says where, not what.
  if ([...objects].some((o) => o.startsWith('module:')) && !ALL.test(text)) objects.delete('platform');
  const rooms = new Set<string>();
  for (const m of text.matchAll(ROOM)) rooms.add(roomNumber(m[1]!));
  for (const m of text.matchAll(ROOM_NUMBER)) rooms.add(roomNumber(m[1]!));
  const units = new Set<string>();
  for (const m of text.matchAll(UNIT)) units.add(roomNumber((m[1] ?? m[2])!));
  const symptoms = new Set<string>();
  for (const [id, re] of SYMPTOMS) if (re.test(text)) symptoms.add(id);
  const scope = ALL.test(text) ? 'all' : ONE.test(text) ? 'one' : PART.test(text) ? 'part' : undefined;
  return { objects, rooms, units, symptoms, ...(scope ? { scope } : {}), meToo: ME_TOO.test(text) || ME_TOO_ANYWHERE.test(text), bigrams: bigrams(text) };
}

export function symptomFamilies(s: Set<string>): Set<string> {
  return new Set([...s].map((x) => SYMPTOM_FAMILY[x] ?? x));
}
