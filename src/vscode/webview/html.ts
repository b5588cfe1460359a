// The review panel's HTML shell: strict CSP, a nonce'd script and the stylesheet from
// media/. It carries no packet data: that arrives by postMessage and is rendered as text.
import { randomBytes } from 'node:crypto';
import { esc } from '../../core/render/html';

export interface ShellInput {
  cspSource: string;
  styleUri: string;
  scriptUri: string;
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The webview document around `main`: a CSP, the stylesheet, and `tail` (a script tag, or nothing). */
function page(csp: string[], styleUri: string, main: string, tail = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp.join('; '))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(styleUri)}">
<title>SpecGate review</title>
</head>
<body>
${main}
${tail}</body>
</html>
`;
}

export function reviewHtml(i: ShellInput): string {
  const nonce = i.nonce ?? makeNonce();
  const csp = ["default-src 'none'", `style-src ${i.cspSource}`, `img-src ${i.cspSource}`, `font-src ${i.cspSource}`, `script-src 'nonce-${nonce}'`];
  return page(
    csp,
    i.styleUri,
    '<main id="app" aria-busy="true"><p class="muted">Loading the review packet…</p></main>',
    `<script nonce="${attr(nonce)}" src="${attr(i.scriptUri)}"></script>\n`,
  );
}

export interface NoticeInput {
  cspSource: string;
  styleUri: string;
  /** One line of plain text: escaped here, never parsed as HTML. */
  message: string;
}

/** A page with one line of text and no script at all (its CSP allows none): what a restored panel shows when it cannot show its bundle. */
export function noticeHtml(i: NoticeInput): string {
  return page(["default-src 'none'", `style-src ${i.cspSource}`], i.styleUri, `<main id="app"><p class="notice" role="status">${esc(i.message)}</p></main>`);
}
