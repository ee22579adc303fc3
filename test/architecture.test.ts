import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The shape docs/ARCHITECTURE.md promises, checked on the sources: which folder may import which,
 * no import cycles, and every user-facing Chinese string in src/views/ (or one of the places
 * named below, each for a reason).
 */

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const FILES = ['src', 'handlers', 'jobs'].flatMap(sources);

interface Import {
  spec: string;
  /** The project file it resolves to, when relative. */
  target?: string;
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not with the file. */
  dynamic?: boolean;
}

/** Every static, re-exported and dynamic import of a file, read by the TypeScript parser. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic = false) => out.push({ spec, typeOnly, ...(dynamic ? { dynamic } : {}), ...(spec.startsWith('.') ? { target: relative(ROOT, resolve(ROOT, dirname(file), spec)) } : {}) });
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(n.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, n.isTypeOnly);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) add(n.arguments[0].text, false, true);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) add(n.argument.literal.text, true);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));
const under = (f: string | undefined, dir: string) => !!f && (f === dir || f.startsWith(`${dir}/`));

describe('architecture', () => {
  it('every relative import names a file that exists', () => {
    const missing = [...GRAPH].flatMap(([f, imps]) => imps.filter((i) => i.target && !FILES.includes(i.target) && !i.target.endsWith('.html')).map((i) => `${f} → ${i.spec}`));
    expect(missing).toEqual([]);
  });

  it('the chat platforms\' SDKs load only when their platform is configured (dynamic imports from the plugins)', () => {
    const sdks = ['@larksuiteoapi/node-sdk', 'wechaty', 'wechaty-puppet-mock', '@wecom/aibot-node-sdk'];
    // Everything loaded with the app's entry points, following static imports only.
    const loaded = new Set<string>();
    const walk = (f: string) => {
      if (loaded.has(f) || !GRAPH.has(f)) return;
      loaded.add(f);
      for (const i of GRAPH.get(f)!) if (i.target && !i.typeOnly && !i.dynamic) walk(i.target);
    };
    ['src/main.ts', 'src/app.ts', 'src/cli/main.ts'].forEach(walk);
    const bad = [...loaded].flatMap((f) => GRAPH.get(f)!.filter((i) => sdks.includes(i.spec) && !i.typeOnly && !i.dynamic).map((i) => `${f} → ${i.spec}`));
    expect(loaded.has('src/channels/registry.ts')).toBe(true);
    expect(bad).toEqual([]);
  });

  it('the domain imports only the domain and pure libraries: no I/O, no channels, no handlers, no views', () => {
    const pure = new Set(['luxon', 'zod', 'minisearch', 'yaml', '@node-rs/jieba', 'node:module', 'chinese-days', 'chinese-days/dist/chinese-days.json']);
    const bad = FILES.filter((f) => under(f, 'src/domain')).flatMap((f) =>
      GRAPH.get(f)!.filter((i) => (i.target ? !under(i.target, 'src/domain') : !pure.has(i.spec))).map((i) => `${f} → ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('views read the domain only; jobs never import handlers; channels never import handlers or jobs', () => {
    const rules: [string, string[]][] = [
      ['src/views', ['handlers', 'jobs', 'src/channels', 'src/store', 'src/server', 'src/app.ts']],
      ['jobs', ['handlers', 'src/channels', 'src/server']],
      ['src/channels', ['handlers', 'jobs', 'src/app.ts']],
      ['handlers', ['jobs', 'src/channels', 'src/server', 'src/app.ts']],
      ['src/store', ['handlers', 'jobs', 'src/channels', 'src/views', 'src/server']],
    ];
    const bad = rules.flatMap(([from, banned]) =>
      FILES.filter((f) => under(f, from)).flatMap((f) => GRAPH.get(f)!.filter((i) => banned.some((b) => under(i.target, b))).map((i) => `${f} → ${i.spec}`)),
    );
    expect(bad).toEqual([]);
  });

  it('has no import cycle (type-only imports included)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const walk = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const i of GRAPH.get(f) ?? []) {
        if (!i.target || !GRAPH.has(i.target)) continue;
        if (state.get(i.target) === 'open') cycles.push([...stack.slice(stack.indexOf(i.target)), i.target].join(' → '));
        else if (!state.has(i.target)) walk(i.target);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of FILES) if (!state.has(f)) walk(f);
    expect(cycles).toEqual([]);
  });

  it('user-facing Chinese lives in src/views/ (regular expressions, which read input, are not text)', () => {
    // Where else Chinese may be written, and why.
    const allowed: [string, string][] = [
      ['src/views', 'the wording'],
      ['handlers/commands', 'each command declares its words and its help line'],
      ['src/domain/contract/default-policy.ts', "the contract's own data: level names, people, addresses"],
      ['src/domain/contract/default-semesters.ts', "the usual academic calendar's semester names"],
      ['src/domain/classifier', 'lexicons that read teachers’ messages'],
      ['src/domain/knowledge', 'lexicons that read questions'],
      ['src/domain/incident', 'lexicons that read what a fault report is about'],
      ['src/demo-data.ts', 'demo tickets'],
      ['src/cli/main.ts', 'usage examples for operators'],
    ];
    const found: string[] = [];
    const textKinds = new Set([ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail]);
    for (const f of FILES) {
      if (allowed.some(([dir]) => under(f, dir))) continue;
      const sf = ts.createSourceFile(f, readFileSync(join(ROOT, f), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node) => {
        if (textKinds.has(n.kind) && /\p{Script=Han}/u.test((n as ts.LiteralLikeNode).text)) found.push(`${f}: ${(n as ts.LiteralLikeNode).text.slice(0, 40)}`);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(found).toEqual([]);
  });
});
