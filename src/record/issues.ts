/** Constructors for issues, so every issue of a code says the same kind of thing. */
import type { Issue, IssueCode, Severity } from '../validate/schema.js';
import { mapPacked } from '../normalize/arrays.js';

export function issue(code: IssueCode, severity: Severity, message: string, fields?: string[]): Issue {
  return fields && fields.length ? { code, severity, message, fields } : { code, severity, message };
}

/** Short field names for messages: "applications.denied.stateSecret.total" → "denied.stateSecret.total". */
export function shortField(f: string): string {
  return f.replace(/^applications\./, '');
}

export function listFields(fields: readonly string[], max = 6): string {
  const shown = mapPacked(fields.slice(0, max), shortField).join(', ');
  return fields.length > max ? `${shown} and ${fields.length - max} more` : shown;
}
