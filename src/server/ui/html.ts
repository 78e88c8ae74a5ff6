/** Text placed into HTML we build on the server: LinkedIn's and the user's words are never markup. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The page LinkedIn's redirect lands on: a result and what to do next. HtmlService shows it
 * inside nested frames, where window.close() closes nothing: the sign-in window is
 * window.top. The sidebar learns the outcome from the server, so a failure may stay open
 * for reading and close on the button.
 */
export function callbackPage(outcome: { ok: boolean; title: string; message: string }): string {
  const color = outcome.ok ? '#188038' : '#d93025';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(outcome.title)}</title></head>
<body style="font-family: Roboto, Arial, sans-serif; font-size: 14px; margin: 24px; max-width: 480px">
<h2 style="color: ${color}; font-weight: 500">${escapeHtml(outcome.title)}</h2>
<p>${escapeHtml(outcome.message)}</p>
<p><button type="button" id="close-window" onclick="window.top.close()">Close this window</button></p>
${outcome.ok ? '<script>setTimeout(function () { window.top.close(); }, 1500);</script>' : ''}
</body></html>`;
}

export function signInDialog(authorizationUrl: string): string {
  return `<!doctype html><html><head><base target="_blank"><meta charset="utf-8"></head>
<body style="font-family: Roboto, Arial, sans-serif; font-size: 13px">
<p>LinkedIn opens in a new window. Sign in there and allow access; then come back here.</p>
<p><a href="${escapeHtml(authorizationUrl)}" style="background:#1a73e8;color:#fff;padding:8px 16px;border-radius:4px;text-decoration:none"
 onclick="setTimeout(function () { google.script.host.close(); }, 500)">Sign in with LinkedIn</a></p>
</body></html>`;
}
