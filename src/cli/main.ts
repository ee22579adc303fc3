import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { classifier } from '../classifier-model.ts';
import { evaluate, formatEvaluation } from '../domain/classifier/evaluate.ts';
import { parseTsv } from '../domain/classifier/tsv.ts';

const USAGE = `usage: aftersales <command>

commands:
  start                       run the bot (same as npm start, without the install step)
  classify                    read messages from stdin, one per line; print {"label","confidence"} per line
  classify --eval FILE.tsv    evaluate on a labelled file (header, then label<TAB>text); --json for JSON
  help                        this text
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const { startBot } = await import('../main.ts');
      await startBot();
      return -1; // keeps running
    }
    case 'classify':
      return classify(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

async function classify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { eval: { type: 'string' }, json: { type: 'boolean' } } });
  const model = classifier();
  if (values.eval) {
    const examples = parseTsv(readFileSync(values.eval, 'utf8'), values.eval);
    const ev = evaluate(examples, (t) => model.classify(t).label);
    process.stdout.write(values.json ? `${JSON.stringify(ev)}\n` : `${formatEvaluation(ev)}\n`);
    return 0;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) process.stdout.write(`${JSON.stringify(model.classify(line))}\n`);
  return 0;
}
