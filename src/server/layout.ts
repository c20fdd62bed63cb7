/** The page shell shared by the review pages: head, navigation, sign-out form. Pure. */
import { APP_CSS_PATH } from './assets.js';
import { REVIEW_JS_PATH } from './review-script.js';
import { type SafeHtml, html } from './html.js';

export interface Chrome {
  /** CSRF token for the sign-out form (and any form on the page). */
  csrf: string;
  /** Whether /queues (bull-board) is mounted. */
  queues: boolean;
  /** Whether a session cookie can be cleared (token sign-in); basic auth cannot sign out. */
  canSignOut: boolean;
  /** The signed-in reviewer's name (shown in the header). */
  reviewer?: string | null;
}

/** "2024-03-01T08:00:00.000Z" → "2024-03-01 08:00 UTC": timestamps are stored in UTC. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** With seconds: a re-extraction a few seconds later must show a different time. */
export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export type NavItem = 'review' | 'failed' | 'queues' | 'quality' | 'runs';

/** `script`: the page uses the review script (live identities, keys); other pages load none. */
export function page(title: string, active: NavItem | null, chrome: Chrome, body: SafeHtml, opts: { script?: boolean } = {}): SafeHtml {
  const link = (item: NavItem, href: string, label: string) => html`<a href="${href}" class="${active === item ? 'on' : ''}">${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · nianbao</title>
<link rel="stylesheet" href="${APP_CSS_PATH}">
${opts.script ? html`<script src="${REVIEW_JS_PATH}" defer></script>` : null}
</head>
<body>
<header class="top">
<span class="brand">nianbao</span>
${link('review', '/review', 'Review')}
${link('failed', '/failed', 'Failed')}
${link('quality', '/quality', 'Quality')}
${link('runs', '/runs', 'Runs')}
${chrome.queues ? link('queues', '/queues', 'Queues') : null}
${chrome.reviewer ? html`<span class="who" id="reviewer">signed in as ${chrome.reviewer}</span>` : null}
${chrome.canSignOut ? html`<form method="post" action="/signout"><input type="hidden" name="csrf" value="${chrome.csrf}"><button class="secondary" type="submit">Sign out</button></form>` : null}
</header>
<main>
${body}
</main>
</body>
</html>
`;
}
