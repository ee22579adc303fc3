import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/channels/feishu/card.ts';
import { mentionsBot, parseContent } from '../../src/channels/feishu/content.ts';
import { decrypt, signatureOf, signatureValid } from '../../src/channels/feishu/webhook-crypto.ts';
import { createCipheriv, createHash } from 'node:crypto';

const base = { message_id: 'om_1', chat_id: 'oc_1', chat_type: 'group' };

describe('Feishu message content', () => {
  it('reads text and resolves mention placeholders', () => {
    const m = { ...base, message_type: 'text', content: JSON.stringify({ text: '@_user_1 平台打不开了' }), mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: '售后助手' }] };
    expect(parseContent(m).text).toBe('@售后助手 平台打不开了');
    expect(mentionsBot(m, 'ou_bot')).toBe(true);
    expect(mentionsBot(m, 'ou_other')).toBe(false);
    expect(mentionsBot({ ...m, mentions: [] }, 'ou_bot')).toBe(false);
  });
  it('flattens rich text and keeps its images as attachments', () => {
    const post = { zh_cn: { title: '报修', content: [[{ tag: 'text', text: '302机房' }, { tag: 'a', text: '截图', href: 'x' }], [{ tag: 'img', image_key: 'img_1' }, { tag: 'text', text: '投影仪不亮' }]] } };
    const r = parseContent({ ...base, message_type: 'post', content: JSON.stringify(post) });
    expect(r.text).toBe('报修\n302机房截图\n投影仪不亮');
    expect(r.attachments).toEqual([{ kind: 'image', ref: 'feishu:img_1' }]);
  });
  it('keeps images and files as attachments with no text', () => {
    expect(parseContent({ ...base, message_type: 'image', content: '{"image_key":"img_2"}' })).toEqual({ text: '', attachments: [{ kind: 'image', ref: 'feishu:om_1:img_2' }] });
    expect(parseContent({ ...base, message_type: 'file', content: '{"file_key":"f_1","file_name":"日志.txt"}' }).attachments).toEqual([{ kind: 'file', ref: 'feishu:om_1:f_1', name: '日志.txt' }]);
    expect(parseContent({ ...base, message_type: 'text', content: 'not json' })).toEqual({ text: '', attachments: [] });
  });
});

describe('Feishu cards and webhook crypto', () => {
  it('renders a JSON 2.0 card with level colour and buttons carrying command and version', () => {
    const card = renderCard({ title: '工单 #3', color: 'orange', fields: [{ label: '处理人', value: '李爽' }], actions: [{ label: '接单', command: '接单 #3' }], ticket: { n: 3, version: 2 } }, '⚠️ 即将超时');
    expect(card).toMatchObject({ schema: '2.0', header: { template: 'orange', title: { content: '工单 #3' } } });
    expect(JSON.stringify(card)).toContain('"value":{"command":"接单 #3","n":3,"v":2}');
    expect(JSON.stringify(card)).toContain('即将超时');
  });
  it('draws a digest chart as a card chart element', () => {
    const card = renderCard({ title: '售后日报', color: 'blue', fields: [], chart: { title: '昨日新建工单', bars: [{ label: '一级故障', value: 2 }] } });
    expect(JSON.stringify(card)).toContain('"tag":"chart"');
    expect(JSON.stringify(card)).toContain('{"label":"一级故障","value":2}');
  });
  it('verifies signatures and decrypts like Feishu', () => {
    const sig = signatureOf('1700000000', 'n1', 'key', '{"a":1}');
    expect(signatureValid(sig, '1700000000', 'n1', 'key', '{"a":1}')).toBe(true);
    expect(signatureValid(sig, '1700000000', 'n1', 'key', '{"a":2}')).toBe(false);
    expect(signatureValid(undefined, '1', 'n', 'k', '')).toBe(false);
    const iv = Buffer.alloc(16, 7);
    const c = createCipheriv('aes-256-cbc', createHash('sha256').update('key').digest(), iv);
    const enc = Buffer.concat([iv, c.update('{"hello":"飞书"}'), c.final()]).toString('base64');
    expect(decrypt(enc, 'key')).toBe('{"hello":"飞书"}');
    expect(() => decrypt('short', 'key')).toThrow();
  });
});
