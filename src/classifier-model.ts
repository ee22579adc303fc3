import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Classifier } from './domain/classifier/classifier.ts';
import type { Example } from './domain/classifier/tsv.ts';
import { parseTsv } from './domain/classifier/tsv.ts';

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
export const HELDOUT_PATH = join(CORPUS, 'heldout.tsv');

/** The labelled sets the shipped model is trained on: corpus/train*.tsv. heldout.tsv never is. */
export function trainingExamples(): Example[] {
  return readdirSync(CORPUS)
    .filter((f) => /^train.*\.tsv$/.test(f))
    .sort()
    .flatMap((f) => parseTsv(readFileSync(join(CORPUS, f), 'utf8'), f));
}

let model: Classifier | undefined;

/** The process-wide classifier, trained on first use (a few milliseconds). */
export function classifier(): Classifier {
  model ??= new Classifier(trainingExamples());
  return model;
}
