import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parseEntry, type KnowledgeEntry } from './domain/knowledge/entry.ts';
import { parseQaTsv } from './domain/knowledge/evaluate.ts';
import { DEFAULT_THRESHOLD, Matcher, type TrainingData } from './domain/knowledge/matcher.ts';
import type { Match } from './domain/knowledge/retriever.ts';
import { projectPath } from './paths.ts';
import { useDictionary } from './domain/knowledge/words.ts';
import { cachedModel, trainingKey } from './model-cache.ts';
import { IntentModel } from './domain/knowledge/intent-model.ts';
import { decide, type KbDecision } from './domain/knowledge/decide.ts';
import type { FactContext } from './domain/knowledge/facts.ts';
import type { Policy } from './domain/contract/policy.ts';

export const DEFAULT_KNOWLEDGE_DIR = projectPath('knowledge', 'entries');

/** jieba's 60,000 most frequent words, the rest's frequency mass kept (scripts/segmenter-dict.ts):
 * the segmentation of common text of the full 349,000-word dictionary for a quarter of its memory. */
const SEGMENTER_DICT = readFileSync(projectPath('knowledge', 'segmenter-dict.txt'));
useDictionary(SEGMENTER_DICT);
/** The dictionary changes every feature: it is part of what a cached model was trained on. */
const DICT_HASH = createHash('sha256').update(SEGMENTER_DICT).digest('hex');
const CORPUS_DIR = projectPath('corpus');

/**
 * Training data beside the entries (`<entries>/../train/*.tsv`: paraphrases and out-of-scope
 * questions) plus the classifier corpus's chatter (label none), which must not be answered either.
 * Never the evaluation set.
 */
export function loadTrainingData(entriesDir: string, onError: (msg: string) => void = () => {}): TrainingData {
  const data: TrainingData = { paraphrases: [], outOfScope: [] };
  const trainDir = resolve(entriesDir, '..', 'train');
  const tsvs = (dir: string, pattern: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f)) : []);
  for (const file of tsvs(trainDir, /\.tsv$/)) {
    try {
      for (const c of parseQaTsv(readFileSync(file, 'utf8'), file)) {
        if (c.expected) data.paraphrases.push({ expected: c.expected, question: c.question });
        else data.outOfScope.push(c.question);
      }
    } catch (e) {
      onError((e as Error).message);
    }
  }
  for (const file of tsvs(CORPUS_DIR, /^train.*\.tsv$/))
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) if (line.startsWith('none\t')) data.outOfScope.push(line.slice(5));
  return data;
}

/** Trained matchers by their inputs: a reload with nothing changed (and every test app) reuses one. */
const trained = new Map<string, Matcher>();

function matcherFor(entries: KnowledgeEntry[], data: TrainingData): Matcher {
  const key = trainingKey([entries, data, DICT_HASH]);
  let m = trained.get(key);
  if (!m) {
    m = Matcher.train(entries, data, (examples) =>
      cachedModel(
        'intent',
        key,
        () => new IntentModel(examples),
        (im) => {
          const { classes, features, weights, bias } = im.dump();
          return { meta: { classes, features }, arrays: { weights, bias } };
        },
        (s) => IntentModel.load({ ...(s.meta as { classes: string[]; features: string[] }), weights: s.arrays.weights as Float32Array, bias: s.arrays.bias as Float64Array }),
      ),
    );
    trained.clear(); // keep only the current one
    trained.set(key, m);
  }
  return m;
}

/** Reads every `*.md` entry of a folder; a bad file is reported and skipped, never fatal. */
export function loadEntries(dir: string, onError: (msg: string) => void = () => {}): KnowledgeEntry[] {
  const out: KnowledgeEntry[] = [];
  const seen = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  } catch (e) {
    onError(`cannot read knowledge folder ${dir}: ${(e as Error).message}`);
  }
  for (const f of files) {
    try {
      const e = parseEntry(readFileSync(join(dir, f), 'utf8'), f);
      if (seen.has(e.id)) throw new Error(`${f}: duplicate id "${e.id}"`);
      seen.add(e.id);
      out.push(e);
    } catch (err) {
      onError((err as Error).message);
    }
  }
  return out;
}

/**
 * The knowledge base of the running bot: entries from Markdown files, reloaded when a file
 * changes (debounced) or on the `重载知识库` command, without a restart.
 */
export class KnowledgeBase {
  private retriever: Matcher;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string = DEFAULT_KNOWLEDGE_DIR, private readonly log?: Logger, private readonly threshold = DEFAULT_THRESHOLD) {
    this.retriever = this.build();
  }

  get size(): number {
    return this.retriever.size;
  }

  /** The entry to answer with, or undefined (the question goes to an engineer). */
  answer(question: string): Match | undefined {
    const best = this.retriever.search(question, 1)[0];
    return best && best.score >= this.threshold ? best : undefined;
  }

  /** How to answer a question: refuse, a fact, an entry, or nothing (src/domain/knowledge/decide.ts). */
  decide(question: string, policy: Policy, context?: FactContext): KbDecision {
    return decide(question, { search: (q) => this.retriever.search(q, 1)[0], uncovered: (q, id) => this.retriever.uncovered(q, id), threshold: this.threshold }, policy, context);
  }

  search(question: string, k = 3): Match[] {
    return this.retriever.search(question, k);
  }

  /** What the question asks that the entry does not contain, rarest first. */
  uncovered(question: string, id: string) {
    return this.retriever.uncovered(question, id);
  }

  /** Re-reads the folder; returns the number of entries and the errors met. */
  reload(): { entries: number; errors: string[] } {
    const errors: string[] = [];
    this.retriever = this.build(errors);
    this.log?.info({ entries: this.retriever.size, errors: errors.length }, 'knowledge base reloaded');
    return { entries: this.retriever.size, errors };
  }

  watch(): void {
    try {
      this.watcher = watch(this.dir, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), 300);
      });
      this.watcher.on('error', (err) => this.log?.warn({ err: err.message }, 'knowledge watch error'));
    } catch (err) {
      this.log?.warn({ err: (err as Error).message }, 'knowledge folder not watched; reload with the /reload command');
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private build(errors: string[] = []): Matcher {
    const problem = (m: string) => {
      errors.push(m);
      this.log?.warn({ problem: m }, 'knowledge entry skipped');
    };
    return matcherFor(loadEntries(this.dir, problem), loadTrainingData(this.dir, problem));
  }
}
