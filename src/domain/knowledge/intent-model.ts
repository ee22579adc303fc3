import { pickStride, softmaxInPlace } from '../classifier/logistic.ts';
import { tokens } from './tokens.ts';
import { words } from './words.ts';

/** The class of questions the knowledge base must not answer. */
export const OUT_OF_SCOPE = '__out_of_scope__';

export interface IntentExample {
  /** Entry id, or OUT_OF_SCOPE. */
  label: string;
  text: string;
}

/** What the model sees of a question: content words (synonyms folded) and character bigrams. */
export function intentFeatures(text: string): string[] {
  const w = words(text);
  const fs = new Set<string>();
  for (const x of w) fs.add(`w:${x}`);
  for (let i = 0; i + 1 < w.length; i++) fs.add(`ww:${w[i]}|${w[i + 1]}`);
  for (const t of tokens(text)) fs.add(`b:${t}`);
  if (!w.length) fs.add('empty');
  return [...fs];
}

/**
 * Which entry a question asks for, or that it asks for none: softmax regression over the
 * question's words and bigrams, with one class per entry (trained on its title and phrasings) and
 * one for out-of-scope questions (trained on chatter and near-domain questions about other
 * things). Plain SGD from zero weights in a fixed order: deterministic.
 */
export class IntentModel {
  readonly classes: string[];
  /** Feature → row in `weights` (rows of `classes.length`): one typed array, not one per feature,
   * so the trained model is a few objects for the garbage collector instead of tens of thousands. */
  private readonly index = new Map<string, number>();
  private readonly weights: Float32Array;
  private readonly bias: Float64Array;

  constructor(examples: IntentExample[], opts: { epochs?: number; rate?: number; l2?: number } = {}) {
    this.classes = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(this.classes.map((c, i) => [c, i]));
    const k = this.classes.length;
    this.bias = new Float64Array(k);
    const epochs = opts.epochs ?? 25;
    const rate0 = opts.rate ?? 0.3;
    const l2 = opts.l2 ?? 1e-5;
    const data = examples.map((e) => ({ y: index.get(e.label)!, fs: intentFeatures(e.text) }));
    const w = new Map<string, Float64Array>();
    for (const d of data) for (const f of d.fs) if (!w.has(f)) w.set(f, new Float64Array(k));
    const n = data.length;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = rate0 / (1 + epoch * 0.2);
      const stride = pickStride(n, epoch);
      for (let j = 0; j < n; j++) {
        const d = data[(j * stride) % n]!;
        const rows = d.fs.map((f) => w.get(f)!);
        const p = this.probs(rows);
        for (let c = 0; c < k; c++) {
          const g = p[c]! - (c === d.y ? 1 : 0);
          this.bias[c]! -= rate * g;
          for (const wf of rows) wf[c] = wf[c]! - rate * (g + l2 * wf[c]!);
        }
      }
    }
    this.weights = new Float32Array(w.size * k);
    let row = 0;
    for (const [f, wf] of w) {
      this.index.set(f, row);
      this.weights.set(wf, row * k);
      row++;
    }
  }

  /** Probabilities of every class, best first. */
  predict(text: string, temperature = 1): { label: string; p: number }[] {
    const k = this.classes.length;
    const rows = intentFeatures(text).flatMap((f) => {
      const r = this.index.get(f);
      return r === undefined ? [] : [this.weights.subarray(r * k, (r + 1) * k)];
    });
    const p = this.probs(rows, temperature);
    return this.classes.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p);
  }

  private probs(rows: ArrayLike<number>[], temperature = 1): Float64Array {
    const z = Float64Array.from(this.bias);
    for (const wf of rows) for (let c = 0; c < z.length; c++) z[c]! += wf[c]!;
    return softmaxInPlace(z, temperature);
  }
}
