/**
 * HTML output without a template engine: an `html` tagged template that escapes every
 * interpolated value unless it is already SafeHtml. Pages are built only from this, so a value
 * from a report (agency names, cell text, URLs) can never become markup.
 */

/** Markup that has been escaped or built by `html`; the only thing interpolated unescaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content and for double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function piece(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(piece).join('');
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup from a constant (never from data). */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

/** An href that cannot run script: http(s) URLs as given, anything else (javascript:, data:…) dropped. */
export function externalHref(url: string): string | null {
  return /^https?:\/\//i.test(url) ? url : null;
}

/** A same-site path with a query string built from the given parameters (empty ones left out). */
export function pathWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
