import type { Classification } from '../src/domain/classifier/classifier.ts';
import { replyTo, type IncomingMessage, type Outgoing } from '../src/domain/messages.ts';
import { messageCommit } from '../src/store/commit.ts';
import { zh } from '../src/views/zh.ts';
import type { Services } from './services.ts';

const HANDOFF = /^(转人工|人工|人工客服|找人工|找工程师|没解决|没有解决|还是不行|还是没解决|不行|不对)[!！。.~～]*$/;

export function isHandoff(text: string): boolean {
  return HANDOFF.test(text.trim());
}

/**
 * A question (label consult, or an addressed message that reads as chatter but matches an entry) the
 * knowledge base can answer with confidence is answered at once and
 * recorded as a bot answer (no ticket, no SLA clock). Returns undefined when it cannot; the caller
 * then opens a consult ticket. Faults never come here.
 */
export async function answerFromKnowledge(msg: IncomingMessage, text: string, c: Classification, s: Services): Promise<Outgoing[] | undefined> {
  if (c.label !== 'consult' && c.label !== 'none') return undefined;
  const match = s.knowledge.answer(text);
  if (!match) return undefined;
  const now = s.now();
  const out: Outgoing[] = [{ dest: replyTo(msg), msg: { text: zh.kb.answer({ title: match.entry.title, body: match.entry.body, id: match.entry.id }) } }];
  // The answer's record, the message's mark and the reply are stored in one step.
  const commit = messageCommit(msg, out, `answer:${match.entry.id}`);
  await s.answers.record({
    platform: msg.platform,
    chatId: msg.chatId,
    userId: msg.sender.userId,
    name: msg.sender.name,
    question: text,
    entryId: match.entry.id,
    title: match.entry.title,
    score: match.score,
    at: now,
    messageId: msg.messageId,
  }, commit);
  s.log.info({ entry: match.entry.id, score: match.score, platform: msg.platform }, 'answered from knowledge base');
  return out;
}
