/**
 * The matcher's one face: a document's grid → the official tables found in it, the template chosen
 * from their labels, and each template row's cells with the readings its own identities allow
 * (`readDocument`). The record builder settles the rest across rows.
 */
export { type AlternativeUsed, type DocumentReading, type DocumentRows, type RowRead, readDocument } from './read-rows.js';
export type { LocalIdentity, RowReadings, Slot } from './candidates.js';
export type { MatchHints, TemplateChoice, TemplateMatch } from './template-match.js';
export type { ValueCell } from './units.js';
