import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { CONTRACT_POLICY } from '../../src/domain/contract/default-policy.ts';
import { parsePolicy, PolicyError } from '../../src/domain/contract/policy.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const min = 60_000;
const hour = 60 * min;

describe('the default policy is the contract', () => {
  const p = loadPolicy(undefined);
  it('has the six levels with Chinese names and response windows', () => {
    expect(Object.fromEntries(Object.entries(p.levels).map(([k, v]) => [k, [v.name, v.response]]))).toEqual({
      L1: ['一级故障', 30 * min],
      L2: ['二级故障', 30 * min],
      L3: ['三级故障', hour],
      L4: ['四级故障', hour],
      consult: ['技术咨询', hour],
      other: ['其它问题', hour],
    });
  });
  it('has the on-site windows and the time zone', () => {
    expect(p.onsite).toEqual({ arrive: 2 * hour, resolve: 4 * hour, backup: 72 * hour });
    expect(p.timezone).toBe('Asia/Shanghai');
  });
  it('has the roster with roles and simulator ids', () => {
    const r = Object.fromEntries(p.roster.map((m) => [m.name, { roles: m.roles, sim: m.ids.sim }]));
    expect(r).toEqual({
      王海芹: { roles: ['manager'], sim: 'wanghaiqin' },
      李爽: { roles: ['lead', 'engineer'], sim: 'lishuang' },
      张天慧: { roles: ['deputy', 'engineer'], sim: 'zhangtianhui' },
      吴锦锦: { roles: ['warehouse'], sim: 'wujinjin' },
    });
    expect(p.service.phone).toBe('13526683110');
  });
  it('config/policy.example.yaml is the same policy', () => {
    const example = parse(readFileSync(new URL('../../config/policy.example.yaml', import.meta.url), 'utf8'));
    expect(parsePolicy(example)).toEqual(parsePolicy(CONTRACT_POLICY));
  });
});

describe('policy validation', () => {
  it('names the bad field and its value', () => {
    const bad = structuredClone(CONTRACT_POLICY) as any;
    bad.levels.L1.response = '30 minutes';
    expect(() => parsePolicy(bad)).toThrow(PolicyError);
    expect(() => parsePolicy(bad)).toThrow(/policy\.levels\.L1\.response: invalid duration.*"30 minutes"/);
  });
  it('rejects working hours that overlap (they would count twice) or end before they start', () => {
    const bad = structuredClone(CONTRACT_POLICY) as any;
    bad.calendars = { workhours: { hours: ['14:00-18:00', '08:00-12:30', '12:00-13:00'] }, late: { hours: ['18:00-08:00'] } };
    const msg = (() => { try { parsePolicy(bad); return ''; } catch (e) { return (e as Error).message; } })();
    expect(msg).toMatch(/policy\.calendars\.workhours\.hours\.2: working hours "12:00-13:00" overlap "08:00-12:30"/);
    expect(msg).toMatch(/policy\.calendars\.late\.hours\.0: working hours "18:00-08:00" end before they start/);
    const ok = structuredClone(CONTRACT_POLICY) as any;
    ok.calendars = { workhours: { hours: ['14:00-18:00', '08:00-12:00', '12:00-13:00'] } }; // touching is fine
    expect(parsePolicy(ok).calendars.workhours!.hours).toHaveLength(3);
  });
  it('rejects unknown fields, roles and time zones', () => {
    const bad = structuredClone(CONTRACT_POLICY) as any;
    bad.timezone = 'Mars/Olympus';
    bad.roster[0].roles = ['boss'];
    bad.colour = 'red';
    const msg = (() => { try { parsePolicy(bad); return ''; } catch (e) { return (e as Error).message; } })();
    expect(msg).toMatch(/policy\.timezone: unknown IANA time zone \(value: "Mars\/Olympus"\)/);
    expect(msg).toMatch(/policy\.roster\.0\.roles\.0: .*"boss"/);
    expect(msg).toMatch(/colour/);
  });
  it('requires a team lead', () => {
    const bad = structuredClone(CONTRACT_POLICY) as any;
    bad.roster = bad.roster.filter((m: any) => !m.roles.includes('lead'));
    expect(() => parsePolicy(bad)).toThrow(/team lead/);
  });
  it('a bare 0 is a duration of none (incident.joinWindow: 0 switches joining off); other bare numbers need a unit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-policy-'));
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'incident:\n  joinWindow: 0\n');
    expect(loadPolicy(f).incident.joinWindow).toBe(0);
    writeFileSync(f, 'incident:\n  joinWindow: 30\n');
    expect(() => loadPolicy(f)).toThrow(/incident\.joinWindow/);
  });
  it('a file overrides only what it sets, and time scale multiplies every window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-policy-'));
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'levels:\n  L3:\n    response: 45m\nroster:\n  - {id: lishuang, name: 李爽, roles: [lead, engineer], ids: {sim: lishuang, feishu: ou_abc}}\n');
    const p = loadPolicy(f, 0.01);
    expect(p.levels.L3.response).toBe(27_000);
    expect(p.levels.L1.response).toBe(18_000);
    expect(p.onsite.arrive).toBe(72_000);
    expect(p.roster).toHaveLength(1);
    expect(p.roster[0]!.ids.feishu).toBe('ou_abc');
  });
  it('names an unknown platform in ids, beside any other error, and orders ids by the registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-policy-'));
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'levels:\n  L1:\n    response: 30 minutes\nroster:\n  - {id: lishuang, name: 李爽, roles: [lead], ids: {feishuu: ou_abc}}\n');
    const msg = (() => { try { loadPolicy(f); return ''; } catch (e) { return (e as Error).message; } })();
    expect(msg).toMatch(/p\.yaml\.roster\.0\.ids\.feishuu: unknown platform "feishuu"/);
    expect(msg).toMatch(/levels\.L1\.response: invalid duration/);
    writeFileSync(f, 'chats:\n  - {id: team, name: 售后服务群, role: team, ids: {wechat: w1, feishu: oc_1, sim: team}}\n');
    expect(Object.keys(loadPolicy(f).chats[0]!.ids)).toEqual(['sim', 'feishu', 'wechat']);
  });
  it('reports a file that is not YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-policy-'));
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'levels: [unclosed');
    expect(() => loadPolicy(f)).toThrow(/not valid YAML/);
  });
});
