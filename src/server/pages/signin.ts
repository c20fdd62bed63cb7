/**
 * The sign-in page: the one page served without a session, so it cannot load the (protected)
 * stylesheet; its few styles are inline and allowed by their hash in the page's CSP.
 */
import { createHash } from 'node:crypto';
import { html, raw } from '../html.js';

export const SIGNIN_STYLE = 'body{font:15px/1.5 system-ui,sans-serif;background:#f6f7f9;color:#1d2330}main{max-width:420px;margin:12vh auto;background:#fff;border:1px solid #d9dee6;border-radius:6px;padding:1.2rem 1.4rem}input,button{font:inherit;padding:.4rem .6rem;border:1px solid #c5ccd6;border-radius:4px}input{width:100%;margin:.4rem 0 .8rem}button{background:#1f5fbf;color:#fff;border-color:#1f5fbf;cursor:pointer}.error{color:#b3261e}';

/** For the CSP: `style-src 'sha256-…'`. */
export const SIGNIN_STYLE_HASH = `'sha256-${createHash('sha256').update(SIGNIN_STYLE).digest('base64')}'`;

export function signinPage(opts: { next: string; error?: string; basic: boolean }) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>Sign in · nianbao</title>
<style>${raw(SIGNIN_STYLE)}</style>
</head>
<body>
<main>
<h1>nianbao review</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : null}
<form method="post" action="/signin">
<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${opts.next}">
<button type="submit">Sign in</button>
</form>
<p><small>The token was printed by <code>nianbao serve</code> or set with <code>NIANBAO_UI_TOKEN</code>.${opts.basic ? ' Basic authentication is accepted too.' : ''}</small></p>
</main>
</body>
</html>
`;
}
