/** Turning hrefs found in HTML into absolute URLs we would fetch, and naming what they point at. */

const DOC_EXT = /\.(pdf|docx?|wps)$/i;

/** Absolute URL without fragment, or null for javascript:, mailto:, bare anchors and junk. */
export function resolveHref(href: string | undefined | null, base: string): string | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || h.startsWith('#') || /^(javascript|mailto|tel|data|about):/i.test(h)) return null;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

/** window.open('…') / location.href='…' in an onclick, a common way to hide links from crawlers. */
export function hrefFromOnclick(onclick: string | undefined | null): string | null {
  if (!onclick) return null;
  const m = /(?:window\.open|location(?:\.href)?\s*=|location\.assign)\s*\(?\s*['"]([^'"]+)['"]/.exec(onclick);
  return m?.[1] ?? null;
}

/**
 * The document extension a URL names, in its path or in a query value (downfile.jsp?filename=x.pdf,
 * viewer.html?file=/x.pdf): 'pdf' | 'doc' | 'docx' | 'wps', or null.
 */
export function documentExtension(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const path = decodeURIComponent(u.pathname);
  const m = DOC_EXT.exec(path);
  if (m) return m[1]!.toLowerCase();
  for (const v of u.searchParams.values()) {
    const q = DOC_EXT.exec(v.split(/[?#]/)[0]!);
    if (q) return q[1]!.toLowerCase();
  }
  return null;
}

/** A pdf.js viewer URL (viewer.html?file=…) stands for the file it shows. */
export function unwrapViewer(url: string): string {
  try {
    const u = new URL(url);
    const file = u.searchParams.get('file');
    if (file && /viewer/i.test(u.pathname) && documentExtension(new URL(file, u).href)) return new URL(file, u).href;
  } catch {
    /* not a URL: leave as is */
  }
  return url;
}

export function isPageLike(url: string): boolean {
  try {
    const p = new URL(url).pathname;
    return p.endsWith('/') || /\.(s?html?|jsp|php|aspx?)$/i.test(p) || !/\.[a-z0-9]{2,5}$/i.test(p);
  } catch {
    return false;
  }
}
