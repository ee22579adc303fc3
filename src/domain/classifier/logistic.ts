import { LABELS, type Label } from '../levels.ts';

export interface FeatureExample {
  label: Label;
  features: string[];
}

/**
 * Multinomial logistic regression (softmax) trained by plain SGD with L2 regularisation. Examples
 * are visited in a fixed order and weights start at zero, so training is deterministic.
 * Features are interned to ids once and the weights live in one Float64Array (feature × label):
 * no per-feature objects, and training touches arrays, not hash maps (about 10× faster).
 */
export class SoftmaxRegression {
  private readonly ids = new Map<string, number>();
  private readonly w: Float64Array;
  private readonly bias = new Float64Array(LABELS.length);

  /** Trained weights as plain data (features in id order), for the model cache. */
  dump(): { features: string[]; w: Float64Array; bias: Float64Array } {
    return { features: [...this.ids.keys()], w: this.w, bias: this.bias };
  }

  static load(d: { features: string[]; w: Float64Array; bias: Float64Array }): SoftmaxRegression {
    const m = Object.create(SoftmaxRegression.prototype) as SoftmaxRegression;
    Object.assign(m, { ids: new Map(d.features.map((f, i) => [f, i])), w: d.w, bias: d.bias });
    return m;
  }

  constructor(examples: FeatureExample[], opts: { epochs?: number; rate?: number; l2?: number } = {}) {
    const epochs = opts.epochs ?? 30;
    const rate0 = opts.rate ?? 0.5;
    const l2 = opts.l2 ?? 1e-4;
    const C = LABELS.length;
    const data = examples.map((e) => {
      const fs = [...new Set(e.features)];
      const idx = new Int32Array(fs.length);
      fs.forEach((f, i) => {
        let id = this.ids.get(f);
        if (id === undefined) this.ids.set(f, (id = this.ids.size));
        idx[i] = id;
      });
      return { y: LABELS.indexOf(e.label), fs: idx };
    });
    const w = (this.w = new Float64Array(this.ids.size * C));
    const z = new Float64Array(C);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = rate0 / (1 + epoch * 0.2);
      // A fixed stride permutation: deterministic, but not the file's order every epoch.
      const n = data.length;
      const stride = pickStride(n, epoch);
      for (let k = 0; k < n; k++) {
        const d = data[(k * stride) % n]!;
        this.rawInto(d.fs, z);
        softmaxInPlace(z);
        for (let c = 0; c < C; c++) {
          const g = z[c]! - (c === d.y ? 1 : 0);
          this.bias[c]! -= rate * g;
          for (let j = 0; j < d.fs.length; j++) {
            const o = d.fs[j]! * C + c;
            w[o] = w[o]! - rate * (g + l2 * w[o]!);
          }
        }
      }
    }
  }

  /** Raw scores (logits) per label. */
  logits(features: string[]): Record<Label, number> {
    const fs: number[] = [];
    for (const f of new Set(features)) {
      const id = this.ids.get(f);
      if (id !== undefined) fs.push(id);
    }
    const z = new Float64Array(LABELS.length);
    this.rawInto(fs, z);
    return Object.fromEntries(LABELS.map((l, i) => [l, z[i]!])) as Record<Label, number>;
  }

  private rawInto(fs: ArrayLike<number>, z: Float64Array): void {
    const C = z.length;
    z.set(this.bias);
    for (let j = 0; j < fs.length; j++) {
      const o = fs[j]! * C;
      for (let c = 0; c < C; c++) z[c]! += this.w[o + c]!;
    }
  }
}

/** Turns logits into probabilities, in place (numerically stable; `temperature` flattens them). */
export function softmaxInPlace(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp((z[c]! - max) / temperature);
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
  return z;
}

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

/** A visiting order for SGD that changes every epoch but is deterministic: a stride coprime to n. */
export function pickStride(n: number, epoch: number): number {
  if (n < 3) return 1;
  let s = (7919 * (epoch + 1)) % n || 1;
  while (gcd(s, n) !== 1) s = (s + 1) % n || 1;
  return s;
}
