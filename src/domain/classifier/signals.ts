import type { Label } from '../levels.ts';

/**
 * Hand-written signals from the contract's level definitions (LABELS.md). They are added to the
 * statistical model's scores, and a few of them also set a floor: a message with a clear fault
 * signal is never labelled `none`, and a whole-system outage is never rated below L1.
 */

const WHO_ALL = '((几|多|两|三|四|五|各)个(机房|实训室|班)|所有|全部|全体|整个|全班|全校|全院|大家|每个人|每台|所有人|所有的|整间|整层|全都|一台都|一个都|谁都|(学生|同学|老师|人|班|机房|电脑)(们)?都)';
const DOWN = '(全瘫|瘫了|全卡在|都卡在|全挂|全灭|都挂|都灭|全断|卡死|空白|跳回登录|没法上课|上不了课|打不开|打不了|进不去|进不了|登不上|登录不了|登陆不了|登不进|无法登录|无法登陆|无法访问|访问不了|连不上|连接不上|用不了|不能用|无法使用|瘫痪|挂了|挂掉|宕机|崩了|崩溃|停摆|down|报错|白屏|黑屏|没反应|断网|没网)';
const SYSTEM = '(平台|系统|服务器|网站|实训平台|教学平台|整个实训室|机房|网络|全网|主机)';

