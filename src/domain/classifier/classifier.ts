import { LABELS, type Label } from '../levels.ts';
import { SoftmaxRegression } from './logistic.ts';
import type { Example } from './tsv.ts';
import { features, normalize } from './normalize.ts';
import { bonuses, signals, type Signals } from './signals.ts';

/** Signals that only temper the L1 safety rules: as features the model would learn them from too few examples. */
const RULE_ONLY = new Set(['part', 'whole', 'othersFine']);

/** The contract's signals, given to the model as features so it learns how much each one counts. */
function signalFeatures(s: Signals): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(s)) if (v > 0 && !RULE_ONLY.has(k)) out.push(`sig:${k}`);
  if (!s.fault && !s.l1 && !s.l2) out.push('sig:nofault');
  return out;
}

function allFeatures(raw: string): { fs: string[]; s: Signals } {
  const s = signals(normalize(raw, false)); // signals read numbers (90%, 60度)
  return { fs: [...features(normalize(raw)), ...signalFeatures(s)], s };
}

export interface Classification {
  label: Label;
  confidence: number;
}

/** Softmax temperature: the regression is overconfident on its own training data; 2 matches confidence to accuracy in cross-validation (scripts/calibrate.ts). */
const TEMPERATURE = 2;
/** How close (as a ratio of probabilities) a more severe level must be to count as a doubt. */
const SEVERITY_DOUBT = 0.25;
/** How much the hand-written bonuses add on top of what the model learnt from the signal features. */
const BONUS_WEIGHT = 0.3;

/**
 * The message classifier: softmax regression over character n-grams and the contract's signals, with
 * safety floors from LABELS.md — a fault is never `none`, and when the model hesitates between two
 * fault levels the more severe one wins.
 */
export class Classifier {
  private readonly model: SoftmaxRegression;

  /** Trains on `examples`, or wraps an already trained regression (the model cache). */
  constructor(examples: Iterable<Example> | SoftmaxRegression, private readonly temperature = TEMPERATURE) {
    this.model = examples instanceof SoftmaxRegression ? examples : Classifier.regression(examples);
  }

  static regression(examples: Iterable<Example>): SoftmaxRegression {
    return new SoftmaxRegression([...examples].map((e) => ({ label: e.label, features: allFeatures(e.text).fs })));
  }

  classify(raw: string): Classification {
    if (!/[\p{L}\p{N}]/u.test(normalize(raw))) return { label: 'none', confidence: 1 };
    const { fs, s } = allFeatures(raw);
    const z = this.model.logits(fs);
    const b = bonuses(s);
    const scores = {} as Record<Label, number>;
    for (const l of LABELS) scores[l] = z[l] + BONUS_WEIGHT * b[l];
    const probs = softmax(scores, this.temperature);
    let label = argmax(probs);
    // When in doubt, the more severe fault level (LABELS.md: a missed L1 costs far more than an
    // over-rated L3): a more severe level close enough to the winner takes its place.
    const order: Label[] = ['L1', 'L2', 'L3', 'L4'];
    const i = order.indexOf(label);
    if (i > 0) {
      // A level counts as a doubt when it is close, or somewhat close and backed by its own signal.
      const backed = (l: Label) => (l === 'L1' ? s.l1 > 0 : l === 'L2' ? s.l2 > 0 : true);
      // A module or one device (or a scope said to be partial), nowhere said to stop everything or
      // everyone, is part of the service (LABELS.md: L3): doubt does not make it an outage.
      const partOnly = s.othersFine > 0 || ((s.part > 0 || s.partial > 0) && !s.whole);
      const close = order.slice(0, i).filter((l) => !(l === 'L1' && partOnly) && probs[l] > SEVERITY_DOUBT * probs[label] * (backed(l) ? 1 : 3.5));
      if (close.length) label = close.reduce((a, b) => (probs[b] > probs[a] ? b : a));
    }
    // A looming or whole-system signal is never chatter, unless the message says it is over.
    if ((label === 'none' || label === 'other') && s.fault > 0 && (s.l1 || s.l2) && !s.none) label = s.l1 ? 'L1' : 'L2';
    if (label === 'none' && (s.l1 || s.l2) && !s.none) label = s.l1 ? 'L1' : 'L2';
    // A fault word and nothing that says "thanks / it works again": a fault, never `none`.
    // Which level then: the signals' if they say, else the model's choice between L3 and L4.
    if (label === 'none' && s.fault && !s.none) label = s.l1 ? 'L1' : s.l2 ? 'L2' : probs.L4 > probs.L3 ? 'L4' : 'L3';
    if ((label === 'L3' || label === 'L4') && s.l1 > 0 && !s.partial && !s.part && !s.othersFine) label = 'L1';
    // A label set by a safety rule rather than the model reports at least 0.5.
    const confidence = label === argmax(probs) ? probs[label] : Math.max(0.5, probs[label]);
    return { label, confidence: round(confidence) };
  }
}

/** Probabilities of every label (after the temperature), for calibration and evaluation. */
export function softmax(scores: Record<Label, number>, temperature = TEMPERATURE): Record<Label, number> {
  const max = Math.max(...Object.values(scores));
  const e = {} as Record<Label, number>;
  let sum = 0;
  for (const l of LABELS) {
    e[l] = Math.exp((scores[l] - max) / temperature);
    sum += e[l];
  }
  for (const l of LABELS) e[l] /= sum;
  return e;
}

function argmax(p: Record<Label, number>): Label {
  let best: Label = 'none';
  for (const l of LABELS) if (p[l] > p[best]) best = l;
  return best;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
