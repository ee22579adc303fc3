import type { Classification } from '../src/domain/classifier/classifier.ts';
import { factFromKey, factKey } from '../src/domain/knowledge/facts.ts';
import { replyTo, type IncomingMessage, type Outgoing } from '../src/domain/messages.ts';
import { messageCommit } from '../src/store/commit.ts';
import { factAnswer } from '../src/views/fact-answer.ts';
import { zh } from '../src/views/zh.ts';
import type { Services } from './services.ts';

const HANDOFF = /^(转人工|人工|人工客服|找人工|找工程师|没解决|没有解决|还是不行|还是没解决|不行|不对)[!！。.~～]*$/;

/** How long an answer is the context of the next question (那到场呢？ / 他电话多少). */
const CONTEXT_MS = 10 * 60_000;

export function isHandoff(text: string): boolean {
  return HANDOFF.test(text.trim());
}

/**
 * A question (label consult, or an addressed message that reads as chatter) the knowledge base
 * can answer with confidence is answered at once, with where the answer comes from, and recorded
 * as a bot answer (no ticket, no SLA clock): one exact fact of the contract or the policy, or an
 * entry that addresses what is asked. A request a bot must never answer (passwords, personal data,
 * grades) gets a fixed refusal and no ticket. Returns undefined otherwise; the caller then opens a
 * consult ticket. Faults never come here.
 */
export async function answerFromKnowledge(msg: IncomingMessage, text: string, c: Classification, s: Services): Promise<Outgoing[] | undefined> {
  if (c.label !== 'consult' && c.label !== 'none') return undefined;
  const now = s.now();
  const last = await s.answers.lastFor(msg.platform, msg.chatId, msg.sender.userId);
  const context = last && now - last.at <= CONTEXT_MS ? factFromKey(last.entryId) : undefined;
  const d = s.knowledge.decide(text, s.policy, context);
  if (d.kind === 'none') {
    if (d.nearest) s.log.info({ nearest: d.nearest.entry.id, score: d.nearest.score, why: d.why }, 'knowledge base: no reliable answer');
    return undefined;
  }
  if (d.kind === 'sensitive') {
    s.log.info({ platform: msg.platform }, 'knowledge base: sensitive request refused');
    return [{ dest: replyTo(msg), msg: { text: zh.kb.sensitive } }];
  }
  let reply: string;
  let entryId: string;
  let title: string;
  let score: number;
  if (d.kind === 'fact') {
    const f = factAnswer(d.query, s.policy);
    reply = zh.kb.factAnswer(f.text, f.citation);
    entryId = factKey(d.query);
    title = f.text.split('\n')[0]!;
    score = 1;
  } else {
    const e = d.match.entry;
    reply = zh.kb.answer({ title: e.title, body: e.body, id: e.id, citation: e.source ? zh.kb.cite(e.source) : zh.kb.citeNone });
    entryId = e.id;
    title = e.title;
    score = d.match.score;
  }
  const out: Outgoing[] = [{ dest: replyTo(msg), msg: { text: reply } }];
  // The answer's record, the message's mark and the reply are stored in one step.
  const commit = messageCommit(msg, out, `answer:${entryId}`);
  await s.answers.record({ platform: msg.platform, chatId: msg.chatId, userId: msg.sender.userId, name: msg.sender.name, question: text, entryId, title, score, at: now, messageId: msg.messageId }, commit);
  s.log.info({ entry: entryId, score, platform: msg.platform }, 'answered from knowledge base');
  return out;
}
