/**
 * Requests a bot must never answer, whatever the knowledge base holds: someone's password or
 * credentials, personal data beyond the contract's team table, grades to look up or change, data
 * to alter. They get a fixed refusal and no ticket (docs/knowledge.md). How-tos stay answerable:
 * 怎么修改密码 / 忘记密码怎么办 / 如何导出成绩 ask how, not for the secret or the change itself.
 */
const RULES: RegExp[] = [
  // The secret itself: 密码是多少 / 告诉我密码 / 发一下root密码 / 管理员账号密码给我.
  /(密码|口令|passw(or)?d|root|admin|管理员账号|超级管理员|数据库账号)[^。？?]{0,8}(是多少|是什么|多少|告诉|发我|发一下|给我|给一下|提供|分享)/i,
  /(告诉|发|给|提供|分享)[^。？?]{0,6}(我|一下)?[^。？?]{0,6}(的)?(密码|口令|root账号|管理员账号)/i,
  /(服务器|数据库|后台|系统|主机|交换机|路由器|平台)的?(管理员|root|admin)?(密码|口令|账号密码)(?!.{0,6}(忘|改|重置|修改|找回|锁|错|过期))/i,
  // Personal data of people (not the service team's contract contacts).
  /(身份证|家庭住址|住在哪|住哪|私人电话|私人手机|家里电话|工资|薪水|收入|生日)/,
  /(学生|同学|老师|他|她)[^。？?]{0,6}(的)?(手机号|电话号码|联系方式|微信号)(是多少|多少|发我|给我)/,
  // Grades: look up or change someone's.
  /(改|修改|调高|调整|提高|加)(一下|下)?[^。？?]{0,6}的?(成绩|分数)(?!.{0,4}(在吗|还在|丢|没了))|(成绩|分数)[^。？?]{0,4}(改成|改为|调高|加分|提高)/,
  /(查|看|告诉我)[^。？?]{0,8}(某个|这个|那个|[\p{Script=Han}]{2,3}同学|学生)[^。？?]{0,4}的?(成绩|分数)/u,
];

export function isSensitive(question: string): boolean {
  const t = question.normalize('NFKC');
  return RULES.some((r) => r.test(t));
}
