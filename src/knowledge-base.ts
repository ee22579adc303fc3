import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { parseEntry, type KnowledgeEntry } from './domain/knowledge/entry.ts';
import { gateScore } from './domain/knowledge/answer-gate.ts';
import { DEFAULT_THRESHOLD, Retriever, type Match } from './domain/knowledge/retriever.ts';
import type { Label } from './domain/levels.ts';

export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge/entries/', import.meta.url));

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
  private retriever: Retriever;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string = DEFAULT_KNOWLEDGE_DIR, private readonly log?: Logger, private readonly threshold = DEFAULT_THRESHOLD) {
    this.retriever = this.build();
  }

  get size(): number {
    return this.retriever.size;
  }

  /** The entry to answer with, given the classifier's label (answer-gate.ts), or undefined. */
  answer(question: string, label: Label = 'consult'): Match | undefined {
    const best = this.retriever.search(question, 1)[0];
    return best && gateScore(label, best.score) >= this.threshold ? best : undefined;
  }

  search(question: string, k = 3): Match[] {
    return this.retriever.search(question, k);
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
      this.log?.warn({ err: (err as Error).message }, 'knowledge folder not watched; use 重载知识库');
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private build(errors: string[] = []): Retriever {
    const entries = loadEntries(this.dir, (m) => {
      errors.push(m);
      this.log?.warn({ problem: m }, 'knowledge entry skipped');
    });
    return new Retriever(entries);
  }
}
