/**
 * The pictures a Word document's body shows, in the order it shows them: the media its drawings
 * (`a:blip r:embed`) and VML pictures (`v:imagedata r:id`) name through word/_rels/document.xml.rels.
 * Agencies paste scanned pages of a signed report into Word; such a document has no table to
 * read, and its pictures are read instead (docx.ts). Only page-sized JPEG and PNG pictures count:
 * logos, seals and icons are small, letterheads and banners flat. Pure; every inflate is bounded.
 */
import { ExtractError } from '../errors.js';
import { imageInfo } from '../image-pdf.js';
import { imageKind } from '../sniff.js';
import { type DocxParts, inflateEntry, zipEntries } from './zip-guard.js';

/** A page's picture has at least this many pixels (a 150-dpi A4 scan has 2.2 million). */
export const MIN_PAGE_PICTURE_PIXELS = 500_000;
/** Flatter than this (height over width) is a letterhead or a banner, not a page or a table's picture. */
const MIN_PAGE_PICTURE_RATIO = 0.25;

const EMBED = /<(?:a:blip|v:imagedata)\b[^>]*?\br:(?:embed|id)="([^"]+)"/g;
const RELATIONSHIP = /<Relationship\b[^>]*>/g;
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

export function wordPictures(bytes: Uint8Array, parts: DocxParts, maxBytes: number): Uint8Array[] {
  const body = parts.xml.get('word/document.xml')?.toString('utf8');
  const rels = parts.xml.get('word/_rels/document.xml.rels')?.toString('utf8');
  if (!body || !rels) return [];
  const targets = new Map<string, string>();
  for (const [tag] of rels.matchAll(RELATIONSHIP)) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id && target && attr(tag, 'TargetMode') !== 'External') targets.set(id, target.startsWith('/') ? target.slice(1) : `word/${target}`);
  }
  const entries = new Map(zipEntries(bytes).map((e) => [e.name, e]));
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  let budget = maxBytes;
  for (const [, id] of body.matchAll(EMBED)) {
    const name = targets.get(id!);
    const entry = name === undefined || seen.has(name) ? undefined : entries.get(name);
    if (!entry) continue;
    seen.add(name!);
    const data = inflateEntry(bytes, entry, Math.min(entry.uncompressedSize, budget));
    budget -= data.length;
    if (!imageKind(data)) continue;
    try {
      const { width, height } = imageInfo(data);
      if (width * height >= MIN_PAGE_PICTURE_PIXELS && height >= width * MIN_PAGE_PICTURE_RATIO) out.push(data);
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err; // a picture PDF cannot show is not a page
    }
  }
  return out;
}
