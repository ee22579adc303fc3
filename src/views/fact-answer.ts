import { CONTRACT_POLICY } from '../domain/contract/default-policy.ts';
import { parsePolicy, type Policy, type RosterMember } from '../domain/contract/policy.ts';
import type { FactQuery } from '../domain/knowledge/facts.ts';
import { LEVELS } from '../domain/levels.ts';
import { formatWindow } from './time.ts';
import { zh } from './zh.ts';

/** The contract as signed (the default policy is the contract, CONTRACT.md): what a school's policy may differ from. */
let signed: Policy | undefined;
const contract = (): Policy => (signed ??= parsePolicy(CONTRACT_POLICY, 'contract'));

export interface FactAnswer {
  text: string;
  /** `依据：…`: the contract clause, or this school's own settings where they differ from it. */
  citation: string;
}

const C = zh.kb.clauses;

/** The exact answer to a fact question, from the running policy, with where it comes from. */
export function factAnswer(q: FactQuery, p: Policy): FactAnswer {
  const c = contract();
  const cite = (clause: string, same: boolean) => (same ? zh.kb.cite(clause) : zh.kb.citePolicy);
  const hotline = p.service.phone;
  switch (q.kind) {
    case 'person': {
      const people = q.ids.map((id) => p.roster.find((m) => m.id === id)).filter((m): m is RosterMember => !!m);
      const inContract = people.every((m) => c.roster.some((k) => k.name === m.name && (k.phone ?? '') === (m.phone ?? '') && k.title === m.title));
      const line = (m: RosterMember) =>
        q.ask === 'phone' ? (m.phone ? zh.kb.fact.phone(m.name, m.title, m.phone) : zh.kb.fact.noPhone(m.name, m.title, hotline)) : zh.kb.fact.person(m.name, m.title, m.phone);
      return { text: people.map(line).join('\n'), citation: cite(C.team, inContract) };
    }
    case 'response': {
      const levels = q.level ? [q.level] : [...LEVELS];
      const same = levels.every((l) => p.levels[l].response === c.levels[l].response && p.levels[l].name === c.levels[l].name);
      return { text: levels.map((l) => zh.kb.fact.response(p.levels[l].name, p.levels[l].description, formatWindow(p.levels[l].response))).join('\n'), citation: cite(C.response, same) };
    }
    case 'onsite': {
      const w = { arrive: p.onsite.arrive, resolve: p.onsite.resolve, backup: p.onsite.backup }[q.clock];
      const same = w === c.onsite[q.clock];
      return { text: zh.kb.fact.onsite[q.clock](formatWindow(w)), citation: cite(C.onsite, same) };
    }
    case 'warranty':
      return { text: zh.kb.fact.warranty, citation: zh.kb.cite(C.warranty) };
    case 'inspections':
      return { text: zh.kb.fact.inspections(p.inspections.perSemester), citation: cite(C.inspections, p.inspections.perSemester === c.inspections.perSemester) };
    case 'address':
      return { text: zh.kb.fact.address(p.service.vendor, p.service.address), citation: cite(C.team, p.service.address === c.service.address) };
    case 'company':
      return { text: zh.kb.fact.company(p.service.vendor), citation: cite(C.team, p.service.vendor === c.service.vendor) };
    case 'hotline':
      return { text: zh.kb.fact.hotline(hotline), citation: cite(C.team, hotline === c.service.phone) };
  }
}
