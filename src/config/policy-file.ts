import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PLATFORM_NAMES } from '../channels/registry.ts';
import { CONTRACT_POLICY } from '../domain/contract/default-policy.ts';
import { parsePolicy, PolicyError, scalePolicy, type Policy } from '../domain/contract/policy.ts';

type Json = unknown;

/** Objects merge key by key; arrays and scalars in the override replace the default. */
export function deepMerge(base: Json, over: Json): Json {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, Json> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return over;
}

function isPlainObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Loads the policy: the contract's default, overridden by the file at `path` (YAML or JSON) when
 * given, then scaled in time. A file may set only what differs from the contract.
 */
export function loadPolicy(path: string | undefined, timeScale = 1): Policy {
  let override: Json = undefined;
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new PolicyError(`cannot read policy file ${path}: ${(e as Error).message}`);
    }
    try {
      override = parseYaml(text); // YAML is a superset of JSON
    } catch (e) {
      throw new PolicyError(`policy file ${path} is not valid YAML/JSON: ${(e as Error).message}`);
    }
    if (override !== null && !isPlainObject(override)) throw new PolicyError(`policy file ${path} must contain a mapping`);
  }
  const policy = parsePolicy(deepMerge(structuredClone(CONTRACT_POLICY), override ?? undefined), path ?? 'policy', PLATFORM_NAMES);
  return scalePolicy(policy, timeScale);
}
