import type { SimMember } from './data';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** LinkedIn's consent page, simulated: pick a member, then allow or cancel. It posts back to its own URL. */
export function consentPage(members: SimMember[]): string {
  const options = members
    .map(
      (member) =>
        `<option value="${escapeHtml(member.id)}">${escapeHtml(`${member.firstName} ${member.lastName}`)}</option>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>LinkedIn (simulated)</title></head>
<body style="font-family: Arial, sans-serif; max-width: 420px; margin: 32px auto">
<h2 style="color:#0a66c2">LinkedIn <small style="color:#666">(simulated)</small></h2>
<p>The app <b>Sheets Reporting</b> asks to read your advertising and page data.</p>
<form method="post">
<label>Sign in as <select name="member" id="member">${options}</select></label>
<p><button name="decision" value="allow" id="allow" style="background:#0a66c2;color:#fff;border:0;padding:8px 16px;border-radius:16px">Allow</button>
<button name="decision" value="cancel" id="cancel">Cancel</button></p>
</form></body></html>`;
}
