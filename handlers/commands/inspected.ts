import { contractFor } from '../../src/domain/contract/contract.ts';
import { inspectionStatus } from '../../src/domain/inspections.ts';
import { messageCommit } from '../../src/store/commit.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

export default defineCommand({
  name: 'inspected',
  words: ['巡检完成'],
  aliases: ['/inspected'],
  who: 'staff',
  help: { usage: '巡检完成 情况说明', staff: '记录一次学期上门巡检', readme: { who: 'staff', text: 'record a semester inspection visit' } },
  async run(ctx) {
    const { s, now, msg } = ctx;
    const staff = ctx.staff!;
    const visit = { at: now, by: staff.name, notes: ctx.cmd.args };
    const contract = contractFor(s.policy, msg);
    const st = inspectionStatus(contract, now, [...(await s.inspections.all()), visit]);
    const out = ctx.reply(zh.cmd.inspected({ done: st?.done, required: contract.inspections.perSemester, semester: st?.semester.name }));
    // The visit, the message's mark and the reply are stored in one step.
    await s.inspections.record(visit, messageCommit(msg, out, 'command:inspected'));
    s.log.info({ by: staff.id }, 'inspection recorded');
    return out;
  },
});
