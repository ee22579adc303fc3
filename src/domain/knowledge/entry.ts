import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** One knowledge-base entry: a Markdown file with front matter (knowledge/entries/<id>.md). */
export interface KnowledgeEntry {
  id: string;
  title: string;
  phrasings: string[];
  tags: string[];
  /** Where the answer comes from: the contract clause (`售后服务承诺书 5.3.1 第1条(2)`); absent for how-tos the contract does not state. */
  source?: string;
  body: string;
}

const frontMatter = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    title: z.string().min(1),
    phrasings: z.array(z.string().min(1)).default([]),
    tags: z.array(z.string()).default([]),
    source: z.string().min(1).optional(),
  })
  .strict();

/** Parses one entry; throws with the source named on a bad file. */
export function parseEntry(text: string, source: string): KnowledgeEntry {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${source}: missing front matter (--- … ---)`);
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (e) {
    throw new Error(`${source}: front matter is not valid YAML: ${(e as Error).message}`);
  }
  const r = frontMatter.safeParse(data);
  if (!r.success) throw new Error(`${source}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const body = m[2]!.trim();
  if (!body) throw new Error(`${source}: empty answer`);
  return { ...r.data, body };
}
