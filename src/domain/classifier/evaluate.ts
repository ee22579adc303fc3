import { LABELS, type Label } from '../levels.ts';
import type { Example } from './tsv.ts';

export interface Evaluation {
  n: number;
  accuracy: number;
  perLabel: Record<Label, { precision: number; recall: number; support: number }>;
  /** confusion[actual][predicted] */
  confusion: Record<Label, Record<Label, number>>;
  l1l2Recall: number;
  l1l2AsNone: number;
  errors: { text: string; actual: Label; predicted: Label }[];
}

export function evaluate(examples: Example[], predict: (text: string) => Label): Evaluation {
  const confusion = Object.fromEntries(LABELS.map((a) => [a, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Evaluation['confusion'];
  const errors: Evaluation['errors'] = [];
  let correct = 0;
  for (const e of examples) {
    const p = predict(e.text);
    confusion[e.label][p]++;
    if (p === e.label) correct++;
    else errors.push({ text: e.text, actual: e.label, predicted: p });
  }
  const perLabel = {} as Evaluation['perLabel'];
  for (const l of LABELS) {
    const tp = confusion[l][l];
    const support = LABELS.reduce((s, p) => s + confusion[l][p], 0);
    const predicted = LABELS.reduce((s, a) => s + confusion[a][l], 0);
    perLabel[l] = { precision: predicted ? tp / predicted : 0, recall: support ? tp / support : 0, support };
  }
  const severe: Label[] = ['L1', 'L2'];
  const severeN = severe.reduce((s, l) => s + perLabel[l].support, 0);
  // L1+L2 recall: a severe message counts as caught when it is rated L1 or L2 (either escalates fast).
  const caught = severe.reduce((s, l) => s + confusion[l].L1 + confusion[l].L2, 0);
  return {
    n: examples.length,
    accuracy: examples.length ? correct / examples.length : 0,
    perLabel,
    confusion,
    l1l2Recall: severeN ? caught / severeN : 1,
    l1l2AsNone: confusion.L1.none + confusion.L2.none,
    errors,
  };
}

export function formatEvaluation(ev: Evaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows = [`examples: ${ev.n}`, `accuracy: ${pct(ev.accuracy)}`, `L1+L2 recall: ${pct(ev.l1l2Recall)}`, `L1/L2 labelled none: ${ev.l1l2AsNone}`, '', 'label      precision  recall  support'];
  for (const l of LABELS) {
    const p = ev.perLabel[l];
    rows.push(`${l.padEnd(10)} ${pct(p.precision).padStart(9)} ${pct(p.recall).padStart(7)} ${String(p.support).padStart(8)}`);
  }
  rows.push('', 'confusion (rows: actual, columns: predicted)', `${''.padEnd(8)}${LABELS.map((l) => l.padStart(8)).join('')}`);
  for (const a of LABELS) rows.push(`${a.padEnd(8)}${LABELS.map((p) => String(ev.confusion[a][p]).padStart(8)).join('')}`);
  return rows.join('\n');
}
