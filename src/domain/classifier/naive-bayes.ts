import { LABELS, type Label } from '../levels.ts';
import { features, normalize } from './normalize.ts';

export interface Example {
  label: Label;
  text: string;
}

/** Multinomial naive Bayes over character n-grams: tiny, deterministic, trains in milliseconds. */
export class NaiveBayes {
  private readonly counts = new Map<Label, Map<string, number>>();
  private readonly totals = new Map<Label, number>();
  private readonly docs = new Map<Label, number>();
  private readonly vocab = new Set<string>();
  private nDocs = 0;

  constructor(examples: Iterable<Example>, private readonly alpha = 0.5) {
    for (const l of LABELS) {
      this.counts.set(l, new Map());
      this.totals.set(l, 0);
      this.docs.set(l, 0);
    }
    for (const e of examples) {
      this.nDocs++;
      this.docs.set(e.label, this.docs.get(e.label)! + 1);
      const c = this.counts.get(e.label)!;
      // Binary counts per document: a repeated word says little more about the label.
      for (const f of new Set(features(normalize(e.text)))) {
        c.set(f, (c.get(f) ?? 0) + 1);
        this.totals.set(e.label, this.totals.get(e.label)! + 1);
        this.vocab.add(f);
      }
    }
  }

  /** Log-likelihood per label (uniform prior: the label mix of chat traffic differs from ours). */
  scores(text: string): Record<Label, number> {
    const fs = [...new Set(features(normalize(text)))].filter((f) => this.vocab.has(f));
    const v = this.vocab.size;
    const out = {} as Record<Label, number>;
    for (const l of LABELS) {
      const c = this.counts.get(l)!;
      const denom = Math.log(this.totals.get(l)! + this.alpha * v);
      let s = 0;
      for (const f of fs) s += Math.log((c.get(f) ?? 0) + this.alpha) - denom;
      out[l] = this.docs.get(l)! > 0 ? s : -Infinity;
    }
    return out;
  }
}
