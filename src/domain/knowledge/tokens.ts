/**
 * Chinese-aware tokens for retrieval: CJK character bigrams (and single characters for one-character
 * runs), ASCII words and numbers. Bigrams need no segmenter and cope with typos and word order.
 */
export function tokens(text: string): string[] {
  const t = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const run of t.match(/[\u3400-\u9fff]+|[a-z0-9]+/g) ?? []) {
    if (!/[\u3400-\u9fff]/.test(run)) {
      out.push(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}
