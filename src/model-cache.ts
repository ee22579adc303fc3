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

/** The model trained on `key`'s inputs: loaded when cached, else trained (and saved, best effort). */
export function cachedModel<T>(name: string, key: string, train: () => T, save: (m: T) => Stored, load: (s: Stored) => T): T {
  if (!ENABLED) return train();
  const file = join(DIR, `${name}-${key}.json`);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { meta: unknown; arrays: Record<string, { kind: keyof typeof ARRAYS; b64: string }> };
    const arrays: Stored['arrays'] = {};
    for (const [k, { kind, b64 }] of Object.entries(raw.arrays)) {
      const bytes = Buffer.from(b64, 'base64');
      const copy = new Uint8Array(bytes.length); // own, aligned buffer for the typed array
      copy.set(bytes);
      arrays[k] = new ARRAYS[kind](copy.buffer);
    }
    return load({ meta: raw.meta, arrays });
  } catch {
    /* not cached yet, or unreadable: train */
  }
  const model = train();
  try {
    const s = save(model);
    const arrays = Object.fromEntries(Object.entries(s.arrays).map(([k, a]) => [k, { kind: kindOf(a), b64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') }]));
    mkdirSync(DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ meta: s.meta, arrays }));
    renameSync(tmp, file);
  } catch {
    /* read-only install: train at each start instead */
  }
  return model;
}
