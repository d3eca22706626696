/**
 * Escaping for the report: every string from a user or a file goes through escapeHtml before it
 * reaches the page (text, attributes, plotly labels), and data blocks are embedded with jsonForScript
 * so that no string can close the <script> element that holds them.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe for HTML element content and quoted attribute values (and for plotly's label markup). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Significant digits kept for numbers embedded in the report data (plots and hover labels): 6 keeps
 * every printed digit of the tables' values (those are formatted separately from the full numbers).
 */
export const EMBED_DIGITS = 6;

/**
 * JSON for a <script type="application/json"> block: numbers rounded to EMBED_DIGITS significant
 * digits (non-finite -> null), typed arrays as arrays, and <, >, &, U+2028, U+2029 as \u escapes.
 */
export function jsonForScript(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(EMBED_DIGITS)) : null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
