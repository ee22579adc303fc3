import type { Card, CardColor } from '../../domain/messages.ts';

/** Feishu card header templates for our level colours. */
const TEMPLATE: Record<CardColor, string> = { red: 'red', orange: 'orange', yellow: 'yellow', blue: 'blue', green: 'green', grey: 'grey' };

/**
 * Renders a card as Feishu card JSON 2.0: coloured header, the fields as Markdown, and a button per
 * next legal step. Each button carries the command text and the ticket's state version, so a click
 * runs exactly the command a user could type, and a click on an outdated card can be recognised.
 */
export function renderCard(card: Card, text?: string): Record<string, unknown> {
  const elements: Record<string, unknown>[] = [];
  // The message's own words first (reminder, escalation…), then the ticket's facts.
  if (text) elements.push({ tag: 'markdown', content: md(text) }, { tag: 'hr' });
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
