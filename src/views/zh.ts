import type { ClockName, TicketStatus } from '../domain/ticket.ts';

/**
 * The bot's user-facing strings (zh-CN), in one place so wording can be reviewed. Functions take
 * already formatted values (local times, names); no logic beyond wording here. Longer texts built
 * from a ticket live beside it in src/views/ (ticket.ts, timer-messages.ts, digest.ts …); command
 * words and help lines live with their command (handlers/commands/).
 */
export const zh = {
  ticketCreated: (a: { n: number; levelName: string; window: string; deadline: string; isFault: boolean; bot: string; followUp: string; truncatedNotice: string; attachmentNotice: string }) =>
    [
      `已收到，已为您创建工单 #${a.n}（${a.levelName}）。`,
      `按服务承诺，工程师将在${a.window}内响应，即 ${a.deadline}前。`,
      a.isFault
        ? '值班工程师已收到通知，会尽快联系您；如需上门，工程师到场后会在群里告知。'
        : '工程师已收到通知，会尽快答复您。',
      `如需补充情况，${a.followUp}内直接发给我即可，之后请写明「#${a.n}」或回复本条消息；查看进度请发「查询 #${a.n}」。`,
      a.truncatedNotice,
      a.attachmentNotice,
    ]
      .filter(Boolean)
      .join('\n'),
  truncated: (max: number) => `（您的消息超过 ${max} 字，已保存前 ${max} 字，其余部分请分条补充。）`,
  attachmentsOnlyFollowUp: '（图片/文件）',
  attachmentsKept: (k: number) => `（已保存您发来的 ${k} 个图片/文件。）`,
  followUpAdded: (a: { n: number; levelName: string }) => `已补充到工单 #${a.n}（${a.levelName}），工程师会一并查看。`,
  followUpEscalated: (a: { n: number; from: string; to: string; deadline: string }) =>
    `已补充到工单 #${a.n}。根据补充的情况，级别已由${a.from}调整为${a.to}，响应时限更新为 ${a.deadline}前。`,
  /** Pausing the clocks with the reporter's consent (src/domain/sla/pause.ts); n is "#12" in refusals. */
  pause: {
    alreadyProposed: (n: string) => `工单 ${n} 已申请暂停计时，正在等报告人同意。`,
    alreadyPaused: (n: string) => `工单 ${n} 已在暂停计时中；恢复请发「恢复 ${n}」。`,
    nothingToPause: (n: string) => `工单 ${n} 没有正在计时的时限，无需暂停。`,
    overdue: (n: string) => `工单 ${n} 的时限已过，不能暂停计时（暂停不能抵消已超时的时限）。`,
    untilPast: (n: string) => `工单 ${n} 申请的恢复时间已过，暂停没有生效；如仍需暂停，请工程师重新申请。`,
    cap: (n: string) => `工单 ${n} 的暂停时长已达上限，不能再暂停。`,
    capReached: '（暂停时长已达上限，自动恢复计时）',
    noneProposed: (n: string) => `工单 ${n} 没有待确认的暂停申请。`,
    notPaused: (n: string) => `工单 ${n} 没有在暂停计时。`,
    badTime: (e: 'invalid-time' | 'past-time') =>
      e === 'past-time' ? '恢复时间已经过了，请写以后的时间，例如「挂起 #12 等待学校开门 明天8:00」。' : '恢复时间看不懂（没有这一天或这个时刻），请写成「明天8:00」「12月5日 14:30」这样的格式。',
    usage: (reasons: string[]) => `用法：挂起 #N 原因 [恢复时间]，例如「挂起 #12 等待备件」「挂起 #12 等待学校开门 明天8:00」。常用原因：${reasons.join('、')}。`,
    ask: (a: { n: number; reason: string; until: string }) => `工程师申请暂停计时：${a.reason}${a.until ? `（预计 ${a.until} 恢复）` : ''}。同意请回复「同意 #${a.n}」，不同意请回复「不同意 #${a.n}」。暂停期间时限不计，恢复后顺延。`,
    askCardTitle: (n: number) => `工单 #${n} · 申请暂停计时`,
    proposed: (n: number) => `已向报告人申请暂停工单 #${n} 的计时，对方同意后生效。`,
    started: (a: { n: number; reason: string; until: string }) => `工单 #${a.n} 已暂停计时：${a.reason}${a.until ? `，${a.until} 自动恢复` : ''}。恢复请发「恢复 #${a.n}」。`,
    startedForReporter: (a: { n: number; reason: string }) => `工单 #${a.n} 已暂停计时（${a.reason}），恢复后时限顺延；您再发消息也会恢复计时。`,
    declined: (n: number) => `已告知工程师：您不同意暂停工单 #${n} 的计时，时限照常计算。`,
    declinedToTeam: (a: { n: number; who: string }) => `${a.who}不同意暂停工单 #${a.n} 的计时，时限照常计算。`,
    resumed: (a: { n: number; paused: string; deadline: string }) => `工单 #${a.n} 已恢复计时（暂停 ${a.paused}）${a.deadline ? `，时限顺延至 ${a.deadline}` : ''}。`,
    line: (a: { reason: string; since: string; until: string }) => `暂停计时中：${a.reason}（自 ${a.since}${a.until ? `，预计 ${a.until} 恢复` : ''}）`,
    proposedLine: (reason: string) => `暂停申请待报告人同意：${reason}`,
    clockPaused: (deadline: string) => `暂停计时中（原时限 ${deadline}，恢复后顺延）`,
    resumeEvent: (paused: string, why: string) => `暂停 ${paused}（${({ command: '工程师恢复', reporter: '报告人再次留言', time: '到预定时间', cap: '暂停时长达到上限', step: '工单有新进展' } as Record<string, string>)[why] ?? why}）`,
    reportColumn: '暂停时长及原因',
    history: (a: { from: string; to: string; paused: string; reason: string; by: string }) => `${a.from} 至 ${a.to} 暂停 ${a.paused}（${a.reason}，${a.by}）`,
  },
  /** One fault, several reporters (src/domain/incident/): joining, 合并, 拆分. */
  incident: {
    joined: (a: { n: number; levelName: string; progress: string }) =>
      `已有老师报告了同一问题（工单 #${a.n}，${a.levelName}，${a.progress}），已把您加入该工单，处理进展会同步通知您。`,
    progressOpen: '已通知值班工程师',
    progress: { acknowledged: (who: string) => `${who}已接单`, dispatched: (who: string) => `${who}已上门处理`, onsite: (who: string) => `${who}已到场处理` } as Record<string, (who: string) => string>,
    joinedRaised: (levelName: string, deadline: string) => `根据您的描述，级别已调整为${levelName}，响应时限 ${deadline}前。`,
    teamJoined: (a: { n: number; total: number; who: string; text: string; levelNote: string }) => `#${a.n} 又有 1 位老师报告（共 ${a.total} 位）· ${a.who}：${a.text}${a.levelNote}`,
    separate: (n: number, levelName: string) => `这是一个新问题，已单独建单 #${n}（${levelName}）。`,
    maybeSame: (n: number) => `可能与 #${n} 相同：如是同一故障，请发送「合并 #本单 #${n}」`,
    maybeSameLine: (n: number, other: number) => `可能与 #${other} 相同，如是同一故障请发送「合并 #${n} #${other}」`,
    mergeButton: (other: number) => `合并到 #${other}`,
    reporters: (names: string[]) => `报告人（共 ${names.length} 位）：${names.join('、')}`,
    reportedBy: (n: number) => `${n} 位老师报告`,
    reporterCount: (names: string[]) => `${names.length} 位：${names.join('、')}`,
    mergedInto: (n: number, into: number) => `工单 #${n} 已合并到 #${into}，处理进展请查询 #${into}。`,
    merged: (a: { from: number; into: number; total: number; levelNote: string }) => `已将 #${a.from} 合并到 #${a.into}（共 ${a.total} 位报告人）。#${a.from} 的提醒已取消。${a.levelNote}`,
    mergedToTeam: (a: { from: number; into: number; total: number; who: string }) => `${a.who}将 #${a.from} 合并到 #${a.into}（共 ${a.total} 位报告人）`,
    mergedForReporter: (from: number, into: number) => `您报告的问题（#${from}）与 #${into} 是同一故障，已合并到 #${into}，处理进展会同步通知您。`,
    mergeUsage: '用法：合并 #被合并的工单 #保留的工单，例如「合并 #13 #12」。',
    mergeRefused: {
      'same-ticket': '不能把工单合并到它自己。',
      'already-merged': (n: number, into: number) => `工单 #${n} 已经合并到 #${into}。`,
      'source-ended': (n: number) => `工单 #${n} 已结束，不能再合并。`,
      'target-ended': (n: number) => `工单 #${n} 已结束，请合并到仍在处理的工单。`,
    },
    split: (a: { from: number; n: number; levelName: string; deadline: string }) => `已从 #${a.from} 拆分出新工单 #${a.n}（${a.levelName}），响应时限 ${a.deadline}前。`,
    splitToTeam: (a: { from: number; n: number; who: string }) => `${a.who}从 #${a.from} 拆分出新工单 #${a.n}`,
    splitForReporter: (a: { from: number; n: number; levelName: string; deadline: string }) => `您在 #${a.from} 中说的问题已单独建单 #${a.n}（${a.levelName}），工程师将在 ${a.deadline}前响应。`,
    splitUsage: (n: number) => `用法：拆分 #${n} 序号（或其中的文字），例如「拆分 #${n} 1」。`,
    splitList: (n: number, parts: string[]) => (parts.length ? [`#${n} 可拆分的内容：`, ...parts, `发送「拆分 #${n} 序号」即可。`].join('\n') : `工单 #${n} 没有可拆分的补充或其他老师的报告。`),
    splitEnded: (n: number) => `工单 #${n} 已结束，不能再拆分。`,
    left: (n: number) => `已撤回您对工单 #${n} 的报告；其他老师报告的问题仍在处理。`,
    leftToTeam: (a: { n: number; who: string; total: number }) => `#${a.n} ${a.who}撤回了报告（还有 ${a.total} 位）`,
    cancelShared: (n: number, others: number) => `工单 #${n} 还有 ${others} 位老师报告了同一问题，不能撤销；如果您这边已恢复，请告诉工程师。`,
  },
  teamNotice: {
    title: (n: number, levelName: string) => `新工单 #${n} · ${levelName}`,
    text: (a: { n: number; levelName: string; reporter: string; chat: string; text: string; deadline: string }) =>
      [`【新工单 #${a.n}】${a.levelName}`, `报告人：${a.reporter}（${a.chat}）`, `内容：${a.text}`, `响应时限：${a.deadline}前`, `接单请回复「接单 #${a.n}」`].join('\n'),
    followUp: (a: { n: number; reporter: string; text: string; levelNote: string }) => `【工单 #${a.n} 补充】${a.reporter}：${a.text}${a.levelNote}`,
    levelRaised: (levelName: string) => `（级别调整为${levelName}）`,
    reopened: (deadline: string) => `（已解决的工单因此重新打开，响应时限 ${deadline}前）`,
    storm: (a: { chat: string; count: number; every: string; list: string; levels: string }) =>
      `⚠️ ${a.chat}新工单激增：又新建 ${a.count} 单（${a.levels}）：${a.list}。为免刷屏，逐条通知已暂停，每${a.every}汇总一次；发送「待办」查看全部。`,
  },
  fields: { ticket: '工单', level: '级别', reporter: '报告人', chat: '来源', content: '内容', deadline: '响应时限', note: '提示', reporters: '报告人数' },
  courtesy: '不客气！有问题随时 @我。',
  flood: (window: string, phone: string) => `您的消息有点多，我先暂停处理一会儿（${window}后恢复）。紧急情况请直接拨打售后服务电话 ${phone}。`,
  greeting: (bot: string) => `您好，我是${bot}。报故障或咨询问题，直接 @我 描述情况即可（例如“302机房的电脑都登不上平台”）；发送「帮助」查看可用命令。`,
  emptyHint: (bot: string) => `您好，我是${bot}，请直接描述遇到的问题，例如“实训平台打不开了”。`,
  attachmentOnly: '收到您发来的图片/文件，已先保存。请再用一句话描述遇到的问题，我会连同附件一起建单。',
  chatNames: { p2p: '私聊' },

  kb: {
    answer: (a: { title: string; body: string; id: string; citation: string }) =>
      `📖 ${a.title}\n${a.body}\n\n${a.citation}（来源：知识库「${a.title}」）\n如果没有解决您的问题，请回复「转人工」，我会马上转给工程师。`,
    miss: (n: number, levelName: string) => `这个问题我这里没有准确答案，已转给售后同事（工单 #${n}，${levelName}）。`,
    handoffPrefix: '好的，已为您转给工程师。',
    handoffNone: '请直接描述您的问题（例如“怎么导入学生名单”），我会先查知识库，必要时转给工程师。',
    reloaded: (n: number, errors: number) => `知识库已重新加载：${n} 条${errors ? `，${errors} 个文件有误已跳过（详见日志）` : ''}。`,
    /** Where an answer comes from: a clause of the contract (售后服务承诺书, the tender's 5.3.1). */
    cite: (clause: string) => `依据：${clause}`,
    citePolicy: '依据：本校的服务约定（系统配置，与合同原文不同处以此为准）',
    citeNone: '依据：知识库（合同未规定，仅供参考）',
    clauses: {
      team: '售后服务承诺书 5.3.1 第5条（售后服务人员）',
      response: '售后服务承诺书 5.3.1 第4条（电话支持响应时间表）',
      onsite: '售后服务承诺书 5.3.1 第1条(2)（现场响应）',
      warranty: '售后服务承诺书 5.3.1 首句；第6条（质保期）',
      inspections: '售后服务承诺书 5.3.1 第7条第1项（主动上门检测保养）',
    },
    fact: {
      phone: (name: string, title: string, phone: string) => `${name}（${title}）：${phone}`,
      noPhone: (name: string, title: string, hotline: string) => `${name}（${title}）的电话合同中没有列出，请拨打售后服务电话 ${hotline}。`,
      person: (name: string, title: string, phone?: string) => `${name}：${title}${phone ? `，电话 ${phone}` : ''}`,
      response: (levelName: string, description: string, window: string) => `${levelName}${description ? `（${description}）` : ''}：${window}内响应`,
      onsite: {
        arrive: (w: string) => `电话咨询不能解决的问题，工程师 ${w}内到达现场。`,
        resolve: (w: string) => `工程师到场后 ${w}内解决问题，确保设备系统正常工作。`,
        backup: (w: string) => `无法在规定时间内解决的，${w}内提供备用系统，保证正常使用。`,
      } as Record<'arrive' | 'resolve' | 'backup', (w: string) => string>,
      warranty: '本项目所投产品质保期为 3 年，质保期内全免费；质保期外根据现场情况酌情收取服务费用。',
      inspections: (n: number) => `每一学期不少于 ${n} 次主动上门检测保养服务。`,
      address: (vendor: string, address: string) => `${vendor}，售后服务地址：${address}。`,
      company: (vendor: string) => `售后服务单位：${vendor}。`,
      hotline: (phone: string) => `售后服务电话：${phone}。`,
    },
    factAnswer: (text: string, citation: string) => `${text}\n${citation}\n如果没有解决您的问题，请回复「转人工」。`,
    sensitive: '密码、个人隐私和成绩这类信息，机器人不能提供或修改。请联系学校的系统管理员；确需售后协助的，请直接联系工程师或拨打售后服务电话。',
  },
  clockNames: { response: '响应', arrival: '到场', resolution: '解决', backup: '备用系统' } as Record<string, string>,
  /** What ends each clock, as the command to type. */
  /** What is still missing when a clock runs out: 仍未… */
  clockVerb: { response: '接单', arrival: '到场', resolution: '解决', backup: '提供备用系统' } as Record<ClockName, string>,
  /** The exact command that meets a clock (and so ends its reminders). */
  clockEnd: { response: (n: number) => `接单 #${n}`, arrival: (n: number) => `到场 #${n}`, resolution: (n: number) => `已解决 #${n} 处理说明`, backup: (n: number) => `备用 #${n}` } as Record<ClockName, (n: number) => string>,
  outcome: { met: '按时', breached: '超时', cancelled: '已取消', 'not-needed': '无需' } as Record<string, string>,
  unassigned: '未指派',
  status: {
    open: '待接单',
    acknowledged: '已接单',
    dispatched: '已派人上门',
    onsite: '工程师已到场',
    resolved: '已解决，待确认',
    confirmed: '已确认',
    closed: '已关闭',
    cancelled: '已撤销',
    merged: '已合并',
  } satisfies Record<TicketStatus, string>,
  weekdays: ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  /** Timeline words per history action. */
  historyActions: {
    created: '报告', 'follow-up': '补充', ack: '接单', assign: '指派', dispatch: '上门', arrive: '到场', resolve: '已解决',
    backup: '备用系统', level: '改级', note: '备注', close: '关闭', reopen: '重开', confirm: '签字确认', rate: '评价',
    cancel: '撤销', breach: '超时', reply: '回复报告人', join: '同一问题报告', merge: '合并', 'merged-into': '并入', split: '拆分', 'split-from': '拆分自', leave: '撤回报告', 'pause-proposed': '申请暂停计时', 'pause-consent': '同意暂停', 'pause-declined': '不同意暂停', pause: '暂停计时', resume: '恢复计时',
  } as Record<string, string>,
  history: {
    classified: (levelName: string, confidence: number) => `${levelName}（自动分类，置信度 ${confidence.toFixed(2)}）`,
    autoLevel: (levelName: string) => `${levelName}（自动分级）`,
    resolvedWithParts: (text: string, parts: string[]) => `${text}（配件：${parts.join('、')}）`,
    rated: (score: number, comment: string) => `${score}分${comment ? `：${comment}` : ''}`,
    handedOff: (title: string) => `知识库答复「${title}」未解决，转人工`,
  },
  /** Why a lifecycle step was refused (src/domain/lifecycle.ts Refusal); n is "#12". */
  refusal: {
    ended: (n: string, status: string) => `工单 ${n} ${status}，不能再执行此操作。`,
    alreadyAcked: (n: string) => `工单 ${n} 已经接单了。`,
    alreadyAssigned: (n: string, who: string) => `工单 ${n} 已由${who}负责。`,
    alreadyDispatched: (n: string) => `工单 ${n} 已经派人上门了。`,
    alreadyArrived: (n: string) => `工单 ${n} 已记录到场。`,
    notDispatched: (n: string) => `工单 ${n} 还没有派人上门，请先发送「上门 ${n}」。`,
    alreadyResolved: (n: string) => `工单 ${n} 已经是已解决状态。`,
    resolutionMissing: (n: string) => `请写明处理情况，例如「已解决 ${n} 更换了硬盘」。`,
    backupNotStarted: (n: string) => `工单 ${n} 还没有上门处理，备用系统时限尚未开始。`,
    backupRecorded: (n: string) => `工单 ${n} 已记录备用系统。`,
    sameLevel: (n: string, level: string) => `工单 ${n} 已经是${level}。`,
    noteMissing: (n: string) => `请写上备注内容，例如「备注 ${n} 已电话联系王老师」。`,
    replyMissing: (n: string) => `请写上要告诉报告人的话，例如「回复 ${n} 已带备件出发，预计10点到」。`,
    stillOpen: (n: string) => `工单 ${n} 还在处理中，无需重开。`,
    alreadyConfirmed: (n: string) => `工单 ${n} 已经确认过了，谢谢！`,
    confirmTooEarly: (n: string) => `工单 ${n} 还没有处理完，处理完成后再确认。`,
    rateTooEarly: (n: string) => `工单 ${n} 还没有处理完，处理完成后再评价。`,
    engineerWorking: (n: string) => `工单 ${n} 工程师已在处理，如不需要了请在群里告诉工程师。`,
  },

  timer: {
    remind: (a: TimerText) =>
      `⏰ 提醒：工单 #${a.n}（${a.level}）的${a.clock}时限为 ${a.deadline}，${a.left}。\n报告人：${a.reporter}（${a.chat}）\n内容：${a.text}\n请尽快处理，完成后发送「${a.command}」。`,
    approach: (a: TimerText, role: Audience) =>
      `⚠️ 即将超时：工单 #${a.n}（${a.level}）${a.clock}时限 ${a.deadline}，${a.left}。\n报告人：${a.reporter}（${a.chat}）\n处理人：${a.assignee}\n内容：${a.text}\n${
        { assignee: `请尽快处理，完成后发送「${a.command}」。`, lead: `请组长跟进，完成后发送「${a.command}」。`, manager: '处理人是组长本人，请经理跟进。', team: `请处理人尽快处理，完成后发送「${a.command}」。` }[role]
      }`,
    breach: (a: TimerText, role: Audience) =>
      `🚨 已超时：工单 #${a.n}（${a.level}）${a.clock}时限 ${a.deadline} 已过${a.overBy ? `（已超时 ${a.overBy}）` : ''}，仍未${a.verb}。\n报告人：${a.reporter}（${a.chat}）\n处理人：${a.assignee}\n内容：${a.text}\n${a.repeats ? `已催办 ${a.repeats}/${a.max} 次。\n` : ''}${a.managerTold && role !== 'manager' ? `已通知经理${a.manager}。\n` : ''}${
        { assignee: `请立即处理，完成后发送「${a.command}」。`, lead: `请立即跟进，完成后发送「${a.command}」。`, manager: '请经理关注并督促处理。', team: `请立即处理，完成后发送「${a.command}」。` }[role]
      }`,
    repeat: (a: TimerText, role: Audience) =>
      `🚨 第 ${a.repeats}/${a.max} 次催办：工单 #${a.n}（${a.level}）${a.clock}时限 ${a.deadline}，${a.over}，仍未${a.verb}。\n报告人：${a.reporter}（${a.chat}）\n处理人：${a.assignee}\n内容：${a.text}\n${a.managerTold && role !== 'manager' ? `已通知经理${a.manager}。\n` : ''}完成后发送「${a.command}」即可停止催办。`,
    manager: (a: TimerText) =>
      `📋 超时汇总：工单 #${a.n}（${a.level}）${a.clock}时限 ${a.deadline}，${a.over}，已催办 ${a.max} 次仍未${a.verb}，请经理介入。\n报告人：${a.reporter}（${a.chat}）\n处理人：${a.assignee}\n内容：${a.text}\n完成后发送「${a.command}」，提醒到此为止。`,
    managerTeam: (a: TimerText) =>
      `📋 工单 #${a.n}（${a.level}）${a.clock}时限 ${a.deadline}，${a.over}，已催办 ${a.max} 次，已通知经理${a.manager}。不再催办，完成后请发送「${a.command}」。`,
    catchUp: '（多条到期的提醒已合并为这一条，以上为当前状态。）',
    late: '（这条提醒晚于预定时间发出，以上为当前状态。）',
    signoff: (a: { n: number; name: string }) => `${a.name}您好，工单 #${a.n} 已处理完成一天了，请核对服务报告后回复「确认 #${a.n}」签字确认，并回复「评价 #${a.n} 1-5」为本次服务打分。谢谢！`,
  },

  /** One short line each for the reporter, in their chat, under their report (policy notify.reporter.*). */
  reporter: {
    ack: (a: { n: number; who: string }) => `工单 #${a.n}：${a.who}已接单，正在处理。`,
    assign: (a: { n: number; who: string }) => `工单 #${a.n}：已安排工程师${a.who}负责处理。`,
    dispatch: (a: { n: number; who: string; arrive: string }) => `工单 #${a.n}：已安排${a.who}上门，预计 ${a.arrive}前到场。`,
    arrive: (a: { n: number; who: string }) => `工单 #${a.n}：${a.who}已到场处理。`,
    level: (a: { n: number; from: string; to: string; reason: string; deadline: string }) =>
      `工单 #${a.n}：级别已由${a.from}调整为${a.to}${a.reason ? `（原因：${a.reason}）` : ''}。${a.deadline}`,
    breach: (a: { n: number; clock: string; role: string; who: string }) => `工单 #${a.n}：${a.clock}已超时，已通知${a.role}${a.who}跟进。`,
    breachTeam: (a: { n: number; clock: string }) => `工单 #${a.n}：${a.clock}已超时，服务团队正在跟进。`,
    /** The short service report (at most 8 lines); the full one is behind the link. */
    resolved: (a: { n: number; problem: string; done: string; who: string; at: string; link: string }) =>
      [
        `✅ 工单 #${a.n} 已处理完成`,
        `问题：${a.problem}`,
        `处理：${a.done}`,
        `工程师：${a.who} · ${a.at}`,
        `请核对后回复「确认 #${a.n}」签字确认，并回复「评价 #${a.n} 1-5」为本次服务打分。`,
        a.link ? `完整服务报告：${a.link}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    reply: (a: { n: number; text: string; who: string }) => `💬 工单 #${a.n} 回复：${a.text}\n—— 售后工程师 ${a.who}`,
    reopened: (n: number) => `工单 #${n} 已重新打开，工程师会尽快跟进。`,
  },
  roleNames: { lead: '组长', manager: '经理', assignee: '工程师' } as Record<string, string>,

  cmd: {
    ticketHint: (n: number, status: string, commands: string[]) => `工单 #${n}（${status}）可用命令：${commands.map((c) => `「${c}」`).join(' ')}。发送「帮助」查看全部命令。`,
    staffShort: '可用命令：「接单 #N」「上门 #N 姓名」「到场 #N」「已解决 #N 处理说明」「回复 #N 内容」「改级 #N 级别 原因」「查询 #N」「待办」。发送「帮助」查看全部命令。',
    needNumber: (word: string) => `请注明工单号，例如「${word} #12」。`,
    notFound: (n: number) => `没有找到工单 #${n}，请核对工单号。`,
    staffOnly: (word: string) => `抱歉，「${word}」是售后服务团队的命令，您的账号不在服务团队名单中。如需帮助请直接描述问题，或拨打售后服务电话。`,
    reporterOnly: (n: number) => `抱歉，工单 #${n} 不是您报告的，只有报告人可以执行此操作。`,
    notYours: (n: number) => `抱歉，只能查询您自己报告的工单，#${n} 不是您报告的。`,
    unknownMember: (name: string, list: string) => `名单中没有“${name}”。可选：${list}。`,
    badLevel: '请写明级别：L1（一级故障）、L2、L3、L4、咨询 或 其它，可在后面写原因，例如「改级 #12 二级 影响全部学生」。',
    badRating: (n: number) => `请用 1-5 分评价，例如「评价 #${n} 5 响应很及时」。`,
    ack: (a: { n: number; who: string; outcome: string }) => `✅ ${a.who}已接单：工单 #${a.n}。${a.outcome}`,
    assign: (a: { n: number; who: string }) => `工单 #${a.n} 已指派给${a.who}。`,
    assignToAssignee: (a: { n: number; by: string }) => `${a.by}把工单 #${a.n} 指派给您，请及时处理。`,
    dispatch: (a: { n: number; who: string; arrive: string; resolve: string; backup: string }) =>
      `🚗 工单 #${a.n}：${a.who}已安排上门。\n到场时限：${a.arrive}前\n解决时限：${a.resolve}前\n如 4 小时内无法解决，将在 ${a.backup}前提供备用系统。`,
    dispatchToAssignee: (a: { n: number; by: string; arrive: string }) => `${a.by}安排您上门处理工单 #${a.n}，请在 ${a.arrive}前到场，到场后发送「到场 #${a.n}」。`,
    arrive: (a: { n: number; who: string; outcome: string }) => `📍 工单 #${a.n}：工程师${a.who}已到场。${a.outcome}`,
    resolve: (a: { n: number; who: string }) => `✅ 工单 #${a.n} 已由${a.who}处理完成。`,
    backup: (a: { n: number; outcome: string }) => `🔁 工单 #${a.n}：备用系统已就位，可先继续使用。${a.outcome}`,
    level: (a: { n: number; from: string; to: string; deadline: string; reason?: string }) => `工单 #${a.n} 级别已由${a.from}调整为${a.to}${a.reason ? `（原因：${a.reason}）` : ''}。${a.deadline}`,
    levelDeadline: (deadline: string) => `响应时限 ${deadline}前。`,
    note: (n: number) => `已为工单 #${n} 添加备注。`,
    replySent: (a: { n: number; to: string }) => `已转告${a.to}（工单 #${a.n}），并记入工单记录。`,
    close: (a: { n: number; reason: string }) => `工单 #${a.n} 已关闭${a.reason ? `：${a.reason}` : '。'}`,
    reopen: (a: { n: number; deadline: string }) => `工单 #${a.n} 已重新打开，响应时限 ${a.deadline}前。`,
    confirm: (a: { n: number }) => `🖊 已签字确认工单 #${a.n} 的服务报告，谢谢！如方便，请回复「评价 #${a.n} 1-5」为本次服务打分。`,
    confirmToTeam: (a: { n: number; who: string }) => `🖊 ${a.who}已确认工单 #${a.n} 的服务报告。`,
    rate: (a: { n: number; score: number }) => `感谢您的评价（${'★'.repeat(a.score)}${'☆'.repeat(5 - a.score)}），工单 #${a.n} 已记录。`,
    lowRating: (a: { n: number; score: number; comment: string }) => `⚠️ 工单 #${a.n} 收到 ${a.score} 分评价${a.comment ? `：${a.comment}` : ''}，请组长回访。`,
    cancel: (n: number) => `工单 #${n} 已撤销。`,
    cancelToTeam: (a: { n: number; who: string }) => `工单 #${a.n} 已被报告人${a.who}撤销。`,
    onTime: (deadline: string) => `（时限 ${deadline}，按时）`,
    late: (deadline: string, over: string) => `（时限 ${deadline}，${over}）`,
    todoEmpty: '目前没有待处理的工单 👍',
    inspected: (a: { done: number | undefined; required: number; semester: string | undefined }) =>
      a.semester ? `✅ 已记录巡检。${a.semester}已完成 ${a.done} 次（合同要求不少于 ${a.required} 次）。` : '✅ 已记录巡检（当前不在学期内）。',
    whoami: (a: { platform: string; userId: string; chatId: string; staff: string | undefined }) =>
      `平台：${a.platform}\n您的用户 ID：${a.userId}\n本会话 ID：${a.chatId}\n${a.staff ? `已识别为服务团队成员：${a.staff}` : '不在服务团队名单中（管理员可把上面的用户 ID 填入策略文件的 roster.ids）'}`,
    todoTitle: (k: number) => `待办工单（${k} 个）：`,
    mineEmpty: '您还没有报告过工单。',
    mineTitle: (k: number) => `您最近的工单（${k} 个）：`,
  },

  card: {
    stale: '卡片已过期：工单状态已变化，已刷新为最新状态，请重新操作。',
    replyPlaceholder: '回复报告人（发到报告人所在的群，记入工单）',
    replyButton: '回复报告人',
    notFound: (n: number) => `没有找到工单 #${n}`,
    done: '已处理',
    unusable: '无法处理该操作',
  },

  inspection: {
    when: 'M月d日 HH:mm',
    remindDeputy: (a: { semester: string; k: number; when: string; perSemester: number }) =>
      `📅 巡检提醒：${a.semester}第 ${a.k} 次主动上门巡检计划于 ${a.when}（合同要求每学期不少于 ${a.perSemester} 次）。请安排人员，完成后发送「巡检完成 情况说明」记录。`,
    remindSchool: (a: { k: number; when: string }) =>
      `📅 通知：售后工程师计划于 ${a.when} 到实训中心进行本学期第 ${a.k} 次巡检保养，届时可能短暂检查服务器和机房设备。如有需要一并处理的问题，请提前告诉我。`,
  },

  monitor: {
    reporter: '系统监控',
    probeTimeout: (window: string) => `超时（${window}）`,
    probeUnreachable: '无法连接',
    tcpOk: 'TCP 可连接',
    tcpTimeout: (window: string) => `TCP 超时（${window}）`,
    tcpRefused: 'TCP 连接被拒绝',
    ticketText: (a: { name: string; target: string; detail: string; since: string; failures: number }) =>
      `监控发现：${a.name}（${a.target}）无法访问：${a.detail}；自 ${a.since} 起已连续 ${a.failures} 次检测失败。`,
    recoveredNote: (a: { name: string; downtime: string }) => `监控恢复：${a.name} 已恢复，停机约 ${a.downtime}`,
    recoveredNotice: (a: { name: string; downtime: string; n: number }) => `✅ 监控恢复：${a.name} 已恢复访问，停机约 ${a.downtime}。工单 #${a.n} 请确认原因后处理并关闭。`,
  },

  feishu: {
    unknownUser: (tail: string) => `飞书用户${tail}`,
  },

  wecom: {
    replaced: '⚠️ 售后助手的企业微信机器人被另一处连接顶替（同一个 Bot ID 在别处运行），企业微信消息暂停收发；10 分钟后自动重试，请检查是否有重复部署。',
    cut: '\n……（内容过长，其余部分请在管理页查看）',
  },

  wechat: {
    loggedOut: '⚠️ 售后助手的微信账号已退出登录，请尽快在管理页 /wechat/login 扫码重新登录。',
    scan: '微信登录：请用机器人账号扫码（也可打开管理页 /wechat/login）',
    bound: (name: string) => `绑定成功：您已被识别为服务团队成员 ${name}。发送「帮助」查看命令。`,
    bindRefused: '绑定码无效或已过期，请让管理员重新生成（npx aftersales bind-code <名单ID>）。',
    bindCodeHint: (a: { name: string; minutes: number; code: string }) => `${a.name}：请在 ${a.minutes} 分钟内私聊机器人发送「绑定 ${a.code}」。`,
  },


  help: {
    line: (usage: string, what: string) => `· ${usage} —— ${what}`,
    staff: (bot: string, lines: string[], aliases: string[]) => [`${bot} · 服务团队命令（工单号写作 #N 或 N）：`, ...lines, `英文别名：${aliases.join(' ')}`].join('\n'),
    teacher: (bot: string, phone: string, lines: string[], aliases: string[]) =>
      [
        `${bot}使用说明：`,
        '· 报故障 / 提问：在群里 @我 描述情况，或私聊我；我会自动分级建单并通知工程师。',
        '· 刚报告后补充的说明会自动并入您刚才的工单。',
        ...lines,
        `· 紧急情况可直接拨打售后服务电话 ${phone}（7×24 小时）。`,
        `英文别名：${aliases.join(' ')}`,
      ].join('\n'),
  },
} as const;

/** Who a timer notice is worded for: the roles of src/domain/sla/decide.ts, and the team group. */
export type Audience = 'assignee' | 'lead' | 'manager' | 'team';

export interface TimerText {
  n: number;
  level: string;
  clock: string;
  deadline: string;
  /** 还剩 12分钟 / 即将超时 / 已超时 … */
  left: string;
  /** 已超时 2小时15分钟 / 刚刚超时 */
  over: string;
  /** How late, when a minute or more: 2小时15分钟; else empty. */
  overBy: string;
  reporter: string;
  chat: string;
  assignee: string;
  text: string;
  /** The exact command that ends the clock: 接单 #12. */
  command: string;
  /** What is missing: 接单 / 到场 / 解决 … */
  verb: string;
  repeats: number;
  max: number;
  managerTold: boolean;
  /** The manager's name(s). */
  manager: string;
}
