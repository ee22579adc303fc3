import { z } from 'zod';
import type { Attachment } from '../../domain/ticket.ts';

/**
 * The frames the WeCom AI bot pushes over the long connection (aibot_msg_callback,
 * aibot_event_callback), checked before use: the SDK hands them on unvalidated (a text message
 * without `text` reaches the handler), so a frame of an unexpected shape is logged and ignored.
 */
const media = z.object({ url: z.string().optional(), aeskey: z.string().optional() }).passthrough();
const text = z.object({ content: z.string() }).passthrough();
const mixed = z.object({ msg_item: z.array(z.object({ msgtype: z.string(), text: z.object({ content: z.string().optional() }).passthrough().optional(), image: media.optional() }).passthrough()) }).passthrough();

export const messageFrameSchema = z.object({
  headers: z.object({ req_id: z.string() }).passthrough(),
  body: z
    .object({
      msgid: z.string().min(1),
      chatid: z.string().min(1).optional(),
      // Read loosely: a chattype we do not know yet is told apart by chatid (groups have one).
      chattype: z.string().optional(),
      from: z.object({ userid: z.string().min(1) }).passthrough(),
      msgtype: z.string(),
      text: text.optional(),
      image: media.optional(),
      mixed: mixed.optional(),
      voice: text.optional(),
      file: media.extend({ filename: z.string().optional() }).optional(),
      video: media.optional(),
      quote: z.object({ msgtype: z.string(), text: text.optional() }).passthrough().optional(),
    })
    .passthrough()
    .refine((b) => b.chattype !== 'group' || !!b.chatid, 'a group message without chatid')
    .refine((b) => (b.msgtype !== 'text' || !!b.text?.content) && (b.msgtype !== 'voice' || !!b.voice?.content), 'a text or voice message without its content'),
});
export type MessageFrame = z.infer<typeof messageFrameSchema>;

export const cardEventFrameSchema = z.object({
  headers: z.object({ req_id: z.string() }).passthrough(),
  body: z
    .object({
      msgid: z.string().min(1),
      chatid: z.string().min(1).optional(),
      chattype: z.string().optional(),
      from: z.object({ userid: z.string().min(1) }).passthrough(),
      event: z.object({ eventtype: z.literal('template_card_event'), event_key: z.string().min(1), task_id: z.string().min(1) }).passthrough(),
    })
    .passthrough(),
});
export type CardEventFrame = z.infer<typeof cardEventFrameSchema>;

/** A message's words and attachments: text, voice (its transcript), the text of a mixed message; media as attachments. */
export function contentOf(b: MessageFrame['body']): { text: string; attachments: Attachment[] } {
  const ref = (m: { url?: string | undefined } | undefined, fallback: string) => m?.url ?? fallback;
  switch (b.msgtype) {
    case 'text':
      return { text: b.text?.content ?? '', attachments: [] };
    case 'voice':
      return { text: b.voice?.content ?? '', attachments: [] };
    case 'mixed': {
      const items = b.mixed?.msg_item ?? [];
      return {
        text: items.flatMap((i) => (i.msgtype === 'text' && i.text?.content ? [i.text.content] : [])).join('\n'),
        attachments: items.flatMap((i, k) => (i.msgtype === 'image' ? [{ kind: 'image' as const, ref: ref(i.image, `${b.msgid}#${k}`) }] : [])),
      };
    }
    case 'image':
      return { text: '', attachments: [{ kind: 'image', ref: ref(b.image, b.msgid) }] };
    case 'file':
      return { text: '', attachments: [{ kind: 'file', ref: ref(b.file, b.msgid), ...(b.file?.filename ? { name: b.file.filename } : {}) }] };
    case 'video':
      return { text: '', attachments: [{ kind: 'video', ref: ref(b.video, b.msgid) }] };
    default:
      return { text: '', attachments: [{ kind: 'other', ref: b.msgid }] };
  }
}
