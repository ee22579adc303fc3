import MiniSearch from 'minisearch';
import type { KnowledgeEntry } from './entry.ts';
import { tokens } from './tokens.ts';
import { words } from './words.ts';

export interface Match {
  entry: KnowledgeEntry;
  /** 0–1: how closely the question matches the entry (see docs/knowledge.md). */
  score: number;
  /** What the score is made of (matcher.ts): the retriever's score, the intent model's
   * probability of this entry, and its probability that the question is out of scope. */
  parts?: { retrieval: number; intent: number; outOfScope: number };
}

/** Blend of the three signals (weights sum to 1; docs/knowledge.md). */
export const W = { phrasing: 0.4, coverage: 0.5, bm25: 0.1, unknownWord: 0.75 };

/**
 * Offline retrieval: BM25 (MiniSearch) over title, phrasings and body finds candidates; each is
 * scored from the question's content words (jieba, synonyms folded): idf-weighted cosine with the
 * entry's closest phrasing (or title), the share of the question's words the entry contains at
 * all, and its BM25 rank. The result is bounded 0–1, so one threshold
 * separates answerable questions from the rest.
 */
export class Retriever {
  private readonly index: MiniSearch<{ id: string; title: string; phrasings: string; body: string }>;
  private readonly byId = new Map<string, KnowledgeEntry>();
  private readonly idf = new Map<string, number>();
  private readonly phrasingGrams = new Map<string, Set<string>[]>();
  private readonly allGrams = new Map<string, Set<string>>();
  private readonly nDocs: number;

  constructor(entries: KnowledgeEntry[]) {
    this.index = new MiniSearch({
      fields: ['title', 'phrasings', 'body'],
      storeFields: [],
      tokenize: indexTokens,
      processTerm: (t) => t,
      searchOptions: { boost: { title: 2, phrasings: 3, body: 1 }, combineWith: 'OR', tokenize: indexTokens, processTerm: (t) => t },
    });
    this.index.addAll(entries.map((e) => ({ id: e.id, title: e.title, phrasings: e.phrasings.join('\n'), body: e.body })));
    // Document frequency over units: each title, phrasing and body counts as one document.
    const df = new Map<string, number>();
    let n = 0;
    for (const e of entries) {
      this.byId.set(e.id, e);
      const units = [e.title, ...e.phrasings, e.body];
      const segmented = units.map((u) => words(u)); // once per unit (segmenting is most of the start-up of `ask`)
      for (const ws of segmented) {
        n++;
        for (const g of new Set(ws)) df.set(g, (df.get(g) ?? 0) + 1);
      }
      this.phrasingGrams.set(e.id, segmented.slice(0, 1 + e.phrasings.length).map((ws) => new Set(ws)));
      this.allGrams.set(e.id, new Set(segmented.flat()));
    }
    this.nDocs = n;
    for (const [g, f] of df) this.idf.set(g, Math.log(1 + n / f));
  }

  get size(): number {
    return this.byId.size;
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  /** The best matches, best first (at most `k`). */
  search(question: string, k = 3): Match[] {
    const q = words(question);
    if (!q.length) return [];
    const hits = this.index.search(question).slice(0, 8);
    if (!hits.length) return [];
    const top = hits[0]!.score;
    const qset = new Set(q);
    // Doubt: one content word says too little ("机器人?"), and every word the knowledge base has
    // never seen ("邮箱", "停车场") makes it likelier the question is about something else.
    const unknown = [...qset].filter((w) => !this.idf.has(w)).length;
    const doubt = (qset.size < 2 ? 0.75 : 1) * W.unknownWord ** unknown;
    return hits
      .map((h) => {
        const entry = this.byId.get(String(h.id))!;
        const sim = Math.max(...this.phrasingGrams.get(entry.id)!.map((p) => this.cosine(qset, p)));
        const cov = this.coverage(qset, this.allGrams.get(entry.id)!);
        return { entry, score: round(doubt * (W.phrasing * sim + W.coverage * cov + W.bm25 * (h.score / top))) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  /**
   * The question's content words the entry does not contain, rarest first, each marked `unknown`
   * when no entry contains it: what the question asks about that the entry does not address.
   */
  uncovered(question: string, id: string): { word: string; unknown: boolean; weight: number }[] {
    const grams = this.allGrams.get(id);
    if (!grams) return [];
    return [...new Set(words(question))]
      .filter((w) => !grams.has(w))
      .map((w) => ({ word: w, unknown: !this.idf.has(w), weight: this.weight(w) }))
      .sort((x, y) => y.weight - x.weight);
  }


  /** Share of the question's (idf-weighted) bigrams found anywhere in the entry. */
  private coverage(q: Set<string>, entry: Set<string>): number {
    let hit = 0;
    let all = 0;
    for (const g of q) {
      const w = this.weight(g) ** 2; // rare words decide what a question is about
      all += w;
      if (entry.has(g)) hit += w;
    }
    return all ? hit / all : 0;
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

/** BM25 sees words and character bigrams: words for meaning, bigrams for typos and odd splits. */
function indexTokens(text: string): string[] {
  return [...words(text), ...tokens(text)];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
