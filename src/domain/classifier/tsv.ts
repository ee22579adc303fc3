import { LABELS, type Label } from '../levels.ts';

/** One labelled message. */
export interface Example {
  label: Label;
  text: string;
}

/** Parses a labelled set: header line, then `label<TAB>text` rows. Throws on a bad row, naming it. */
export function parseTsv(text: string, source = 'tsv'): Example[] {
  const lines = text.split(/\r?\n/);
  const out: Example[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || !line.trim()) return;
    const tab = line.indexOf('\t');
    const label = line.slice(0, tab).trim();
    if (tab < 0 || !(LABELS as readonly string[]).includes(label))
      throw new Error(`${source}:${i + 1}: expected "label<TAB>text" with a label among ${LABELS.join(', ')}`);
    out.push({ label: label as Label, text: line.slice(tab + 1) });
  });
  return out;
}
