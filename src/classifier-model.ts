import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Classifier } from './domain/classifier/classifier.ts';
import type { Example } from './domain/classifier/tsv.ts';
import { parseTsv } from './domain/classifier/tsv.ts';
import { cachedModel, trainingKey } from './model-cache.ts';
import { projectPath } from './paths.ts';
import { SoftmaxRegression } from './domain/classifier/logistic.ts';

const CORPUS = projectPath('corpus');
export const HELDOUT_PATH = join(CORPUS, 'heldout.tsv');

/** The labelled sets the shipped model is trained on: corpus/train*.tsv. heldout.tsv never is. */
export function trainingExamples(): Example[] {
  return readdirSync(CORPUS)
    .filter((f) => /^train.*\.tsv$/.test(f))
    .sort()
    .flatMap((f) => parseTsv(readFileSync(join(CORPUS, f), 'utf8'), f));
}

let model: Classifier | undefined;

/** The process-wide classifier: trained on first use (~0.3 s), or loaded from the model cache. */
export function classifier(): Classifier {
  if (!model) {
    const examples = trainingExamples();
    const regression = cachedModel(
      'classifier',
      trainingKey(examples),
      () => Classifier.regression(examples),
      (m) => {
        const { features, w, bias } = m.dump();
        return { meta: { features }, arrays: { w, bias } };
      },
      (s) => SoftmaxRegression.load({ features: (s.meta as { features: string[] }).features, w: s.arrays.w as Float64Array, bias: s.arrays.bias as Float64Array }),
    );
    model = new Classifier(regression);
  }
  return model;
}
