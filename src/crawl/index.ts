/** Crawling: portal config, discovery, politeness, robots.txt, the crawler and document fetch. */
export { loadPortalConfig, parsePortalConfig, ConfigError, PORTAL_LEVELS, type Portal, type PortalConfig, type PortalEntry, type PortalLevel, type Selectors, type ConfigIssue } from './config.js';
export { CRAWL_DEFAULTS, type CrawlDefaults, type CrawlLimits, type RateLimit } from './defaults.js';
export { discoverListing, discoverArticle, findReportLinks, refsFromArticle, refFromDirectLink, type ReportLink, type ReportRef, type ListingDiscovery } from './discover.js';
export { classifyArticle, findAttachments, hasReportTables, reportAttachments, type ArticleInfo, type Attachment } from './article.js';
export { findListingPages, pagesFromCreatePageHtml, pagesFromSequences } from './pagination.js';
export { isReportTitle, parseReportTitle, findYear, cleanText } from './title.js';
export { InProcessHostLimiter, minIntervalMs, type HostLimiter, type HostSlotOptions, type Release } from './politeness.js';
export { createRobots, type RobotsChecker, type RobotsVerdict, type RobotsContext, type RobotsOptions } from './robots.js';
export { MemoryCrawlState, type CrawlState, type PageState, type DocumentState } from './state.js';
export { crawlPortal, type CrawlDeps, type CrawlResult, type CrawlIssue } from './crawler.js';
export { fetchDocument, type DocumentDeps, type DocumentResult, type DocumentFetched, type DocumentNotModified, type DocumentFailure } from './document.js';
export { filenameFromContentDisposition } from './content-disposition.js';
export { portalGate, portalPolicy, type PortalGate } from './admit.js';
export type { CrawlEvent, CrawlCounters, PageKind, SkipReason } from './events.js';
