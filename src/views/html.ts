/** Shared by the printable pages (compliance report, service report). */

export function escapeHtml(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A4 print styles with the system's Chinese font stack. */
export const PRINT_CSS = `@page{size:A4;margin:16mm}body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC","SimSun","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",serif;color:#111;font-size:11pt;line-height:1.5}
h1{font-size:17pt;text-align:center;margin:0 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt}.meta{text-align:center;color:#444;margin:0 0 10pt}
table{width:100%;border-collapse:collapse;page-break-inside:auto}th,td{border:1px solid #666;padding:4pt 6pt;vertical-align:top}th{background:#eee;white-space:nowrap}tr{page-break-inside:avoid}
.sign{margin-top:28pt}`;
