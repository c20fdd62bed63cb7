/**
 * The record's labels — who published it, where, when, under which title — from the report's
 * own text (meta.ts) and what the crawl knew about it (the listing, the article page, the
 * portal). Everything a researcher joins on: reportId, agency (as printed), agencyNormalized,
 * agencyType, agencyKey, region, title, publishedAt. Pure.
 */
import { normalizeAgency } from '../normalize/agency.js';
import { classifyAgency } from '../normalize/agency-type.js';
import { labelledDate, parseDate } from '../normalize/dates.js';
import type { ReportMeta } from '../normalize/meta.js';
import { parsePlaces } from '../normalize/places.js';
import { type Region, resolveRegion } from '../normalize/region.js';
import type { Issue, MetaSources, Source } from '../validate/schema.js';
import { agencyKey } from './agency-key.js';
import { issue } from './issues.js';
import { reportIdOf } from './report-id.js';
import { mapPacked } from '../normalize/arrays.js';

/** What the crawl knew about the report, beside its bytes. All optional: `nianbao extract` has none. */
export interface ReportContext {
  /** The agency and year the listing link gives. */
  agency?: string | null;
  year?: number | null;
  /** The title the listing (or the article page) gives the report. */
  title?: string | null;
  /** Publication date from the article page's metadata or the listing (YYYY-MM-DD). */
  publishedAt?: string | null;
  /** Where the date came from. */
  publishedFrom?: 'listing' | 'article' | null;
  /** The download's file name (Content-Disposition). */
  filename?: string | null;
  /** The portal the report was crawled from and its configured region. */
  portal?: { id: string; region: { code: string; name: string } | null } | null;
}

/** What the document says about itself (ExtractedDoc.published / .title). */
export interface DocumentSelf {
  text?: string;
  published?: string | null;
  title?: string | null;
}

/** The record keys this module decides (agency and year are meta.ts's, set by the builder). */
export interface RecordLabels {
  reportId: string;
  portalId: string | null;
  title: string | null;
  publishedAt: string | null;
  agencyNormalized: string | null;
  agencyType: string | null;
  agencyKey: string | null;
  region: Region | null;
  metaSources: MetaSources;
}

function stripExtension(name: string): string {
  return name.replace(/\.(?:pdf|docx?|wps|html?|txt)$/i, '').trim();
}

export function reportLabels(meta: ReportMeta, source: Source, ctx: ReportContext = {}, self: DocumentSelf = {}): { labels: RecordLabels; notes: Issue[] } {
  const notes: Issue[] = [];
  const agency = meta.agency;
  const agencyNormalized = agency ? normalizeAgency(agency) : null;
  const listingAgency = ctx.agency ? normalizeAgency(ctx.agency) : null;

  const { region, notes: regionNotes } = resolveRegion({ agency: agencyNormalized, listingAgency, portal: ctx.portal?.region ?? null, year: meta.year });
  for (const n of regionNotes) notes.push(issue(n.code, n.severity, n.message));

  const places = agencyNormalized ? parsePlaces(agencyNormalized, { year: meta.year, within: region?.code ?? null }) : null;
  const body = places && (places.deepest || places.national) ? agencyNormalized!.slice(places.bodyStart) : agencyNormalized;
  const type = agencyNormalized ? classifyAgency(agencyNormalized, body ?? agencyNormalized) : null;

  const title =
    mapPacked([ctx.title, self.title, ctx.filename ? stripExtension(ctx.filename) : null, meta.title && meta.agencySource === 'title' ? meta.title : null], (t) => t?.replace(/\s+/g, ' ').trim())
      .find((t) => !!t) ?? null;
  const titleSource = ctx.title?.trim() ? 'listing' : self.title?.trim() ? 'document' : ctx.filename?.trim() ? 'filename' : title ? 'report' : null;

  const ownDate = parseDate(self.published) ?? (self.text ? labelledDate(firstLines(self.text, 15)) : null);
  const listed = parseDate(ctx.publishedAt);
  const publishedAt = listed ?? ownDate;
  const publishedSource = listed ? (ctx.publishedFrom ?? 'listing') : ownDate ? 'document' : null;

  const labels: RecordLabels = {
    reportId: reportIdOf(source.uri),
    portalId: ctx.portal?.id ?? null,
    title,
    publishedAt,
    agencyNormalized,
    agencyType: type?.type ?? null,
    agencyKey: agencyKey({ normalized: agencyNormalized, body, regionCode: region?.code ?? null, national: region?.level === 'national' }),
    region,
    metaSources: {
      agency: meta.agencySource ?? null,
      year: meta.yearSource ?? null,
      region: region?.source ?? null,
      title: titleSource,
      publishedAt: publishedSource,
    },
  };
  return { labels, notes };
}

/** The issues about the labels of a record that was made (a failed record says only why it failed). */
export function metaIssues(meta: ReportMeta): Issue[] {
  const out: Issue[] = [];
  if (!meta.agency) out.push(issue('agency_missing', 'error', 'No agency is named in the title, the opening sentences, the signature or the listing: the agency is left out.'));
  if (!meta.year) out.push(issue('year_missing', 'error', 'The year reported on could not be read from the title or the reporting period.'));
  const listed = [meta.agencySource === 'listing' && 'agency', meta.yearSource === 'listing' && 'year'].filter(Boolean);
  if (listed.length) out.push(issue('meta_from_hint', 'info', `The ${listed.join(' and ')} came from the listing page, not the report itself.`));
  if (meta.agencySource === 'first_sentence') out.push(issue('meta_from_hint', 'info', 'The report prints no agency in its title; the agency was read from its opening sentences.'));
  if (meta.agencySource === 'signature') out.push(issue('meta_from_hint', 'info', 'The agency was read from the signature at the end of the report, not the title.'));
  if (meta.yearSource === 'period') out.push(issue('meta_from_hint', 'info', 'The year was read from the reporting period stated in the report, not the title.'));
  return out;
}

/**
 * The first `n` lines of a text joined by \n, as `text.split(/\r?\n/).slice(0, n).join('\n')`
 * gives them, without cutting up the whole report to keep its head.
 */
export function firstLines(text: string, n: number): string {
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      out.push(text.slice(pos));
      break;
    }
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    out.push(text.slice(pos, end));
    pos = nl + 1;
  }
  return out.join('\n');
}
