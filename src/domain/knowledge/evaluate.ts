import type { Match } from './retriever.ts';

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
