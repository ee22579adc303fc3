// Picks the softmax temperature by 5-fold cross-validation on the training set: the one whose
// confidences best match how often the label is right (lowest negative log-likelihood).
import { Classifier } from '../src/domain/classifier/classifier.ts';
import { trainingExamples } from '../src/classifier-model.ts';

const all = trainingExamples();
const k = 5;
for (const T of [1, 2, 3, 4, 6]) {
  let nll = 0, correct = 0, conf = 0;
  const bins = Array.from({ length: 5 }, () => ({ n: 0, ok: 0 }));
  for (let f = 0; f < k; f++) {
    const model = new Classifier(all.filter((_, i) => i % k !== f), T);
    all.forEach((e, i) => {
      if (i % k !== f) return;
      const r = model.classify(e.text);
      const ok = r.label === e.label;
      correct += ok ? 1 : 0;
      conf += r.confidence;
      nll += ok ? -Math.log(Math.max(1e-6, r.confidence)) : -Math.log(Math.max(1e-6, 1 - r.confidence));
      const b = bins[Math.min(4, Math.floor(r.confidence * 5))]!;
      b.n++; b.ok += ok ? 1 : 0;
    });
  }
  console.log(`T=${T} accuracy=${(correct / all.length).toFixed(3)} meanConfidence=${(conf / all.length).toFixed(3)} nll=${(nll / all.length).toFixed(3)} bins=${bins.map((b) => `${b.n}:${b.n ? (b.ok / b.n).toFixed(2) : '-'}`).join(' ')}`);
}
