import { LABELS, type Label } from '../levels.ts';

export interface FeatureExample {
  label: Label;
  features: string[];
}

/**
 * Multinomial logistic regression (softmax) trained by plain SGD with L2 regularisation. Examples
 * are visited in a fixed order and weights start at zero, so training is deterministic.
 */
export class SoftmaxRegression {
  private readonly w = new Map<string, Float64Array>();
  private readonly bias = new Float64Array(LABELS.length);

  constructor(examples: FeatureExample[], opts: { epochs?: number; rate?: number; l2?: number } = {}) {
    const epochs = opts.epochs ?? 30;
    const rate0 = opts.rate ?? 0.5;
    const l2 = opts.l2 ?? 1e-4;
    const data = examples.map((e) => ({ y: LABELS.indexOf(e.label), fs: [...new Set(e.features)] }));
    for (const d of data) for (const f of d.fs) if (!this.w.has(f)) this.w.set(f, new Float64Array(LABELS.length));
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = rate0 / (1 + epoch * 0.2);
      // A fixed stride permutation: deterministic, but not the file's order every epoch.
      const n = data.length;
      const stride = pickStride(n, epoch);
      for (let k = 0; k < n; k++) {
        const d = data[(k * stride) % n]!;
        const p = this.probsOf(d.fs);
        for (let c = 0; c < LABELS.length; c++) {
          const g = p[c]! - (c === d.y ? 1 : 0);
          this.bias[c]! -= rate * g;
          for (const f of d.fs) {
            const wf = this.w.get(f)!;
            wf[c] = wf[c]! - rate * (g + l2 * wf[c]!);
          }
        }
      }
    }
  }

  /** Raw scores (logits) per label. */
  logits(features: string[]): Record<Label, number> {
    const z = this.raw([...new Set(features)]);
    return Object.fromEntries(LABELS.map((l, i) => [l, z[i]!])) as Record<Label, number>;
  }

  private raw(fs: string[]): Float64Array {
    const z = Float64Array.from(this.bias);
    for (const f of fs) {
      const wf = this.w.get(f);
      if (wf) for (let c = 0; c < z.length; c++) z[c]! += wf[c]!;
    }
    return z;
  }

  private probsOf(fs: string[]): Float64Array {
    return softmaxInPlace(this.raw(fs));
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
