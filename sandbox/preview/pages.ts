/**
 * google.script.run for the sidebar outside Apps Script: each call is a POST to the
 * preview, which runs the server function in the emulation. The authorization URL the
 * server answers points at the simulator's consent page instead of linkedin.com.
 */
export const GOOGLE_SCRIPT_SHIM = `
(function () {
  var LINKEDIN_CONSENT = 'https://www.linkedin.com/oauth/v2/authorization';
  function toPreviewConsent(value) {
    if (!value || typeof value.authorizationUrl !== 'string' || value.authorizationUrl.indexOf(LINKEDIN_CONSENT) !== 0) return value;
    return { authorizationUrl: location.origin + '/linkedin/oauth/v2/authorization' + value.authorizationUrl.slice(LINKEDIN_CONSENT.length) };
  }
  function runner(success, failure) {
    return new Proxy({}, {
      get: function (_target, name) {
        if (name === 'withSuccessHandler') return function (handler) { return runner(handler, failure); };
        if (name === 'withFailureHandler') return function (handler) { return runner(success, handler); };
        return function () {
          var args = Array.prototype.slice.call(arguments);
          fetch('/api/run/' + encodeURIComponent(name), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) })
            .then(function (response) { return response.json(); })
            .then(function (answer) {
              if (answer.ok) { if (success) success(toPreviewConsent(answer.value)); }
              else if (failure) failure(new Error(answer.error));
            })
            .catch(function (error) { if (failure) failure(error); });
        };
      }
    });
  }
  window.google = { script: { run: runner(null, null), host: { close: function () {} } } };
})();
`;

