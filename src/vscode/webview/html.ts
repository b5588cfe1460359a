// The review panel's HTML shell: strict CSP, a nonce'd script and the stylesheet from
// media/. It carries no packet data: that arrives by postMessage and is rendered as text.
import { randomBytes } from 'node:crypto';

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

export function reviewHtml(i: ShellInput): string {
  const nonce = i.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${i.cspSource}`,
    `img-src ${i.cspSource}`,
    `font-src ${i.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(i.styleUri)}">
<title>SpecGate review</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading the review packet…</p></main>
<script nonce="${attr(nonce)}" src="${attr(i.scriptUri)}"></script>
</body>
</html>
`;
}
