/** The fetch layer: guarded HTTP client, charset decoding, browser rendering. */
export { createFetcher, DEFAULT_USER_AGENT, type FetcherOptions } from './client.js';
export { decodeResponse } from './charset.js';
export { isPrivateAddress, ipLiteral } from './address.js';
export { hostAllowed, hostKey } from './hosts.js';
export { guardedLookup, systemResolver, PrivateAddressError, type Resolver } from './lookup.js';
export { parseRetryAfter, backoffDelay } from './retry.js';
export { type FailureReason, type FetchFailure, reasonForStatus, isTransient } from './reasons.js';
export { launchBrowserRenderer, CHROMIUM_ARGS, type PageRenderer, type RenderOptions, type RenderResult, type RenderSuccess, type BrowserOptions } from './browser.js';
export * from './types.js';