export const PREVIEW_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>LinkedIn Data: offline preview</title>
<style>
body { margin: 0; font-family: Roboto, Arial, sans-serif; font-size: 13px; display: flex; height: 100vh; }
#sheet { flex: 1; overflow: auto; padding: 8px 12px; background: #fff; }
#sidebar { width: 300px; border: 0; border-left: 1px solid #dadce0; height: 100vh; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #e0e0e0; padding: 2px 6px; white-space: nowrap; }
tr:first-child td { font-weight: bold; background: #f8f9fa; }
.tabs button { margin-right: 4px; }
.tabs button.active { background: #e8f0fe; }
#status { color: #5f6368; margin: 6px 0; }
#tools-page { color: #5f6368; margin: 0 0 6px; }
#tools-page code { word-break: break-all; }
</style></head>
<body>
<div id="sheet">
  <h3 style="margin:4px 0"><span id="spreadsheet-name">Marketing report</span> <small style="color:#5f6368">(emulated Google Sheets, simulated LinkedIn)</small></h3>
  <div id="status"></div>
  <details id="tools-page"><summary>Manual path: a token from the simulated OAuth 2.0 tools page</summary><code id="tools-page-token"></code></details>
  <details id="google-permissions"><summary>Google permissions: untick one as Google's granular consent screen lets a user</summary><div id="google-permission-list"></div></details>
  <div><button id="advance-hour">Fast-forward 1 hour</button> <button id="advance-day">Fast-forward 1 day</button></div>
  <div class="tabs" id="spreadsheets"></div>
  <p id="spreadsheet-link" hidden>To write a report here, choose “Another spreadsheet” under Spreadsheet and paste <code></code></p>
  <div class="tabs" id="tabs"></div>
  <div id="grid"></div>
</div>
<iframe id="sidebar" src="/sidebar" title="LinkedIn Data sidebar"></iframe>
<script>
var activeTab = null;
// The spreadsheet whose tabs the grid shows: the one the sidebar runs in, unless another is picked.
var shownSpreadsheet = null;
// When a script activates a sheet (even the one it activated before), the grid shows it, as Sheets does.
var activations;
function text(value) { return document.createTextNode(value == null ? '' : String(value)); }
function draw(world) {
  var status = document.getElementById('status');
  status.textContent = 'Simulated time: ' + new Date(world.now).toISOString().replace('T', ' ').slice(0, 16) + ' UTC · LinkedIn requests: ' + world.requests +
    ' · triggers: ' + world.triggers.map(function (t) { return t.handler + ' (' + t.schedule.kind + ')'; }).join(', ') +
    ' · emails sent: ' + world.outbox.length;
  document.getElementById('tools-page').hidden = !world.toolsPageAccessToken;
  document.getElementById('tools-page-token').textContent = world.toolsPageAccessToken || '';
  drawPermissions(world.googlePermissions);
  var host = world.spreadsheets[0];
  var shown = world.spreadsheets.filter(function (s) { return s.id === shownSpreadsheet; })[0] || host;
  var picker = document.getElementById('spreadsheets');
  picker.replaceChildren();
  if (world.spreadsheets.length > 1) world.spreadsheets.forEach(function (spreadsheet) {
    var button = document.createElement('button');
    button.appendChild(text(spreadsheet.name));
    button.className = spreadsheet.id === shown.id ? 'active' : '';
    button.setAttribute('data-spreadsheet', spreadsheet.id);
    button.onclick = function () { shownSpreadsheet = spreadsheet.id; activeTab = null; draw(world); };
    picker.appendChild(button);
  });
  document.getElementById('spreadsheet-name').textContent = shown.name;
  var link = document.getElementById('spreadsheet-link');
  link.hidden = shown.id === host.id;
  link.querySelector('code').textContent = shown.url;
  var sheets = shown.sheets;
  var tabs = document.getElementById('tabs');
  tabs.replaceChildren();
  if (shown.id === host.id && activations !== undefined && world.activations !== activations && world.activeSheet) activeTab = world.activeSheet;
  activations = world.activations;
  if (!activeTab || !sheets.some(function (s) { return s.name === activeTab; })) activeTab = sheets[sheets.length - 1].name;
  sheets.forEach(function (sheet) {
    var button = document.createElement('button');
    button.appendChild(text(sheet.name + ' (' + Math.max(0, sheet.rows - 1) + ' rows)'));
    button.className = sheet.name === activeTab ? 'active' : '';
    button.setAttribute('data-tab', sheet.name);
    button.onclick = function () { activeTab = sheet.name; draw(world); };
    tabs.appendChild(button);
  });
  var sheet = sheets.filter(function (s) { return s.name === activeTab; })[0];
  var table = document.createElement('table');
  table.id = 'grid-table';
  sheet.values.forEach(function (row) {
    var tr = document.createElement('tr');
    row.forEach(function (cell) { var td = document.createElement('td'); td.appendChild(text(cell)); tr.appendChild(td); });
    table.appendChild(tr);
  });
  document.getElementById('grid').replaceChildren(table);
}
function drawPermissions(permissions) {
  var list = document.getElementById('google-permission-list');
  if (list.getAttribute('data-drawn') === JSON.stringify(permissions)) return;
  list.setAttribute('data-drawn', JSON.stringify(permissions));
  list.replaceChildren();
  permissions.declared.forEach(function (scope) {
    var label = document.createElement('label');
    label.style.display = 'block';
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.value = scope;
    box.checked = permissions.granted.indexOf(scope) >= 0;
    box.onchange = function () {
      var granted = Array.prototype.filter.call(list.querySelectorAll('input'), function (input) { return input.checked; })
        .map(function (input) { return input.value; });
      // Redrawn from the server's answer whatever it is: a refused change does not stay ticked.
      list.removeAttribute('data-drawn');
      fetch('/api/permissions', { method: 'POST', body: JSON.stringify({ granted: granted }) }).then(refresh);
    };
    label.appendChild(box);
    label.appendChild(text(' ' + scope.replace('https://www.googleapis.com/auth/', '')));
    list.appendChild(label);
  });
}
function refresh() { fetch('/api/world').then(function (r) { return r.json(); }).then(draw); }
function advance(hours) { fetch('/api/advance', { method: 'POST', body: JSON.stringify({ hours: hours }) }).then(refresh); }
document.getElementById('advance-hour').onclick = function () { advance(1); };
document.getElementById('advance-day').onclick = function () { advance(24); };
refresh();
setInterval(refresh, 1500);
</script>
</body></html>`;
