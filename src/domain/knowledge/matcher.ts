import type { KnowledgeEntry } from './entry.ts';
import { IntentModel, OUT_OF_SCOPE, type IntentExample } from './intent-model.ts';
import { Retriever, type Match } from './retriever.ts';

/** Below this score the bot does not answer and hands the question to an engineer. Chosen by
 * cross-validation on knowledge/train (scripts/kb-calibrate.ts), never on the evaluation set. */
export const DEFAULT_THRESHOLD = 0.32;

/** Share of the intent model in the blended score (the rest is the retriever's); cross-validated. */
export const INTENT_WEIGHT = 0.3;

export interface TrainingData {
  /** More ways teachers ask for an entry (knowledge/train/paraphrases-*.tsv). */
  paraphrases: { expected: string; question: string }[];
  /** Questions the knowledge base must not answer (knowledge/train/out-of-scope.tsv, chatter). */
  outOfScope: string[];
}

/** Training sentences of an entry: its title, phrasings, and the sentences of its answer. */
export function entryExamples(e: KnowledgeEntry): IntentExample[] {
  const sentences = e.body
    .split(/[。！？\n]+/)
    .map((x) => x.replace(/[#*>`|-]/g, ' ').trim())
    .filter((x) => x.length >= 6);
  return [e.title, ...e.phrasings, ...sentences].map((text) => ({ label: e.id, text }));
}

export function trainingExamples(entries: KnowledgeEntry[], data: TrainingData): IntentExample[] {
  const ids = new Set(entries.map((e) => e.id));
  return [
    ...entries.flatMap(entryExamples),
    ...data.paraphrases.filter((p) => ids.has(p.expected)).map((p) => ({ label: p.expected, text: p.question })),
    ...data.outOfScope.map((text) => ({ label: OUT_OF_SCOPE, text })),
  ];
}

/**
 * Which entry answers a question, and how sure: the lexical retriever (exact words, rare terms)
 * and the intent model (learnt from many phrasings, and from questions about other things) each
 * score the candidates; the blend is discounted by the model's belief that the question is out
 * of scope. One threshold on the result decides whether the bot answers.
 */
export class Matcher {
  constructor(
    private readonly retriever: Retriever,
    private readonly intent: IntentModel,
  ) {}

  /** `intent` may come ready trained (the model cache); it is trained on the same data otherwise. */
  static train(entries: KnowledgeEntry[], data: TrainingData, intent?: (examples: IntentExample[]) => IntentModel): Matcher {
    const examples = trainingExamples(entries, data);
    return new Matcher(new Retriever(entries), intent ? intent(examples) : new IntentModel(examples));
  }

  get size(): number {
    return this.retriever.size;
  }

  /** What the question asks that the entry does not contain (retriever.ts `uncovered`). */
  uncovered(question: string, id: string): ReturnType<Retriever['uncovered']> {
    return this.retriever.uncovered(question, id);
  }


  search(question: string, k = 3): Match[] {
    const lexical = this.retriever.search(question, 8);
    const predicted = this.intent.predict(question);
    const pOut = predicted.find((x) => x.label === OUT_OF_SCOPE)?.p ?? 0;
    const pIntent = new Map(predicted.map((x) => [x.label, x.p]));
    const candidates = new Map(lexical.map((m) => [m.entry.id, m]));
    for (const x of predicted)
      if (x.label !== OUT_OF_SCOPE && x.p > 0.01 && !candidates.has(x.label)) {
        const entry = this.retriever.entry(x.label);
        if (entry) candidates.set(x.label, { entry, score: 0 });
      }
    return [...candidates.values()]
      .map((m) => {
        const intent = pIntent.get(m.entry.id) ?? 0;
        const blended = INTENT_WEIGHT * intent + (1 - INTENT_WEIGHT) * m.score;
        return { entry: m.entry, score: round(blended * (1 - pOut)), parts: { retrieval: m.score, intent: round(intent), outOfScope: round(pOut) } };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
