import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../handlers/commands/registry.ts';
import { CommandSet } from '../../handlers/commands/run.ts';
import { parseLevel, parseRating, parseResolution } from '../../src/domain/command-parse.ts';

const commands = new CommandSet(COMMANDS);
const parseCommand = (text: string) => commands.parse(text);

describe('command parsing', () => {
  it('reads Chinese words and slash aliases, with #N or N', () => {
    expect(parseCommand('接单 #12')).toMatchObject({ name: 'ack', n: 12, args: '' });
    expect(parseCommand('接单12')).toMatchObject({ name: 'ack', n: 12 });
    expect(parseCommand('/ack 3')).toMatchObject({ name: 'ack', n: 3 });
    expect(parseCommand('派单 #5 张天慧')).toMatchObject({ name: 'assign', n: 5, args: '张天慧' });
    expect(parseCommand('已解决 #7 更换了硬盘')).toMatchObject({ name: 'resolve', n: 7, args: '更换了硬盘' });
    expect(parseCommand('我的工单')).toMatchObject({ name: 'mine' });
    expect(parseCommand('评价 #4 5 很及时')).toMatchObject({ name: 'rate', n: 4, args: '5 很及时', hash: true });
    expect(parseCommand('评价 5')).toMatchObject({ name: 'rate', n: 5, args: '', hash: false });
    expect(parseCommand('／ACK　＃９')).toMatchObject({ name: 'ack', n: 9 }); // full-width
  });
  it('does not take everyday sentences for commands', () => {
    expect(parseCommand('确认一下明天能来吗')).toBeUndefined();
    expect(parseCommand('帮助我看看这个报错')).toBeUndefined();
    expect(parseCommand('服务器硬盘报警了')).toBeUndefined();
  });
  it('parses levels, resolutions and ratings', () => {
    expect(parseLevel('L2')).toBe('L2');
    expect(parseLevel('一级')).toBe('L1');
    expect(parseLevel('咨询')).toBe('consult');
    expect(parseLevel('L9')).toBeUndefined();
    expect(parseResolution('更换了硬盘 配件：硬盘1块、风扇')).toEqual({ text: '更换了硬盘', parts: ['硬盘1块', '风扇'] });
    expect(parseRating('5 很及时')).toEqual({ score: 5, comment: '很及时' });
    expect(parseRating('五星')).toEqual({ score: 5, comment: '' });
    expect(parseRating('6')).toBeUndefined();
  });
});
