/** Pure helpers for the text of an incoming message. */

/** Strips a leading "@<bot name>" (and spaces/colons after it); reports whether it was there. */
export function stripBotMention(text: string, botName: string): { text: string; mentioned: boolean } {
  const t = text.replace(/^\s+/, '');
  const prefixes = [`@${botName}`, `＠${botName}`];
  for (const p of prefixes) {
    if (t.startsWith(p)) return { text: t.slice(p.length).replace(/^[\s\u2005:：,，]+/, ''), mentioned: true };
  }
  return { text: t, mentioned: false };
}

/** Cuts text to `max` characters (code points, so emoji are not split). */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const chars = [...text];
  if (chars.length <= max) return { text, truncated: false };
  return { text: chars.slice(0, max).join(''), truncated: true };
}

/** A short single-line preview, for notices. */
export function preview(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length <= max ? one : `${chars.slice(0, max).join('')}…`;
}

/** True when the text has no letters or digits at all (empty, whitespace, emoji, punctuation). */
export function hasNoWords(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}
