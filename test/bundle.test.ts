import vm from 'node:vm';
import { ACTIONS, CONSENT_SCREEN_WORDS } from '../src/server/auth/google-permissions';
import { MENU_ITEMS } from '../src/server/ui/menu';
import { distFiles } from './helpers/dist';

const ENTRY_POINTS = ['onOpen', 'onInstall', 'showSidebar', 'connectLinkedIn', 'grantPermissions'];

/** Loads every script of dist/ into one fresh global scope, as Apps Script does: no require, module or exports. */
function loadLikeAppsScript(globals: Record<string, unknown>): vm.Context {
  const context = vm.createContext({ ...globals });
  for (const [file, code] of Object.entries(distFiles())) {
    if (file.endsWith('.js')) vm.runInContext(code, context, { filename: file });
  }
  return context;
}

function fakeUi() {
  const menus: Array<{ title: string; items: Array<[string, string]> }> = [];
  const ui = {
    createAddonMenu() {
      const menu = { title: 'add-on', items: [] as Array<[string, string]> };
      const builder = {
        addItem(caption: string, handler: string) {
          menu.items.push([caption, handler]);
          return builder;
        },
        addToUi() {
          menus.push(menu);
        },
      };
      return builder;
    },
  };
  return { menus, SpreadsheetApp: { getUi: () => ui } };
}

describe('the built bundle, loaded the way Apps Script loads it', () => {
  const files = distFiles();

  it('ships the script, the sidebar and the manifest', () => {
    expect(Object.keys(files).sort()).toEqual(['Code.js', 'Sidebar.html', 'appsscript.json']);
  });

  it('has no module syntax an Apps Script file cannot hold', () => {
    const code = files['Code.js'];
    expect(code).not.toMatch(/^\s*(export|import)\s/m);
    expect(code).not.toMatch(/\brequire\(|\bmodule\.exports\b|\bexports\./);
  });

  it('declares every entry point as a global function', () => {
    const context = loadLikeAppsScript({});
    for (const name of ENTRY_POINTS) expect(typeof context[name]).toBe('function');
  });

  it('builds the add-on menu in onOpen with handlers that exist as globals', () => {
    const { menus, SpreadsheetApp } = fakeUi();
    const context = loadLikeAppsScript({ SpreadsheetApp });
    (context.onOpen as () => void)();
    expect(menus).toHaveLength(1);
    expect(menus[0].items).toEqual([
      ['Open sidebar', 'showSidebar'],
      ['Connect LinkedIn', 'connectLinkedIn'],
      ['Grant permissions', 'grantPermissions'],
    ]);
    for (const [, handler] of menus[0].items) expect(typeof context[handler]).toBe('function');
    expect(menus[0].items.map(([, handler]) => handler)).toEqual(MENU_ITEMS.map((item) => item.handler));
  });

  it('keeps the manifest: V8, a fixed time zone, the OAuth2 library and explicit scopes', () => {
    const manifest = JSON.parse(files['appsscript.json']);
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Etc/UTC');
    expect(manifest.dependencies.libraries).toEqual([
      {
        userSymbol: 'OAuth2',
        libraryId: '1B7FSrk5Zi6L1rSxxTDgDEUsPzlukDsi4KGuTMorsTQHhGBzBkMun4iDF',
        version: '43',
      },
    ]);
    // Scheduled runs open their spreadsheet by id: an add-on trigger may run without its document.
    expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/spreadsheets');
    expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/spreadsheets.currentonly');
  });

  it('asks Google for exactly the scopes the add-on’s actions need, each worded as the consent screen words it', () => {
    const manifest = JSON.parse(files['appsscript.json']);
    const needed = new Set(Object.values(ACTIONS).flatMap((action) => action.scopes));
    expect([...manifest.oauthScopes].sort()).toEqual([...needed].sort());
    expect(Object.keys(CONSENT_SCREEN_WORDS).sort()).toEqual([...manifest.oauthScopes].sort());
  });
});

describe('the built sidebar HTML', () => {
  const html = distFiles()['Sidebar.html'];

  it('is self-contained: no external scripts or styles that Apps Script would block', () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel=["']?stylesheet/i);
    expect(html).toMatch(/<script>[\s\S]+<\/script>/);
  });

  it('holds the compiled script with no module syntax and no placeholder left', () => {
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1];
    expect(script).not.toMatch(/^\s*(export|import)\s/m);
    expect(html).not.toContain('/*INLINE_SCRIPT*/');
    expect(html).not.toContain('/*INLINE_STYLES*/');
    expect(() => new vm.Script(script)).not.toThrow();
    expect(script.length).toBeGreaterThan(50);
  });
});
