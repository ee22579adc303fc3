import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Classifier } from './domain/classifier/classifier.ts';
import { parseTsv } from './domain/classifier/tsv.ts';

/** The labelled set the shipped model is trained on; corpus/heldout.tsv is never used here. */
export const TRAIN_PATH = fileURLToPath(new URL('../corpus/train.tsv', import.meta.url));
export const HELDOUT_PATH = fileURLToPath(new URL('../corpus/heldout.tsv', import.meta.url));

let model: Classifier | undefined;

/** The process-wide classifier, trained on first use (a few milliseconds). */
export function classifier(): Classifier {
  model ??= new Classifier(parseTsv(readFileSync(TRAIN_PATH, 'utf8'), TRAIN_PATH));
  return model;
}
