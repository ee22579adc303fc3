import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPath } from './paths.ts';

/**
 * Trained models saved beside the compiled bundle (dist/models/), keyed by a hash of what they
 * were trained on: the CLI and the bot load the weights (a few ms) instead of training them at
 * every start (~2 s for the knowledge base's intent model). `npm run build` trains them once
 * and empties the folder first, so a cached model always matches the code that wrote it. From
 * the sources (tsx, tests) nothing is cached: a change to the model code takes effect at once.
 */
const DIR = projectPath('dist', 'models');
const ENABLED = fileURLToPath(import.meta.url).startsWith(projectPath('dist'));

export interface Stored {
  meta: unknown;
  arrays: Record<string, Float64Array | Float32Array | Int32Array>;
}

export const trainingKey = (inputs: unknown): string => createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);

const ARRAYS = { f64: Float64Array, f32: Float32Array, i32: Int32Array } as const;
const kindOf = (a: Stored['arrays'][string]) => (a instanceof Float64Array ? 'f64' : a instanceof Float32Array ? 'f32' : 'i32');

/** The model trained on `key`'s inputs: loaded when cached, else trained (and saved, best effort).
 * Two files: `<name>-<key>.json` (the strings, and where each array lies) and `.bin` (the arrays' bytes). */
export function cachedModel<T>(name: string, key: string, train: () => T, save: (m: T) => Stored, load: (s: Stored) => T): T {
  if (!ENABLED) return train();
  const base = join(DIR, `${name}-${key}`);
  try {
    const head = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { meta: unknown; arrays: Record<string, { kind: keyof typeof ARRAYS; offset: number; length: number }> };
    const bytes = readFileSync(`${base}.bin`);
    const arrays: Stored['arrays'] = {};
    for (const [k, { kind, offset, length }] of Object.entries(head.arrays)) {
      const copy = new Uint8Array(length); // own, aligned buffer for the typed array
      copy.set(bytes.subarray(offset, offset + length));
      arrays[k] = new ARRAYS[kind](copy.buffer);
    }
    return load({ meta: head.meta, arrays });
  } catch {
    /* not cached yet, or unreadable: train */
  }
  const model = train();
  try {
    const s = save(model);
    const layout: Record<string, { kind: string; offset: number; length: number }> = {};
    const parts: Buffer[] = [];
    let offset = 0;
    for (const [k, a] of Object.entries(s.arrays)) {
      layout[k] = { kind: kindOf(a), offset, length: a.byteLength };
      parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      offset += a.byteLength;
    }
    mkdirSync(DIR, { recursive: true });
    // The bytes first, the head last: a head is only ever read beside complete bytes.
    for (const [file, data] of [[`${base}.bin`, Buffer.concat(parts)], [`${base}.json`, JSON.stringify({ meta: s.meta, arrays: layout })]] as const) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, file);
    }
  } catch {
    /* read-only install: train at each start instead */
  }
  return model;
}
