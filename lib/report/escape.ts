/** Escapes text for HTML and XML content and attribute values (both quote styles). */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    // Characters XML 1.0 does not allow (control characters other than tab, newline, carriage return).
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/**
 * Escapes text for a Markdown table cell: no line breaks, pipes escaped, and the characters Markdown or the HTML a
 * renderer lets through would interpret (`< > & * \` [ ] \\ #`, and `_` outside words) neutralized.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*[\]|#])/g, '\\$1')
    // An underscore inside a word (sales_orders) never starts emphasis in GFM: escape only the others.
    .replace(/_/g, (u, i: number, all: string) => (/\w/.test(all[i - 1] ?? '') && /\w/.test(all[i + 1] ?? '') ? u : '\\_'));
}
