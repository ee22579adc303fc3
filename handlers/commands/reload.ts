import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

export default defineCommand({
  name: 'reload',
  words: ['重载知识库'],
  aliases: ['/reload'],
  who: 'staff',
  help: { usage: '重载知识库', staff: '修改 knowledge/ 后立即生效（文件变化也会自动重载）', readme: { who: 'staff', text: 'reload `knowledge/` now (it also reloads on file changes)' } },
  async run(ctx) {
    const r = ctx.s.knowledge.reload();
    return ctx.reply(zh.kb.reloaded(r.entries, r.errors.length));
  },
});
