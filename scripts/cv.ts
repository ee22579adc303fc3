// Cross-validation on the training set only (the held-out set is never used for tuning).
import { Classifier } from '../src/domain/classifier/classifier.ts';
import { evaluate, formatEvaluation } from '../src/domain/classifier/evaluate.ts';
import type { Label } from '../src/domain/levels.ts';
import { trainingExamples } from '../src/classifier-model.ts';

const all = trainingExamples();
const k = 5;
const preds = new Map<number, Label>();
for (let f = 0; f < k; f++) {
  const train = all.filter((_, i) => i % k !== f);
  const model = new Classifier(train);
  all.forEach((e, i) => { if (i % k === f) preds.set(i, model.classify(e.text).label); });
}
const ev = evaluate(all, (t) => preds.get(all.findIndex((e) => e.text === t)) as Label);
console.log(formatEvaluation(ev));
if (process.argv.includes('--errors')) for (const e of ev.errors) console.log(`${e.actual} -> ${e.predicted}\t${e.text}`);
