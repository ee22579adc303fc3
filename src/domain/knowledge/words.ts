import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

/**
 * Word segmentation for retrieval (jieba, the standard Chinese segmenter, as a prebuilt native
 * package) with the domain's words added, and synonyms folded to one form so that 过保 finds
 * 质保期, 登陆 finds 登录, and 师傅 finds 工程师.
 */
const require = createRequire(import.meta.url);
const { Jieba } = require('@node-rs/jieba') as { Jieba: typeof JiebaType };

const DOMAIN_WORDS = [
  '实训', '实训室', '实训平台', '质保', '质保期', '保修', '保修期', '过保', '售后', '巡检', '保养', '凭证', '红字', '冲销', '结账', '反结账',
  '还原卡', '云桌面', '投屏', '教师端', '学生端', '管理员端', '题库', '纳税申报', '出纳', '审计', '底稿', '工单', '转人工', '备件', '配件',
  '服务报告', '签字', '满意度', '热线', '工程师', '账号', '密码', '重置', '导入', '导出', '成绩', '班级', '补考', '缓考', '防作弊',
  '浏览器', '缓存', '校外', '外网', '手机端', '文化墙', '软装', '搬迁', '新校区', '部署', '服务器', '授权', '许可', '升级', '培训',
  '数据集', '大数据', '多少钱', '付钱', '交钱', '机器人', '试算平衡', '对账', '日记账', '成本', '报表', '资产负债表', '利润表', '截止时间', '实训任务', '案例',
];

/** Folded synonyms: every word on the left is read as the word on the right. */
const SYNONYMS: Record<string, string> = {
  登陆: '登录', 登入: '登录', 帐号: '账号', 帐户: '账号', 账户: '账号', 口令: '密码', 保修: '质保', 保修期: '质保期', 过保: '质保期',
  质保: '质保期', 机房: '实训室', 电话号码: '电话', 手机号: '电话', 联系方式: '电话', 号码: '电话', 热线: '电话', 师傅: '工程师', 技术员: '工程师',
  收费: '费用', 付费: '费用', 要钱: '费用', 花钱: '费用', 价格: '费用', 多少钱: '费用', 付钱: '费用', 交钱: '费用', 免费: '费用', 维护: '保养', 检修: '保养', 巡查: '巡检',
  上门: '现场', 到场: '现场', 修理: '维修', 修: '维修', 报修: '维修', 坏: '故障', 坏了: '故障', 忘记: '忘', 忘了: '忘', 找回: '重置', 改密码: '密码',
  学员: '学生', 同学: '学生', 分数: '成绩', 得分: '成绩', 评分: '成绩', excel: '表格', 表格: '表格', 批量: '批量', 名单: '学生', 花名册: '学生',
  作业: '任务', 练习: '任务', 考核: '考试', 测验: '考试', 手机: '手机端', 平板: '手机端', 移动端: '手机端', 在家: '校外', 家里: '校外', 外网: '校外',
  vpn: '校外', 多久: '时间', 多长时间: '时间', 几小时: '时间', 多快: '时间', 地址: '地址', 在哪: '地址', 哪儿: '地址', 培训班: '培训',
  // English words teachers mix in, and everyday words for the same things.
  password: '密码', passwd: '密码', account: '账号', login: '登录', class: '班级', task: '任务', exam: '考试', grade: '成绩', grades: '成绩', score: '成绩',
  audit: '审计', student: '学生', students: '学生', chrome: '浏览器', edge: '浏览器', firefox: '浏览器', 谷歌: '浏览器', 火狐: '浏览器', 微信: '电话',
  寄: '地址', 邮寄: '地址', 寄到: '地址', 单子: '服务报告', 新生: '学生', 没号: '账号', 哪天: '时间', 开始算: '时间',
};

const STOP = new Set([
  '的', '了', '吗', '呢', '啊', '呀', '吧', '嘛', '哦', '哈', '么', '是', '我', '你', '他', '她', '们', '我们', '你们', '咱们', '这个', '那个', '这', '那',
  '怎么', '怎么办', '怎样', '如何', '什么', '请问', '一下', '可以', '能', '能不能', '可不可以', '有没有', '没有', '有', '要', '想', '想问', '问', '问问',
  '老师', '售后', '助手', '售后助手', '麻烦', '谢谢', '您好', '你好', '一个', '就', '都', '也', '还', '在', '和', '跟', '给', '把', '被', '让', '到', '去',
  '来', '会', '不', '吧', '啥', '咋', '咋办', '为什么', '怎么样', '是不是', '应该', '需要', '现在', '今天', '一般', '个', '下', '上', '里', '中', '后', '前',
]);

let jieba: JiebaType | undefined;
let dictionary: Uint8Array | undefined;

/** The segmenter's dictionary, set before the first `words()` (src/knowledge-base.ts loads it: no I/O here). */
export function useDictionary(d: Uint8Array): void {
  dictionary = d;
  jieba = undefined;
}

function segmenter(): JiebaType {
  if (!jieba) {
    if (!dictionary) throw new Error('segmenter dictionary not loaded: import src/knowledge-base.ts first');
    jieba = Jieba.withDict(dictionary);
    jieba.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 20000 n`).join('\n')));
  }
  return jieba;
}

/** Content words of a text: segmented, synonyms folded, stop words and punctuation dropped. */
export function words(text: string): string[] {
  const t = text.normalize('NFKC').toLowerCase().replace(/[@＠]\S+\s/g, ' ');
  const out: string[] = [];
  for (const w of segmenter().cut(t, true)) {
    const word = w.trim();
    if (!word || !/[\p{L}\p{N}]/u.test(word)) continue;
    const folded = SYNONYMS[word] ?? word;
    if (!STOP.has(folded)) out.push(folded);
  }
  return out;
}
