import type { Match } from './retriever.ts';
import type { KbDecision } from './decide.ts';
import { FACT_ENTRIES, factKey } from './facts.ts';

export interface QaCase {
  /** Entry id, or undefined for an out-of-scope question that must not be answered. */
  expected?: string;
  question: string;
}

/** Parses `expected<TAB>question` rows after a header; `-` marks an out-of-scope question. */
export function parseQaTsv(text: string, source = 'tsv'): QaCase[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l, i) => {
      const tab = l.indexOf('\t');
      if (tab < 0) throw new Error(`${source}:${i + 2}: expected "entry-id<TAB>question"`);
      const id = l.slice(0, tab).trim();
      return { ...(id === '-' ? {} : { expected: id }), question: l.slice(tab + 1) };
    });
}

export interface QaEvaluation {
  inScope: number;
  outOfScope: number;
  /** In-scope questions answered with the expected entry. */
  top1: number;
  /** In-scope questions whose best match is the expected entry, threshold ignored. */
  retrievalTop1: number;
  /** Out-of-scope questions not answered. */
  rejection: number;
  threshold: number;
  misses: { question: string; expected: string; got: string | null; score: number }[];
  falseAnswers: { question: string; got: string; score: number }[];
}

/** Scores retrieval on a question set at a threshold; `best` returns the top match or undefined. */
export function evaluateQa(cases: QaCase[], best: (q: string) => Match | undefined, threshold: number): QaEvaluation {
  let top1 = 0;
  let retrieval = 0;
  let rejected = 0;
  const misses: QaEvaluation['misses'] = [];
  const falseAnswers: QaEvaluation['falseAnswers'] = [];
  const inScope = cases.filter((c) => c.expected);
  const out = cases.filter((c) => !c.expected);
  for (const c of inScope) {
    const m = best(c.question);
    if (m?.entry.id === c.expected) retrieval++;
    if (m && m.score >= threshold && m.entry.id === c.expected) top1++;
    else misses.push({ question: c.question, expected: c.expected!, got: m && m.score >= threshold ? m.entry.id : null, score: m?.score ?? 0 });
  }
  for (const c of out) {
    const m = best(c.question);
    if (!m || m.score < threshold) rejected++;
    else falseAnswers.push({ question: c.question, got: m.entry.id, score: m.score });
  }
  return {
    inScope: inScope.length,
    outOfScope: out.length,
    top1: inScope.length ? top1 / inScope.length : 0,
    retrievalTop1: inScope.length ? retrieval / inScope.length : 0,
    rejection: out.length ? rejected / out.length : 1,
    threshold,
    misses,
    falseAnswers,
  };
}

export interface DecisionEvaluation {
  inScope: number;
  outOfScope: number;
  /** In-scope questions answered with the right entry or fact. */
  answeredRight: number;
  /** Out-of-scope questions not answered (refused, handed to a person, or refused as sensitive). */
  refusedRight: number;
  /** Answers that were wrong — a wrong entry or fact for an in-scope question, any answer to an out-of-scope one — over all questions. */
  wrong: number;
  /** `sensitive` rows that got the fixed refusal. */
  sensitiveRight: number;
  sensitive: number;
  misses: { question: string; expected: string; got: string }[];
  wrongAnswers: { question: string; expected: string; got: string }[];
}

const got = (d: KbDecision): string => (d.kind === 'entry' ? d.match.entry.id : d.kind === 'fact' ? factKey(d.query) : d.kind === 'sensitive' ? 'sensitive' : '-');

/**
 * The answers as a teacher gets them (decide.ts: sensitive, fact, entry or nothing), scored three
 * ways: answered right, refused right, wrong. Rows: an entry id (a fact standing for it counts,
 * FACT_ENTRIES), `fact:<kind>` for a fact, `sensitive` for the fixed refusal, `-` for a question
 * that must not be answered.
 */
export function evaluateDecisions(cases: QaCase[], decide: (q: string) => KbDecision): DecisionEvaluation {
  let right = 0;
  let refused = 0;
  let wrong = 0;
  let sensitiveRight = 0;
  let sensitive = 0;
  const misses: DecisionEvaluation['misses'] = [];
  const wrongAnswers: DecisionEvaluation['wrongAnswers'] = [];
  const inScope = cases.filter((c) => c.expected && c.expected !== 'sensitive');
  const out = cases.filter((c) => !c.expected || c.expected === 'sensitive');
  for (const c of inScope) {
    const d = decide(c.question);
    const e = c.expected!;
    const ok = d.kind === 'entry' ? d.match.entry.id === e : d.kind === 'fact' ? (e.startsWith('fact:') ? factKey(d.query).startsWith(e) : FACT_ENTRIES[d.query.kind].includes(e)) : false;
    if (ok) right++;
    else if (d.kind === 'entry' || d.kind === 'fact') {
      wrong++;
      wrongAnswers.push({ question: c.question, expected: e, got: got(d) });
    } else misses.push({ question: c.question, expected: e, got: got(d) });
  }
  for (const c of out) {
    const d = decide(c.question);
    if (c.expected === 'sensitive') {
      sensitive++;
      if (d.kind === 'sensitive') sensitiveRight++;
    }
    if (d.kind === 'none' || d.kind === 'sensitive') refused++;
    else {
      wrong++;
      wrongAnswers.push({ question: c.question, expected: c.expected ?? '-', got: got(d) });
    }
  }
  return {
    inScope: inScope.length,
    outOfScope: out.length,
    answeredRight: inScope.length ? right / inScope.length : 0,
    refusedRight: out.length ? refused / out.length : 1,
    wrong: cases.length ? wrong / cases.length : 0,
    sensitiveRight: sensitive ? sensitiveRight / sensitive : 1,
    sensitive,
    misses,
    wrongAnswers,
  };
}
