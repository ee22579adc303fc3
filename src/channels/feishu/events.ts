import { z } from 'zod';

/**
 * The Feishu event shapes the bot reads, validated at the boundary. The SDK hands handlers a flat
 * object (schema-2.0 header fields beside the event's own); webhook bodies are flattened the same way.
 */
const ids = z.object({ open_id: z.string().optional(), user_id: z.string().optional(), union_id: z.string().optional() }).passthrough();

export const messageEventSchema = z
  .object({
    event_id: z.string().min(1),
    sender: z.object({ sender_id: ids, sender_type: z.string().optional() }).passthrough(),
    message: z
      .object({
        message_id: z.string().min(1),
        chat_id: z.string().min(1),
        chat_type: z.string(),
        message_type: z.string(),
        content: z.string(),
        create_time: z.string().optional(),
        /** The message this one replies to. */
        parent_id: z.string().optional(),
        mentions: z.array(z.object({ key: z.string(), id: ids, name: z.string().optional() }).passthrough()).optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const cardActionSchema = z
  .object({
    event_id: z.string().min(1),
    operator: ids,
    action: z.object({ value: z.record(z.string(), z.unknown()).optional(), tag: z.string().optional() }).passthrough(),
    context: z.object({ open_message_id: z.string(), open_chat_id: z.string() }).passthrough(),
  })
  .passthrough();
export type CardActionEvent = z.infer<typeof cardActionSchema>;

/** A webhook body (schema 2.0) flattened like the SDK does for its handlers. */
export function flatten(body: Record<string, unknown>): Record<string, unknown> {
  const header = (body.header ?? {}) as Record<string, unknown>;
  const event = (body.event ?? {}) as Record<string, unknown>;
  return { ...header, ...event };
}
