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

  /** Trained weights as plain data (features in row order), for the model cache. */
  dump(): { classes: string[]; features: string[]; weights: Float32Array; bias: Float64Array } {
    return { classes: this.classes, features: [...this.index.keys()], weights: this.weights, bias: this.bias };
  }

  static load(d: { classes: string[]; features: string[]; weights: Float32Array; bias: Float64Array }): IntentModel {
    const m = Object.create(IntentModel.prototype) as IntentModel;
    Object.assign(m, { classes: d.classes, index: new Map(d.features.map((f, i) => [f, i])), weights: d.weights, bias: d.bias });
    return m;
  }

  constructor(examples: IntentExample[], opts: { epochs?: number; rate?: number; l2?: number } = {}) {
    this.classes = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(this.classes.map((c, i) => [c, i]));
    const k = this.classes.length;
    this.bias = new Float64Array(k);
    const epochs = opts.epochs ?? 25;
    const rate0 = opts.rate ?? 0.3;
    const l2 = opts.l2 ?? 1e-5;
    // Features interned to rows once; training runs over one flat Float64Array (no hash lookups).
    const data = examples.map((e) => {
      const fs = intentFeatures(e.text);
      const rows = new Int32Array(fs.length);
      fs.forEach((f, i) => {
        let r = this.index.get(f);
        if (r === undefined) this.index.set(f, (r = this.index.size));
        rows[i] = r * k;
      });
      return { y: index.get(e.label)!, rows };
    });
    const w = new Float64Array(this.index.size * k);
    const z = new Float64Array(k);
    const n = data.length;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = rate0 / (1 + epoch * 0.2);
      const stride = pickStride(n, epoch);
      for (let j = 0; j < n; j++) {
        const d = data[(j * stride) % n]!;
        z.set(this.bias);
        for (let r = 0; r < d.rows.length; r++) {
          const o = d.rows[r]!;
          for (let c = 0; c < k; c++) z[c]! += w[o + c]!;
        }
        softmaxInPlace(z);
        for (let c = 0; c < k; c++) {
          const g = z[c]! - (c === d.y ? 1 : 0);
          this.bias[c]! -= rate * g;
          for (let r = 0; r < d.rows.length; r++) {
            const o = d.rows[r]! + c;
            w[o] = w[o]! - rate * (g + l2 * w[o]!);
          }
        }
      }
    }
    this.weights = Float32Array.from(w);
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
