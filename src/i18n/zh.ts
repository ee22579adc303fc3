/**
 * Every user-facing string of the bot (zh-CN), in one place so wording can be reviewed.
 * Functions take already formatted values (local times, names); no logic beyond wording here.
 */
export const zh = {
  ticketCreated: (a: { n: number; levelName: string; window: string; deadline: string; isFault: boolean; bot: string; truncatedNotice: string; attachmentNotice: string }) =>
    [
      `已收到，已为您创建工单 #${a.n}（${a.levelName}）。`,
      `按服务承诺，工程师将在${a.window}内响应，即 ${a.deadline}前。`,
      a.isFault
        ? '值班工程师已收到通知，会尽快联系您；如需上门，工程师到场后会在群里告知。'
        : '工程师已收到通知，会尽快答复您。',
      `如需补充情况，10 分钟内直接发给我即可；查看进度请发「查询 #${a.n}」。`,
      a.truncatedNotice,
      a.attachmentNotice,
    ]
      .filter(Boolean)
      .join('\n'),
  truncated: (max: number) => `（您的消息超过 ${max} 字，已保存前 ${max} 字，其余部分请分条补充。）`,
  attachmentsKept: (k: number) => `（已保存您发来的 ${k} 个图片/文件。）`,
  followUpAdded: (a: { n: number; levelName: string }) => `已补充到工单 #${a.n}（${a.levelName}），工程师会一并查看。`,
  followUpEscalated: (a: { n: number; from: string; to: string; deadline: string }) =>
    `已补充到工单 #${a.n}。根据补充的情况，级别已由${a.from}调整为${a.to}，响应时限更新为 ${a.deadline}前。`,
  teamNotice: {
    title: (n: number, levelName: string) => `新工单 #${n} · ${levelName}`,
    text: (a: { n: number; levelName: string; reporter: string; chat: string; text: string; deadline: string }) =>
      [`【新工单 #${a.n}】${a.levelName}`, `报告人：${a.reporter}（${a.chat}）`, `内容：${a.text}`, `响应时限：${a.deadline}前`, `接单请回复「接单 #${a.n}」`].join('\n'),
    followUp: (a: { n: number; reporter: string; text: string; levelNote: string }) => `【工单 #${a.n} 补充】${a.reporter}：${a.text}${a.levelNote}`,
  },
  fields: { ticket: '工单', level: '级别', reporter: '报告人', chat: '来源', content: '内容', deadline: '响应时限' },
  actions: { ack: '接单' },
  courtesy: '不客气！有问题随时 @我。',
  greeting: (bot: string) => `您好，我是${bot}。报故障或咨询问题，直接 @我 描述情况即可（例如“302机房的电脑都登不上平台”）；发送「帮助」查看可用命令。`,
  emptyHint: (bot: string) => `您好，我是${bot}，请直接描述遇到的问题，例如“实训平台打不开了”。`,
  attachmentOnly: '收到您发来的图片/文件，已先保存。请再用一句话描述遇到的问题，我会连同附件一起建单。',
  help: (bot: string, phone: string) =>
    [
      `${bot}使用说明：`,
      '· 报故障 / 提问：在群里 @我 描述情况，或私聊我；我会自动分级建单并通知工程师。',
      '· 10 分钟内补充说明会自动并入您刚才的工单。',
      `· 紧急情况可直接拨打售后服务电话 ${phone}（7×24 小时）。`,
    ].join('\n'),
  chatNames: { p2p: '私聊' },
} as const;
