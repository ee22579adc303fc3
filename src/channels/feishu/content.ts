import type { Attachment } from '../../domain/ticket.ts';
import type { MessageEvent } from './events.ts';

export interface ParsedContent {
  text: string;
  attachments: Attachment[];
}

/**
 * Turns a Feishu message's `content` (a JSON string whose shape depends on `message_type`) into
 * plain text plus attachments. Mention placeholders (`@_user_1`) become `@name`, so the text reads
 * as the user wrote it; the bot's own mention is decided separately from `mentions`.
 */
export function parseContent(m: MessageEvent['message']): ParsedContent {
  let c: Record<string, unknown> = {};
  try {
    c = JSON.parse(m.content) as Record<string, unknown>;
  } catch {
    return { text: '', attachments: [] };
  }
  const names = new Map((m.mentions ?? []).map((x) => [x.key, x.name ?? '']));
  const unmention = (t: string) => t.replace(/@_user_\d+/g, (k) => (names.has(k) ? `@${names.get(k)}` : ''));
  switch (m.message_type) {
    case 'text':
      return { text: unmention(String(c.text ?? '')), attachments: [] };
    case 'post':
      return parsePost(c, unmention);
    case 'image':
      return { text: '', attachments: [{ kind: 'image', ref: `feishu:${m.message_id}:${String(c.image_key ?? '')}` }] };
    case 'file':
    case 'audio':
    case 'media': {
      const kind = m.message_type === 'file' ? 'file' : m.message_type === 'audio' ? 'audio' : 'video';
      const name = typeof c.file_name === 'string' ? c.file_name : undefined;
      return { text: '', attachments: [{ kind, ref: `feishu:${m.message_id}:${String(c.file_key ?? '')}`, ...(name ? { name } : {}) }] };
    }
    default:
      return { text: '', attachments: [{ kind: 'other', ref: `feishu:${m.message_id}:${m.message_type}` }] };
  }
}

/** Rich text: {title, content: [[{tag:'text'|'a'|'at'|'img'|…}]]}, possibly wrapped per language. */
function parsePost(c: Record<string, unknown>, unmention: (t: string) => string): ParsedContent {
  const body = (c.content ? c : ((Object.values(c).find((v) => typeof v === 'object' && v && 'content' in v) as Record<string, unknown> | undefined) ?? c)) as {
    title?: string;
    content?: { tag: string; text?: string; href?: string; user_name?: string; user_id?: string; image_key?: string; file_key?: string }[][];
  };
  const lines: string[] = [];
  const attachments: Attachment[] = [];
  if (body.title) lines.push(body.title);
  for (const para of body.content ?? []) {
    let line = '';
    for (const el of para) {
      if (el.tag === 'text' || el.tag === 'md') line += el.text ?? '';
      else if (el.tag === 'a') line += el.text ?? el.href ?? '';
      else if (el.tag === 'at') line += el.user_name ? `@${el.user_name}` : unmention(el.user_id ?? '');
      else if (el.tag === 'img' && el.image_key) attachments.push({ kind: 'image', ref: `feishu:${el.image_key}` });
      else if (el.tag === 'media' && el.file_key) attachments.push({ kind: 'video', ref: `feishu:${el.file_key}` });
    }
    lines.push(line);
  }
  return { text: unmention(lines.join('\n')).trim(), attachments };
}

/** The bot is addressed when one of the message's mentions is the bot's own open_id. */
export function mentionsBot(m: MessageEvent['message'], botOpenId: string | undefined): boolean {
  return !!botOpenId && (m.mentions ?? []).some((x) => x.id.open_id === botOpenId);
}
