import MiniSearch from 'minisearch';
import type { KnowledgeEntry } from './entry.ts';
import { FILLER, tokens } from './tokens.ts';

export interface Match {
  entry: KnowledgeEntry;
  /** 0–1: how closely the question matches the entry (see docs/knowledge.md). */
  score: number;
}

export interface RetrieverOptions {
  /** Below this score the bot does not answer and hands the question to an engineer. */
  threshold: number;
}

/** The threshold calibrated on knowledge/eval/questions.tsv (npx aftersales ask --eval). */
export const DEFAULT_THRESHOLD = 0.42;

/**
 * Offline retrieval: BM25 (MiniSearch) over title, phrasings and body finds candidates; each is
 * scored by idf-weighted cosine similarity between the question's bigrams and the entry's closest
 * phrasing (or title), blended with its BM25 rank. The result is bounded 0–1, so one threshold
 * separates answerable questions from the rest.
 */
export class Retriever {
  private readonly index: MiniSearch<{ id: string; title: string; phrasings: string; body: string }>;
  private readonly byId = new Map<string, KnowledgeEntry>();
  private readonly idf = new Map<string, number>();
  private readonly phrasingGrams = new Map<string, Set<string>[]>();
  private readonly nDocs: number;

  constructor(entries: KnowledgeEntry[], private readonly opts: RetrieverOptions = { threshold: DEFAULT_THRESHOLD }) {
    this.index = new MiniSearch({
      fields: ['title', 'phrasings', 'body'],
      storeFields: [],
      tokenize: tokens,
      processTerm: (t) => t,
      searchOptions: { boost: { title: 2, phrasings: 3, body: 1 }, combineWith: 'OR', tokenize: tokens, processTerm: (t) => t },
    });
    this.index.addAll(entries.map((e) => ({ id: e.id, title: e.title, phrasings: e.phrasings.join('\n'), body: e.body })));
    // Document frequency over units: each title, phrasing and body counts as one document.
    const df = new Map<string, number>();
    let n = 0;
    for (const e of entries) {
      this.byId.set(e.id, e);
      const units = [e.title, ...e.phrasings, e.body];
      for (const u of units) {
        n++;
        for (const g of new Set(tokens(u))) df.set(g, (df.get(g) ?? 0) + 1);
      }
      this.phrasingGrams.set(e.id, [e.title, ...e.phrasings].map((p) => new Set(this.content(tokens(p)))));
    }
    this.nDocs = n;
    for (const [g, f] of df) this.idf.set(g, Math.log(1 + n / f));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The best matches, best first (at most `k`). */
  search(question: string, k = 3): Match[] {
    const q = this.content(tokens(question));
    if (!q.length) return [];
    const hits = this.index.search(question).slice(0, 8);
    if (!hits.length) return [];
    const top = hits[0]!.score;
    const qset = new Set(q);
    return hits
      .map((h) => {
        const entry = this.byId.get(String(h.id))!;
        const sim = Math.max(...this.phrasingGrams.get(entry.id)!.map((p) => this.cosine(qset, p)));
        return { entry, score: round(0.75 * sim + 0.25 * (h.score / top) * sim ** 0.5) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  /** The answer, or undefined when no entry is close enough to answer honestly. */
  answer(question: string): Match | undefined {
    const best = this.search(question, 1)[0];
    return best && best.score >= this.opts.threshold ? best : undefined;
  }

  private content(ts: string[]): string[] {
    return ts.filter((t) => !FILLER.has(t));
  }

  private weight(g: string): number {
    return this.idf.get(g) ?? Math.log(1 + this.nDocs); // unseen: as rare as it gets
  }

  private cosine(a: Set<string>, b: Set<string>): number {
    if (!a.size || !b.size) return 0;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const g of a) {
      const w = this.weight(g) ** 2;
      na += w;
      if (b.has(g)) dot += w;
    }
    for (const g of b) nb += this.weight(g) ** 2;
    return dot / Math.sqrt(na * nb);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
