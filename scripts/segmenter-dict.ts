/**
 * Writes knowledge/segmenter-dict.txt: the 60,000 most frequent words of jieba's dictionary
 * (@node-rs/jieba's dict.txt, MIT) plus one entry that carries the removed words' total frequency,
 * so every kept word's probability — and so the segmentation of common text — stays as with the
 * full 349,000 words. The full dictionary costs ~36 MB of native memory and ~0.3 s to load; this
 * one ~8 MB. Chosen by `ask --eval`: the same top-1 and rejection as the full one (docs/BENCHMARKS.md).
 *
 *   npx tsx scripts/segmenter-dict.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const KEEP = 60_000;
const require = createRequire(import.meta.url);
const full = readFileSync(require.resolve('@node-rs/jieba/dict.txt'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line, i) => ({ line, freq: Number(line.split(' ')[1]), i }));
// Most frequent first; ties in the dictionary's own order (deterministic).
const sorted = [...full].sort((a, b) => b.freq - a.freq || a.i - b.i);
const kept = sorted.slice(0, KEEP).sort((a, b) => a.i - b.i);
const removed = sorted.slice(KEEP).reduce((s, x) => s + x.freq, 0);
// A "word" no text contains, holding the removed frequency mass.
writeFileSync(new URL('../knowledge/segmenter-dict.txt', import.meta.url), `${[...kept.map((x) => x.line), `龘龘龘龘 ${removed} x`].join('\n')}\n`);
process.stdout.write(`kept ${kept.length} of ${full.length} words; removed mass ${removed}\n`);
