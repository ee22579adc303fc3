/**
 * Text normalisation shared by training and prediction: full-width to half-width (NFKC), lower
 * case, @mentions removed, digits collapsed so "302机房" and "305机房" look alike.
 */
export function normalize(text: string, collapseDigits = true): string {
  const t = text
    .normalize('NFKC')
    .toLowerCase()
    // Mentions: the bot's name even when glued to the text, any other "@name " up to a space.
    .replace(/^\s*[@＠](售后助手|售后机器人|机器人)/, ' ')
    .replace(/[@＠]\S{1,20}(\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return collapseDigits ? t.replace(/\d+/g, '0') : t;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Features: CJK character 1–3-grams within runs of CJK text, whole ASCII words (502, raid, cpu),
 * and emoji/punctuation marks that carry tone (！？).
 */
export function features(normalized: string): string[] {
  const out: string[] = [];
  const runs = normalized.match(/[\u3400-\u9fff]+|[a-z0-9]+|[!?！？]/g) ?? [];
  for (const run of runs) {
    if (!CJK.test(run)) {
      out.push(`w:${run}`);
      continue;
    }
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.push(chars[i]!);
      if (i + 1 < chars.length) out.push(chars[i]! + chars[i + 1]!);
      if (i + 2 < chars.length) out.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
    }
  }
  return out;
}
