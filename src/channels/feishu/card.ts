import type { Card, CardColor } from '../../domain/messages.ts';

/** Feishu card header templates for our level colours. */
const TEMPLATE: Record<CardColor, string> = { red: 'red', orange: 'orange', yellow: 'yellow', blue: 'blue', green: 'green', grey: 'grey' };

/** The form field a reply is typed into (the click's `form_value` carries it). */
export const REPLY_FIELD = 'reply_text';

/**
 * The message's own words that the card does not already show: lines that restate the title, a
 * field (`报告人：…`) or a link are left out, so each fact appears once.
 */
export function leadLines(card: Card, text: string | undefined): string {
  if (!text) return '';
  const flat = (s: string) => s.replace(/[【】\[\]（）()·:：\s]/g, '');
  const labels = card.fields.map((f) => f.label);
  const urls = (card.links ?? []).map((l) => l.url);
  return text
    .split('\n')
    .filter((line) => {
      if (flat(line) === flat(card.title)) return false;
      if (labels.some((l) => line.startsWith(`${l}：`) || line.startsWith(`${l}:`))) return false;
      return !urls.some((u) => line.includes(u));
    })
    .join('\n')
    .trim();
}

/**
 * Renders a card as Feishu card JSON 2.0: coloured header, the message's own words that are not
 * facts of the card, the fields as Markdown, and a button per next legal step. Each button carries
 * the command text and the ticket's state version, so a click runs exactly the command a user
 * could type, and a click on an outdated card can be recognised. Links open in the browser; an
 * input (回复) is a form whose submit sends its command with what was typed.
 */
export function renderCard(card: Card, text?: string): Record<string, unknown> {
  const elements: Record<string, unknown>[] = [];
  // The message's own words first (reminder, escalation…), then the ticket's facts.
  const lead = leadLines(card, text);
  if (lead) elements.push({ tag: 'markdown', content: md(lead) }, { tag: 'hr' });
  elements.push({ tag: 'markdown', content: card.fields.map((f) => `**${md(f.label)}**：${md(f.value)}`).join('\n') });
  if (card.chart) {
    elements.push({
      tag: 'chart',
      aspect_ratio: '16:9',
      chart_spec: {
        type: 'bar',
        title: { text: card.chart.title },
        data: { values: card.chart.bars.map((b) => ({ label: b.label, value: b.value })) },
        xField: 'label',
        yField: 'value',
        label: { visible: true },
      },
    });
  }
  if (card.actions?.length) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: card.actions.map((a, i) => ({
        tag: 'column',
        width: 'auto',
        elements: [
          {
            tag: 'button',
            text: { tag: 'plain_text', content: a.label },
            type: i === 0 ? 'primary' : 'default',
            behaviors: [{ type: 'callback', value: { command: a.command, ...(card.ticket ? { n: card.ticket.n, v: card.ticket.version } : {}) } }],
          },
        ],
      })),
    });
  }
  if (card.links?.length) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: card.links.map((l) => ({
        tag: 'column',
        width: 'auto',
        elements: [{ tag: 'button', text: { tag: 'plain_text', content: l.label }, type: 'default', behaviors: [{ type: 'open_url', default_url: l.url }] }],
      })),
    });
  }
  if (card.input) {
    // No ticket version on it: a reply changes no state, so it is never "outdated".
    elements.push({
      tag: 'form',
      name: 'reply_form',
      elements: [
        { tag: 'input', name: REPLY_FIELD, placeholder: { tag: 'plain_text', content: card.input.placeholder }, max_length: 1000 },
        { tag: 'button', name: 'reply_submit', text: { tag: 'plain_text', content: card.input.button }, type: 'primary', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { command: card.input.command } }] },
      ],
    });
  }
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: { title: { tag: 'plain_text', content: card.title }, template: TEMPLATE[card.color] },
    body: { elements },
  };
}

function md(s: string): string {
  return s.replace(/([*_~`[\]<>])/g, '\\$1');
}
