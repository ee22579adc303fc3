import type { PolicyInput } from './policy.ts';

/**
 * The built-in default policy: CONTRACT.md exactly (the project-specific commitment letter 5.3.1
 * wins over the generic plan 5.3.2). config/policy.example.yaml is the same policy, commented.
 */
export const CONTRACT_POLICY: PolicyInput = {
  timezone: 'Asia/Shanghai',
  bot: { name: '售后助手' },
  levels: {
    L1: { name: '一级故障', description: '整个系统瘫痪，基本功能不能实现或者全面退化', response: '30m' },
    L2: { name: '二级故障', description: '潜在的整个系统瘫痪', response: '30m' },
    L3: { name: '三级故障', description: '直接影响服务，系统性能或服务部分退化', response: '1h' },
    L4: { name: '四级故障', description: '断续或间接影响服务', response: '1h' },
    consult: { name: '技术咨询', description: '技能咨询、设备业务和功能的咨询', response: '1h' },
    other: { name: '其它问题', description: '产品新业务新功能的需求，不直接影响服务', response: '1h' },
  },
  onsite: { arrive: '2h', resolve: '4h', backup: '72h' },
  intake: { followUpWindow: '10m', reopenWithin: '7d' },
  notify: { reporter: { ack: true, assign: true, dispatch: true, arrive: true, level: true, breach: true, resolve: true } },
  reminders: { remind: '2/3', approach: '5/6', repeatEvery: '30m', repeatMax: 4, managerLevels: ['L1', 'L2'], signoff: '24h', catchUpGrace: '60s' },
  onDuty: { rota: [] },
  digest: { time: '08:30', chats: ['team'] },
  health: { every: '1m', failures: 3, checks: [] },
  inspections: { perSemester: 2, weeks: [3, 12], time: '09:00', remindDeputyDaysBefore: 3, remindSchoolDaysBefore: 1, semesters: [] },
  maxMessageChars: 4000,
  flood: { messages: 20, window: '1m' },
  storm: { tickets: 30, window: '5m', summaryEvery: '1m' },
  handoffWindow: '30m',
  incident: { joinWindow: '30m' },
  pause: { needsConsent: true, maxTotal: '72h', reasons: ['等待备件', '等待学校', '等待第三方', '其它'] },
  service: {
    vendor: '河南亨恒电子科技有限公司',
    customer: '濮阳职业技术学院 数智化财务综合实践教学中心',
    phone: '13526683110',
    address: '河南省郑州市金水区庙里镇国基路 99 号 39 号楼东 3 单元 1 层 25 号',
  },
  roster: [
    { id: 'wanghaiqin', name: '王海芹', title: '经理', roles: ['manager'], phone: '13526683110', ids: { sim: 'wanghaiqin' } },
    { id: 'lishuang', name: '李爽', title: '组长（全面负责售后）', roles: ['lead', 'engineer'], phone: '13598031696', ids: { sim: 'lishuang' } },
    { id: 'zhangtianhui', name: '张天慧', title: '副组长（负责人员安排）', roles: ['deputy', 'engineer'], ids: { sim: 'zhangtianhui' } },
    { id: 'wujinjin', name: '吴锦锦', title: '仓库管理', roles: ['warehouse'], phone: '13213003155', ids: { sim: 'wujinjin' } },
  ],
  chats: [
    { id: 'school', name: '实训中心教师群', role: 'school', ids: { sim: 'school' } },
    { id: 'team', name: '售后服务群', role: 'team', ids: { sim: 'team' } },
  ],
};
