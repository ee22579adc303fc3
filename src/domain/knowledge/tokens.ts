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

/**
 * Bigrams that carry no topic: question frames and politeness. Dropped from similarity so that
 * "明天天气怎么样" does not look like "平台怎么样登录".
 */
export const FILLER = new Set([
  '请问', '问一', '一下', '怎么', '么样', '如何', '什么', '可以', '能不', '不能', '是不', '不是', '我们', '你们', '老师',
  '知道', '想问', '一个', '这个', '那个', '有没', '没有', '需要', '的话', '吗', '呢', '麻烦', '帮忙', '谢谢', '你好', '您好',
  '为什', '么办', '怎样', '哪里', '在哪', '哪个', '多少', '多久', '时候', '什么', '现在', '还是', '应该', '是什', '么时',
]);
