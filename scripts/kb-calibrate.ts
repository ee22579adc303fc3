// Chooses the knowledge base's answer threshold without looking at the evaluation set:
// 3-fold cross-validation over knowledge/train (paraphrases and out-of-scope questions), each fold
// training the matcher on the entries plus the other folds. Prints the trade-off per threshold.
// Run: npx tsx scripts/kb-calibrate.ts
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateQa, parseQaTsv, type QaCase } from '../src/domain/knowledge/evaluate.ts';
import { DEFAULT_THRESHOLD, Matcher } from '../src/domain/knowledge/matcher.ts';
import type { Match } from '../src/domain/knowledge/retriever.ts';
import { DEFAULT_KNOWLEDGE_DIR, loadEntries, loadTrainingData } from '../src/knowledge-base.ts';

const FOLDS = 3;
const entries = loadEntries(DEFAULT_KNOWLEDGE_DIR);
const data = loadTrainingData(DEFAULT_KNOWLEDGE_DIR);
// Only the out-of-scope questions written for the knowledge base are tested; chatter always trains.
const written = new Set(parseQaTsv(readFileSync(resolve(DEFAULT_KNOWLEDGE_DIR, '..', 'train', 'out-of-scope.tsv'), 'utf8')).map((c) => c.question));
const cases: QaCase[] = [...data.paraphrases, ...[...written].map((question) => ({ question }))];
const best = new Map<string, Match | undefined>();
for (let f = 0; f < FOLDS; f++) {
  const held = new Set(cases.filter((_, i) => i % FOLDS === f).map((c) => c.question));
  const matcher = Matcher.train(entries, {
    paraphrases: data.paraphrases.filter((c) => !held.has(c.question)),
    outOfScope: data.outOfScope.filter((q) => !held.has(q)),
  });
  for (const q of held) best.set(q, matcher.search(q, 1)[0]);
  process.stderr.write(`fold ${f + 1}/${FOLDS} done\n`);
}
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
process.stdout.write(`cross-validated on knowledge/train: ${cases.filter((c) => c.expected).length} in scope, ${cases.filter((c) => !c.expected).length} out of scope\n`);
process.stdout.write('threshold  top1    rejection\n');
for (let t = 0.2; t <= 0.5001; t += 0.02) {
  const e = evaluateQa(cases, (q) => best.get(q), t);
  process.stdout.write(`${t.toFixed(2).padEnd(10)} ${pct(e.top1).padEnd(7)} ${pct(e.rejection)}${Math.abs(t - DEFAULT_THRESHOLD) < 0.001 ? '   ← DEFAULT_THRESHOLD' : ''}\n`);
}
