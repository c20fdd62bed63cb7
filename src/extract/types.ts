/**
 * The types every format adapter shares with the registry that loads it (index.ts): the adapters
 * import them from here, so that no adapter imports the module that imports it.
 */
import type { ExtractedDoc } from './grid.js';
import type { IssueCode } from '../validate/schema.js';

export interface ExtractLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Most PDF pages read. */
  maxPages: number;
  /** Largest total size of a DOCX's unpacked parts, in bytes (zip bombs). */
  maxUnpackedBytes: number;
  /** Longest a converter (LibreOffice) may run, in ms. */
  convertTimeoutMs: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxPages: 300,
  maxUnpackedBytes: 256 * 1024 * 1024,
  convertTimeoutMs: 120_000,
};

export interface ExtractOptions {
  limits?: Partial<ExtractLimits>;
  /** Charset declared by the server (HTTP Content-Type), for HTML and text. */
  charset?: string | null;
  /**
   * A Word 97–2003 / WPS file's conversion to DOCX, done beforehand by the caller (the parse
   * pool converts in its calling thread, where conversions of several files share one
   * LibreOffice run); without it the adapter converts the file itself.
   */
  converted?: LegacyConversion;
}

/** The outcome of converting a .doc/.wps file to DOCX, as plain data (it crosses to a pool thread). */
export type LegacyConversion = { docx: Uint8Array } | { error: { code: IssueCode | null; message: string } };

export interface AdapterContext {
  limits: ExtractLimits;
  charset: string | null;
  converted?: LegacyConversion;
}

export type Adapter = (bytes: Uint8Array, ctx: AdapterContext) => Promise<ExtractedDoc>;