export const L1_STRONG: RegExp[] = [
  new RegExp(`${WHO_ALL}[^。！!？?，,]{0,12}${DOWN}`),
  new RegExp(`${DOWN}[^。！!？?]{0,8}(全部人|所有人|全体|大家都|都这样|全都这样)`),
  // The whole system as the subject of an outage: "系统打不开了怎么办", "平台崩了".
  new RegExp(`(^|[，,。!！?？\\s])(整个)?(系统|平台|实训平台|教学平台|网站|服务器)(又|突然|好像|是不是)?${DOWN}`),
  /(没一个|没有一个|一个都|一台都|谁都)[^。，,]{0,4}(能|进|登|用|上|连)/,
  /(老师端|教师端)[^。，,]{0,4}(学生端)[^。，,]{0,4}都/,
  new RegExp(`${SYSTEM}[^。！!？?，,]{0,6}(挂了|挂掉|宕机|瘫痪|崩了|崩溃|down了?|起不来|停止服务|彻底)`),
  /(课|教学|上课)[^。！!？?]{0,8}(全|都)(停了|上不了|没法上|进行不下去|中断)/,
  /(50[234]|bad gateway|service unavailable)[^。]{0,20}(都|全|所有)|(都|全|所有)[^。]{0,20}(50[234]|bad gateway)/,
  /(服务器|机房|主机|机柜)[^。，,]{0,6}(断电|停电|没电)/,
  /\b(server|system|platform|site|website|network)\s+(is\s+)?(down|crashed|dead)\b|\b(whole|all|every|entire|everyone|nobody)\b.{0,30}\b(down|can'?t|cannot|unable|not work)/,
];

export const L2_STRONG: RegExp[] = [
  /(报警|告警|警报|警告灯|红灯|亮红|橙灯|黄灯|闪红)/,
  /(degraded|rebuild|重建|降级|坏道|掉盘|坏了一块|坏一块|一块盘|阵列|raid|smart)/,
  /(温度|过热|高温|风扇)[^。]{0,10}(高|报|异常|异响|不转|响|超过|往上|上升|升高|[3-9]\d\s*(度|℃|°c))/,
  /(切到|切换到|切成|倒换到)[^。]{0,4}(备用|备机|另一|从库|单)/,
  /(自动重启|频繁重启|反复重启|自己重启|不停重启|重启了好几次|死机好几次)/,
  /(空间|磁盘|硬盘|数据盘|系统盘|[a-z]盘|存储|datastore|分区|卷)[^。]{0,10}(满|不足|只剩|剩下|快用完|不够|告急|9\d\s*%)/,
  /(ups|不间断电源|电池)[^。]{0,10}(报|坏|故障|异常|响|鼓包|没电|老化|更换|只能撑|撑不|续航|旁路|自检)/,
  /(备份)[^。]{0,10}(失败|没成功|没有成功|中断|报错|停了)/,
  /(内存|cpu|负载)[^。]{0,10}(100|满|飙|占满|一直涨|居高|很高|爆)/,
  /(证书|许可|授权|license)[^。]{0,10}(过期|到期|失效|过时|拦截|不安全)/,
  /(漏水|滴水|渗水|冷凝水|滴到|进水|跳闸|断电过|停电过)/,
  /(焦糊|糊味|焦味|烧焦|冒烟|火花|过载|超载)/,
  /(同步|复制|主从|镜像|异地备份)[^。]{0,8}(断|停|失败|中断)/,
  /(连接数|会话数|进程数|句柄)[^。]{0,10}(上限|满|涨|爆)/,
  /(占到|占用|使用率|用到)[^。]{0,6}9\d\s*%/,
  /(单链路|只剩一条|只剩一个|单机|只剩一台|只剩一路|只剩本地|单电源|一路电|冗余)[^。]{0,6}(在跑|运行|撑|没了|失效|坏)?/,
  /(硬盘|磁盘|服务器)[^。]{0,10}(咔咔|咔哒|异响|怪声)/,
];

export const FAULT_ANY: RegExp[] = [
  /(加载|打开|刷新|登录|登陆|进入|响应|保存|提交)[^。，,]{0,6}(几分钟|半天|好久|很久|老半天|十几秒|几十秒)/,
  /(打不开|打不了|进不去|登不上|登录不了|登陆不了|无法|失败|报错|错误|出错|故障|坏了|坏掉|损坏|不能用|用不了|没反应|卡死|卡住|很卡|太卡|特别卡|好慢|很慢|太慢|特慢|变慢|死机|蓝屏|黑屏|白屏|花屏|闪屏|闪退|掉线|断网|断开|没网|没声音|没有声音|不显示|显示不全|乱码|异常|报警|告警|不亮|不转|连不上|不出|丢失|加载不|缺失|bug|40\d|50\d|卡顿|重启|转圈|不了|没法|不能|失灵|不好使|不灵|不行|不对|不准|不全|不一致|提示|弹窗|弹出|没了|消失|不见|退出|冒烟|烧|异响|噪音|模糊|延迟|不稳定|中毒|病毒|攻击|破解|过期|到期|漏|坏|停了|停电|断电|没电|满了|不足|不够|红灯|错位|变形|歪|偏|弱|不动|不响|没反映|没显示|空白|重复|串|超时|timeout|error|fail|down|can't|cannot|not work|broken|crash|outage|挂|灭|瘫|只剩|快满|快用完|不多了|告急|闪烁|在闪|直闪|电流声|杂音|滋滋|卡纸|卡了|卡在|卡得|掉了|松了|漏水|跳闸|灭了|熄了|发烫|发热|没信号|无信号|没画面|不出纸|不工作|不运行|起不来|启动不|开不了机|开不开|关不了|失效)/,
];

/** A partial scope (a row, half a room, one class): a real fault, but not the whole system. */
export const PARTIAL: RegExp[] = [/(一整排|整排|一排|两排|几排|一半|半个|几台|好几台|部分|个别|某个班|一个班|这个班|有些|有的|(其他|其它|别的|另一|另外)[^。]{0,8}(正常|没问题|可以|能用|能开|能进|好的|倒是能))/];

/**
 * A part of the platform (a module, a function, a page other than the login) or one teaching
 * device: LABELS.md makes such a fault L3 however many it stops — unless the message says that
 * everything, or everyone, is blocked (`WHOLE`).
 */
export const PART_OF_SERVICE: RegExp[] = [
  /(?<!登录|登陆|首|主)(模块|功能|板块|子系统|栏目)/,
  /(?<!登录|登陆|首|主|网)页面/,
  /(投影|投屏|打印机|耳机|音箱|话筒|麦克风|鼠标|键盘|大屏|白板|电子班牌|显示器|摄像头)/,
];
/** The writer says the rest works (1班3班都正常, 其他机房没问题): whatever the words, part of the service. */
export const OTHERS_FINE: RegExp[] = [/([0-9一二三四五六七八九十]+(班|号机房|号实训室|排)|其他|其它|别的|另外的?)[^。，,！!？?]{0,6}(都|倒|还)?(是)?(正常|没问题|能用|好的|好好的)/];
export const WHOLE: RegExp[] = [
  /(所有|全体|全部|整个(?!班)|每个|每台|全校|全院)[^。，,！!？?]{0,10}(都|全)/,
  /(全灭|全黑|全断|全停|全泡汤|全瘫|停摆)|(课|教学|考试)[^。]{0,8}全(停|泡汤|部停|部取消|中断)/,
  /(整个(实训室|机房|实训中心)|所有模块|全部模块|所有功能|所有页面|全部页面|整个(平台|系统|网站)|(平台|系统)(整个|全部|彻底)|什么都(打不开|用不了|进不去|登不上)|全都(打不开|用不了|进不去)|所有人|所有学生|所有老师|所有数据|每个学生|每个人|全部人|全校|全院|大家都|谁都|一个都|没一个|全部(都)?(打不开|进不去|登不上|用不了))/,
];

export const L4_HINTS: RegExp[] = [
  /(偶尔|偶发|有时|有时候|时不时|间歇|隔一会|一会儿好一会儿|个别|某个按钮|一台|某台|有一台|那台|一个鼠标|一个键盘|耳机|字体|图标|错位|显示不全|不太清楚|稍微|有点)/,
];

export const L3_HINTS: RegExp[] = [
  /(模块|功能|页面|一排|一个机房|半个|几台|好几台|一半|部分|某个班|这个班|投影|打印机|大屏|白板|教师端|学生端|提交|批改|成绩)/,
  /(很慢|太慢|好慢|特别慢|几分钟|转圈|卡顿|很卡|太卡)/,
];

export const CONSULT_HINTS: RegExp[] = [
  /(怎么|怎样|如何|咋|能不能|可不可以|可以吗|是否|吗[？?]?$|[？?]$|哪里|哪个|哪些|多久|多长|多少|几次|几年|什么时候|有没有|请问|想问|问一下|咨询|什么|啥|谁|会不会|要不要|是不是|吗$|呢$)/,
  /(保修|质保|电话|联系方式|地址|响应时间|巡检|服务报告|签字|培训资料|手册|教程|视频)/,
];

export const OTHER_HINTS: RegExp[] = [
  /(希望|建议|能否增加|能不能增加|想加|想要|想增加|新增|增加一个|加一个|开发|定制|需求|安排一次|安排个|组织一次|培训一下|文化墙|布局|布置|改造|升级到|扩容|上线新)/,
];

export const NONE_HINTS: RegExp[] = [
  /^(谢谢|多谢|感谢|辛苦|好的|好滴|好嘞|收到|嗯+|哦+|ok|okay|了解|明白|👍|🙏|早上好|下午好|晚上好|大家好|早|在吗|你好|您好|哈+)[^\u3400-\u9fff]*$/i,
  /(谢谢|感谢|辛苦了|收到|已恢复|恢复了|好了|解决了|没问题了|可以了|处理好|修好|换完|现在都?正常|亮绿灯|没什么问题|虚惊)/,
];

export function matches(list: RegExp[], text: string): number {
  return list.reduce((n, r) => n + (r.test(text) ? 1 : 0), 0);
}

export interface Signals {
  l1: number;
  l2: number;
  l3: number;
  l4: number;
  fault: number;
  consult: number;
  other: number;
  none: number;
  partial: number;
  /** A module or one device, not said to stop everything (PART_OF_SERVICE without WHOLE). */
  part: number;
  /** Everything or everyone is said to be blocked (WHOLE). */
  whole: number;
  /** The rest is said to work (OTHERS_FINE). */
  othersFine: number;
}

export function signals(text: string): Signals {
  return {
    l1: matches(L1_STRONG, text),
    l2: matches(L2_STRONG, text),
    l3: matches(L3_HINTS, text),
    l4: matches(L4_HINTS, text),
    fault: matches(FAULT_ANY, text),
    consult: matches(CONSULT_HINTS, text),
    other: matches(OTHER_HINTS, text),
    none: matches(NONE_HINTS, text),
    partial: matches(PARTIAL, text),
    part: matches(WHOLE, text) ? 0 : matches(PART_OF_SERVICE, text),
    whole: matches(WHOLE, text),
    othersFine: matches(OTHERS_FINE, text),
  };
}

/** Log-score bonuses per label from the signals (weights tuned by cross-validation on the training set). */
export function bonuses(s: Signals): Record<Label, number> {
  const noFault = !s.fault && !s.l1 && !s.l2;
  return {
    // A fault needs some word of a fault: chatter that shares words with reports is not one.
    L1: (s.partial ? 1 : 6) * s.l1 - (noFault ? 4 : 0),
    L2: 5 * s.l2 - (noFault ? 4 : 0),
    L3: 1.5 * s.l3 + (s.fault ? 1 : 0) - (noFault ? 4 : 0),
    L4: 2 * s.l4 + (s.fault ? 1 : 0) - (noFault ? 4 : 0),
    consult: 1.5 * s.consult - (s.fault ? 2 : 0),
    other: 2.5 * s.other - (s.fault ? 2 : 0),
    // Nothing that sounds like a fault, a question or a wish: most likely chatter.
    none: 2 * s.none - (s.fault ? 4 : 0) + (!s.fault && !s.consult && !s.other && !s.l1 && !s.l2 ? 3 : 0),
  };
}
