import { toClient, toServer } from '../../sandbox/apps-script/script-run';
import { SCOPES } from '../../sandbox/apps-script/scopes';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineWorld } from '../../sandbox/offline-world';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function newWorld() {
  return createOfflineWorld().world;
}

describe('PropertiesService', () => {
  it("refuses a value over 9 KB with Apps Script's error and keeps the old value", () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const store = scope.PropertiesService.getUserProperties();
      store.setProperty('report', 'small');
      expect(() => store.setProperty('report', 'x'.repeat(9 * 1024 + 1))).toThrow(
        'Argument too large: value',
      );
      expect(store.getProperty('report')).toBe('small');
      store.setProperty('report', 'x'.repeat(9 * 1024));
      expect(store.getProperty('report')).toHaveLength(9 * 1024);
    });
  });

  it('refuses to grow a store past 500 KB', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const store = scope.PropertiesService.getDocumentProperties();
      for (let i = 0; i < 56; i++) store.setProperty(`k${i}`, 'x'.repeat(9000)); // 504,000 bytes + keys: fits in 512,000
      expect(() => store.setProperty('one-too-many', 'x'.repeat(9000))).toThrow(
        'exceeded the property storage quota',
      );
      expect(store.getProperty('one-too-many')).toBeNull();
    });
  });

  it('counts the 9 KB of a value in UTF-8 bytes, not characters', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const store = scope.PropertiesService.getUserProperties();
      store.setProperty('ascii', 'e'.repeat(4609)); // 4,609 bytes
      expect(() => store.setProperty('accented', 'é'.repeat(4609))).toThrow('Argument too large: value'); // 9,218 bytes
      expect(store.getProperty('accented')).toBeNull();
    });
  });

  it('keeps user properties apart per user and shares document properties', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      scope.PropertiesService.getUserProperties().setProperty('secret', 'ann-only');
      scope.PropertiesService.getDocumentProperties().setProperty('shared', 'everyone');
    });
    world.execute('bob@example.com', (scope: Scope) => {
      expect(scope.PropertiesService.getUserProperties().getProperty('secret')).toBeNull();
      expect(scope.PropertiesService.getDocumentProperties().getProperty('shared')).toBe('everyone');
    });
  });
});

describe('CacheService', () => {
  it('refuses a value over 100 KB counted in UTF-8 bytes, not characters', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const cache = scope.CacheService.getUserCache();
      cache.put('ascii', 'e'.repeat(51_201)); // 51,201 bytes
      expect(cache.get('ascii')).toHaveLength(51_201);
      expect(() => cache.put('accented', 'é'.repeat(51_201))).toThrow('Argument too large: value'); // 102,402 bytes
      expect(cache.get('accented')).toBeNull();
    });
  });

  it('keeps a value at most 6 hours, whatever expiration is asked for', () => {
    const world = newWorld();
    const get = () =>
      world.execute('ann@example.com', (scope: Scope) => scope.CacheService.getUserCache().get('long'));
    world.execute('ann@example.com', (scope: Scope) =>
      scope.CacheService.getUserCache().put('long', 'v', 7 * 3600),
    );
    world.clock.advance(6 * 3_600_000 - 1000);
    expect(get()).toBe('v');
    world.clock.advance(2000);
    expect(get()).toBeNull();
  });

  it('expires entries on the simulated clock', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => scope.CacheService.getUserCache().put('k', 'v', 60));
    world.clock.advance(59_000);
    expect(
      world.execute('ann@example.com', (scope: Scope) => scope.CacheService.getUserCache().get('k')),
    ).toBe('v');
    world.clock.advance(2_000);
    expect(
      world.execute('ann@example.com', (scope: Scope) => scope.CacheService.getUserCache().get('k')),
    ).toBeNull();
  });
});

describe('LockService', () => {
  it('blocks a second execution while the first holds the lock, and frees it when the first ends', () => {
    const world = newWorld();
    world.execute('ann@example.com', (first: Scope) => {
      expect(first.LockService.getDocumentLock().tryLock(1000)).toBe(true);
      const before = world.clock.now();
      world.execute('bob@example.com', (second: Scope) => {
        expect(second.LockService.getDocumentLock().tryLock(5000)).toBe(false);
        expect(() => second.LockService.getDocumentLock().waitLock(1000)).toThrow('Lock timeout');
      });
      expect(world.clock.now() - before).toBe(6000);
    });
    world.execute('bob@example.com', (scope: Scope) => {
      expect(scope.LockService.getDocumentLock().tryLock(0)).toBe(true);
    });
  });

  it("keeps a user's executions apart with their user lock, in or out of a document, and no one else's", () => {
    const world = newWorld();
    world.execute('ann@example.com', (sidebar: Scope) => {
      expect(sidebar.LockService.getUserLock().tryLock(0)).toBe(true);
      // Her trigger, without the document: the same user lock.
      world.execute(
        'ann@example.com',
        (trigger: Scope) => expect(trigger.LockService.getUserLock().tryLock(0)).toBe(false),
        false,
        'trigger',
      );
      world.execute('bob@example.com', (other: Scope) =>
        expect(other.LockService.getUserLock().tryLock(0)).toBe(true),
      );
    });
  });
});

describe('UrlFetchApp', () => {
  it('throws like Apps Script on an error status unless muteHttpExceptions is set', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      expect(() =>
        scope.UrlFetchApp.fetch('https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser'),
      ).toThrow(
        /Request failed for https:\/\/api\.linkedin\.com returned code 401\. Truncated server response: /,
      );
      const response = scope.UrlFetchApp.fetch(
        'https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser',
        { muteHttpExceptions: true },
      );
      expect(response.getResponseCode()).toBe(401);
      expect(JSON.parse(response.getContentText()).code).toBe('INVALID_ACCESS_TOKEN');
      expect(response.getAllHeaders()).toEqual({ 'Content-Type': 'application/json' });
    });
    expect(world.fetchLog).toHaveLength(2);
    expect(world.fetchLog[0]).toMatchObject({ method: 'GET', status: 401, user: 'ann@example.com' });
  });

  it('runs fetchAll in parallel: the batch costs its slowest request, not the sum', () => {
    const { world, linkedin } = createOfflineWorld({ latency: { baseMs: 300, perElementMs: 0 } });
    const start = world.clock.now();
    world.execute('ann@example.com', (scope: Scope) => {
      const requests = Array.from({ length: 5 }, () => ({
        url: 'https://api.linkedin.com/rest/posts',
        muteHttpExceptions: true,
      }));
      expect(
        scope.UrlFetchApp.fetchAll(requests).map((r: { getResponseCode(): number }) => r.getResponseCode()),
      ).toEqual([401, 401, 401, 401, 401]);
    });
    expect(world.clock.now() - start).toBe(300);
    expect(linkedin.calls).toHaveLength(5);
  });

  it('sends form payloads with their content type and throws on a timeout even when muted', () => {
    const { world, linkedin } = createOfflineWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const response = scope.UrlFetchApp.fetch('https://www.linkedin.com/oauth/v2/accessToken', {
        method: 'post',
        payload: { grant_type: 'refresh_token', client_id: 'nobody', client_secret: 'x y' },
        muteHttpExceptions: true,
      });
      expect(response.getResponseCode()).toBe(401);
    });
    expect(world.fetchLog[0].body).toBe('grant_type=refresh_token&client_id=nobody&client_secret=x%20y');
    expect(world.fetchLog[0].headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    const token = linkedin.issueTokens('sim1Person', ['r_ads']).access_token;
    linkedin.queueFault('timeout');
    world.execute('ann@example.com', (scope: Scope) => {
      expect(() =>
        scope.UrlFetchApp.fetch('https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser', {
          headers: {
            Authorization: `Bearer ${token}`,
            'LinkedIn-Version': '202603',
            'X-Restli-Protocol-Version': '2.0.0',
          },
          muteHttpExceptions: true,
        }),
      ).toThrow('Timeout: https://api.linkedin.com/rest/adAccountUsers');
    });
  });
});

describe('SpreadsheetApp', () => {
  it('makes an activated sheet the one shown, returning it and leaving its cells alone', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      const first = spreadsheet.getSheets()[0];
      first.getRange(1, 1).setValue('kept');
      spreadsheet.insertSheet('Report');
      expect(first.activate().getName()).toBe(first.getName());
      expect(spreadsheet.getActiveSheet().getName()).toBe(first.getName());
      expect(first.getRange(1, 1).getValue()).toBe('kept');
      spreadsheet.getSheetByName('Report').activate();
      expect(spreadsheet.getActiveSheet().getName()).toBe('Report');
    });
  });

  it.each(['exact', 'any-case'] as const)(
    'keeps tab names unique whatever their case, finding a tab by name %s',
    (lookup) => {
      const world = newWorld();
      world.sheetNameLookup = lookup;
      world.execute('ann@example.com', (scope: Scope) => {
        const spreadsheet = scope.SpreadsheetApp.getActive();
        const campaigns = spreadsheet.insertSheet('campaigns');
        const taken = 'A sheet with the name "Campaigns" already exists. Please enter another name.';
        expect(() => spreadsheet.insertSheet('Campaigns')).toThrow(taken);
        expect(() => spreadsheet.insertSheet().setName('Campaigns')).toThrow(taken);
        expect(spreadsheet.getSheetByName('campaigns').getSheetId()).toBe(campaigns.getSheetId());
        expect(spreadsheet.getSheetByName('Campaigns')?.getSheetId() ?? null).toBe(
          lookup === 'exact' ? null : campaigns.getSheetId(),
        );
        campaigns.setName('CAMPAIGNS');
        expect(campaigns.getName()).toBe('CAMPAIGNS');
      });
    },
  );

  it("checks dimensions in setValues with Apps Script's messages", () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      expect(() =>
        sheet.getRange(1, 1, 3, 2).setValues([
          [1, 2],
          [3, 4],
        ]),
      ).toThrow(
        'The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.',
      );
      expect(() => sheet.getRange(1, 1, 1, 2).setValues([[1, 2, 3]])).toThrow(
        'The number of columns in the data does not match the number of columns in the range. The data has 3 but the range has 2.',
      );
      expect(sheet.getLastRow()).toBe(0);
    });
  });

  it('refuses a cell over 50,000 characters in setValues, writing nothing', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      expect(() => sheet.getRange(1, 1, 1, 2).setValues([['short', 'x'.repeat(50_001)]])).toThrow(
        'Your input contains more than the maximum of 50000 characters in a single cell.',
      );
      expect(sheet.getLastRow()).toBe(0);
      sheet.getRange(1, 1, 1, 2).setValues([['short', 'x'.repeat(50_000)]]);
      expect(sheet.getRange(1, 2).getValue()).toHaveLength(50_000);
    });
  });

  it('refuses values that are not an array of rows, naming their type as Apps Script does', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const range = scope.SpreadsheetApp.getActive().getActiveSheet().getRange(1, 1, 1, 2);
      expect(() => range.setValues('a,b')).toThrow(
        "The parameters (String) don't match the method signature for SpreadsheetApp.Range.setValues.",
      );
      expect(() => range.setValues([1, 2])).toThrow(
        "The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
      );
      expect(() => range.setValues([['a', 'b'], 'c'])).toThrow(
        "The parameters (String[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
      );
    });
  });

  it('types input like Sheets: formulas, numbers and dates from text, apostrophe forces text', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      sheet.getRange('A1:E1').setValues([['=HYPERLINK("x")', "'=SUM(1)", '45.12', '2025-01-03', 'plain']]);
      expect(sheet.getRange('A1:E1').getFormulas()).toEqual([['=HYPERLINK("x")', '', '', '', '']]);
      const [values] = sheet.getRange('A1:E1').getValues();
      expect(values.slice(1, 3)).toEqual(['=SUM(1)', 45.12]);
      expect(Object.prototype.toString.call(values[3])).toBe('[object Date]');
      expect(values[3].toISOString()).toBe('2025-01-03T00:00:00.000Z');
      expect(sheet.getLastRow()).toBe(1);
      expect(sheet.getLastColumn()).toBe(5);
    });
  });

  it('shows a boolean as Sheets does, TRUE or FALSE, and keeps it a boolean', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const range = scope.SpreadsheetApp.getActive().getActiveSheet().getRange('A1:B1');
      range.setValues([[true, false]]);
      expect(range.getDisplayValues()).toEqual([['TRUE', 'FALSE']]);
      expect(range.getValues()).toEqual([[true, false]]);
    });
  });

  it('shows a date under the date format a user picks, as the Sheets API lists the tokens', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const cell = scope.SpreadsheetApp.getActive().getActiveSheet().getRange('A1');
      // 2026-11-01, a Sunday, as the writer stores it: a serial day number.
      cell.setValue(46327);
      const shown = (format: string) => cell.setNumberFormat(format).getDisplayValues()[0][0];
      expect(shown('yyyy-mm-dd')).toBe('2026-11-01');
      expect(shown('mmm d, yyyy')).toBe('Nov 1, 2026');
      expect(shown('dd/mm/yyyy')).toBe('01/11/2026');
      expect(shown('m/d/yy')).toBe('11/1/26');
      expect(shown('dddd, mmmm d')).toBe('Sunday, November 1');
      expect(shown('yyyy-mm-dd hh:mm:ss')).toBe('2026-11-01 00:00:00');
      expect(shown('"Week of" d mmm')).toBe('Week of 1 Nov');
    });
  });

  it('refuses a write past the grid as practitioners report it', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      expect(() => sheet.getRange(1001, 1).setValue('far down')).toThrow(
        'The coordinates of the range are outside the dimensions of the sheet.',
      );
      expect(() => sheet.getRange(1, 1, 1, 27).setValues([Array(27).fill('wide')])).toThrow(
        'The coordinates of the range are outside the dimensions of the sheet.',
      );
      expect([sheet.getMaxRows(), sheet.getMaxColumns(), sheet.getLastRow()]).toEqual([1000, 26, 0]);
    });
  });

  it('inserts, deletes and moves whole columns, moving every row’s values, formats and formulas with them', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      sheet.getRange('A1:C1').setValues([['Date', 'Clicks', '=HYPERLINK("x")']]);
      sheet.getRange('B2').setValue(7).setNumberFormat('0.00%');
      sheet.getRange('C5').setValue('below');
      sheet.insertColumnsBefore(2, 2);
      expect(sheet.getMaxColumns()).toBe(28);
      expect(sheet.getRange('A1:E1').getValues()).toEqual([['Date', '', '', 'Clicks', '#ERROR!']]);
      expect(sheet.getRange('E1').getFormulas()).toEqual([['=HYPERLINK("x")']]);
      expect(sheet.getRange('D2').getNumberFormat()).toBe('0.00%');
      expect(sheet.getRange('B2').getNumberFormat()).toBe('General');
      expect(sheet.getRange('E5').getValue()).toBe('below');
      sheet.deleteColumns(2, 3);
      expect(sheet.getMaxColumns()).toBe(25);
      expect(sheet.getRange('A1:B1').getValues()).toEqual([['Date', '#ERROR!']]);
      expect(sheet.getRange('B1').getFormulas()).toEqual([['=HYPERLINK("x")']]);
      expect(sheet.getRange('B5').getValue()).toBe('below');
      sheet.insertColumnsAfter(25, 1);
      expect(sheet.getMaxColumns()).toBe(26);
      // The Sheets API's moveDimension example: the destination is counted before the columns leave.
      sheet.getRange('A1:E1').setValues([['0', '1', '2', '3', '4']]);
      sheet.getRange('B2').setNumberFormat('0.00%');
      sheet.moveColumns(sheet.getRange('B1:C1'), 5);
      expect(sheet.getRange('A1:E1').getDisplayValues()).toEqual([['0', '3', '1', '2', '4']]);
      expect(sheet.getRange('C2').getNumberFormat()).toBe('0.00%');
      sheet.moveColumns(sheet.getRange('D1'), 1);
      expect(sheet.getRange('A1:E1').getDisplayValues()).toEqual([['2', '0', '3', '1', '4']]);
      expect(() => sheet.insertColumnsBefore(28, 1)).toThrow('Those columns are out of bounds.');
    });
  });

  it('moves whole rows, the destination counted before they leave, with every column’s values, formats and formulas', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      // The Sheets API's moveDimension example, along rows: 0, 1, 2, 3, 4 with 1 and 2 moved before 4.
      sheet.getRange('A1:A5').setValues([['0'], ['1'], ['2'], ['3'], ['4']]);
      sheet.getRange('B2').setValue(0.5).setNumberFormat('0.00%');
      sheet.getRange('C3').setValue('=HYPERLINK("x")');
      sheet.moveRows(sheet.getRange('A2:A3'), 5);
      expect(sheet.getRange('A1:A5').getDisplayValues().flat()).toEqual(['0', '3', '1', '2', '4']);
      expect([sheet.getRange('B3').getDisplayValues(), sheet.getRange('B3').getNumberFormat()]).toEqual([
        [['50.00%']],
        '0.00%',
      ]);
      expect(sheet.getRange('C3:C4').getFormulas()).toEqual([[''], ['=HYPERLINK("x")']]);
      // Moved up: to row 1, before the rows that were above them.
      sheet.moveRows(sheet.getRange('A4:C5'), 1);
      expect(sheet.getRange('A1:A5').getDisplayValues().flat()).toEqual(['2', '4', '0', '3', '1']);
      expect(sheet.getRange('C1').getFormulas()).toEqual([['=HYPERLINK("x")']]);
      expect(sheet.getMaxRows()).toBe(1000);
      expect(() => sheet.moveRows(sheet.getRange('A1'), 1002)).toThrow('Those rows are out of bounds.');
      expect(() => sheet.moveRows(sheet.getRange('A2:A4'), 3)).toThrow(
        'The destination is among the rows to move.',
      );
      // As many rows as a widened range of a big table brings, in one move.
      sheet.insertRowsAfter(1000, 199_000);
      sheet.getRange(200_000, 1).setValue('last');
      sheet.moveRows(sheet.getRange(50_001, 1, 150_000, 1), 2);
      expect(sheet.getRange(150_001, 1).getValue()).toBe('last');
      expect(sheet.getRange(1, 1).getValue()).toBe(2);
    });
  });

  it('in the other reading, grows the grid on write and stops at the 10 million cell limit', () => {
    const world = newWorld();
    world.gridGrowsOnWrite = true;
    world.execute('ann@example.com', (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      sheet.getRange(1500, 1).setValue('far down');
      expect(sheet.getMaxRows()).toBe(1500);
      expect(() => sheet.insertRowsAfter(1500, 400_000)).toThrow('above the limit of 10000000 cells');
      expect(sheet.getMaxRows()).toBe(1500);
    });
  });

  it('creates spreadsheets shared with their maker only, opens them by id, and keeps them across a save and load', () => {
    const world = newWorld();
    const id = world.execute('ann@example.com', (scope: Scope) => {
      const made = scope.SpreadsheetApp.create('Archive');
      made.getSheets()[0].setName('Rows').getRange(1, 1).setValue('kept');
      return made.getId();
    });
    expect(id).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(() =>
      world.execute('bob@example.com', (scope: Scope) => scope.SpreadsheetApp.openById(id)),
    ).toThrow('You do not have permission to access the requested document.');
    const restored = newWorld();
    restored.loadState(JSON.parse(JSON.stringify(world.saveState())));
    expect(
      restored.execute('ann@example.com', (scope: Scope) => {
        const archive = scope.SpreadsheetApp.openById(id);
        return [archive.getName(), archive.getSheetByName('Rows').getRange(1, 1).getValue()];
      }),
    ).toEqual(['Archive', 'kept']);
    // A spreadsheet made after the load gets an id of its own.
    expect(
      restored.execute('ann@example.com', (scope: Scope) => scope.SpreadsheetApp.create('Next').getId()),
    ).not.toBe(id);
  });

  it('refuses openById and create without the spreadsheets scope, as Apps Script does with currentonly', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'currentonly-'));
    for (const file of readdirSync('dist')) copyFileSync(join('dist', file), join(projectDir, file));
    const manifest = JSON.parse(readFileSync(join(projectDir, 'appsscript.json'), 'utf8'));
    manifest.oauthScopes = ['https://www.googleapis.com/auth/spreadsheets.currentonly'];
    writeFileSync(join(projectDir, 'appsscript.json'), JSON.stringify(manifest));
    const world = createOfflineWorld({ projectDir }).world;
    try {
      for (const [method, call] of [
        ['openById', (scope: Scope) => scope.SpreadsheetApp.openById(world.spreadsheet.id)],
        ['create', (scope: Scope) => scope.SpreadsheetApp.create('Archive')],
      ] as const)
        expect(() => world.execute('ann@example.com', call)).toThrow(
          `You do not have permission to call SpreadsheetApp.${method}. Required permissions: https://www.googleapis.com/auth/spreadsheets`,
        );
    } finally {
      rmSync(projectDir, { recursive: true, force: true });
    }
  });

  it('keeps spreadsheet developer metadata any script opening the spreadsheet can read, and only editors change', () => {
    const world = newWorld();
    const id = world.execute('ann@example.com', (scope: Scope) => {
      const made = scope.SpreadsheetApp.create('Shared');
      made.addDeveloperMetadata('app.revisions', '{"r1":"a"}');
      return made.getId();
    });
    world.spreadsheetData(id)!.viewers = ['bob@example.com'];
    expect(
      world.execute('bob@example.com', (scope: Scope) =>
        scope.SpreadsheetApp.openById(id)
          .getDeveloperMetadata()
          .map((entry: { getKey(): string; getValue(): string }) => [entry.getKey(), entry.getValue()]),
      ),
    ).toEqual([['app.revisions', '{"r1":"a"}']]);
    expect(() =>
      world.execute('bob@example.com', (scope: Scope) =>
        scope.SpreadsheetApp.openById(id).getDeveloperMetadata()[0].setValue('{}'),
      ),
    ).toThrow('You do not have permission to perform that action.');
    const restored = newWorld();
    restored.loadState(JSON.parse(JSON.stringify(world.saveState())));
    expect(
      restored.execute('ann@example.com', (scope: Scope) =>
        scope.SpreadsheetApp.openById(id).getDeveloperMetadata()[0].getValue(),
      ),
    ).toBe('{"r1":"a"}');
  });

  it('holds 30,000 characters of developer metadata (keys and values) at the top level, and as many on each tab', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      spreadsheet.addDeveloperMetadata('k', 'v'.repeat(29_990));
      expect(() => spreadsheet.addDeveloperMetadata('key', 'v'.repeat(9))).toThrow(
        'limited to 30000 characters',
      );
      spreadsheet.addDeveloperMetadata('key', 'v'.repeat(6));
      const entry = spreadsheet.getDeveloperMetadata()[0];
      expect(() => entry.setValue('v'.repeat(29_991))).toThrow('limited to 30000 characters');
      entry.setValue('short');
      expect(entry.getValue()).toBe('short');
      // A tab has its own 30,000.
      spreadsheet.getSheets()[0].addDeveloperMetadata('tab', 'v'.repeat(29_997));
      expect(() => spreadsheet.getSheets()[0].addDeveloperMetadata('x', '')).toThrow(
        'limited to 30000 characters',
      );
      // It belongs to the tab (by sheet ID), not its name: a rename keeps it.
      spreadsheet.getSheets()[0].setName('Renamed');
      expect(spreadsheet.getSheetByName('Renamed').getDeveloperMetadata()[0].getKey()).toBe('tab');
    });
  });

  it('saves and loads the world with real dates', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      scope.SpreadsheetApp.getActive()
        .insertSheet('Data')
        .getRange(1, 1, 1, 2)
        .setValues([[new scope.Date(Date.UTC(2025, 0, 2)), 7]]);
    });
    const saved = JSON.parse(JSON.stringify(world.saveState()));
    const restored = newWorld();
    restored.loadState(saved);
    restored.execute('ann@example.com', (scope: Scope) => {
      const [[date, number]] = scope.SpreadsheetApp.getActive()
        .getSheetByName('Data')
        .getRange(1, 1, 1, 2)
        .getValues();
      expect(date.toISOString()).toBe('2025-01-02T00:00:00.000Z');
      expect(number).toBe(7);
    });
  });
});

describe('executions', () => {
  it('stop with "Exceeded maximum execution time" once six minutes have passed', () => {
    const world = newWorld();
    expect(() =>
      world.execute('ann@example.com', (scope: Scope) => {
        scope.Utilities.sleep(5 * 60_000);
        scope.PropertiesService.getUserProperties().setProperty('step', 'one');
        scope.Utilities.sleep(2 * 60_000);
        scope.PropertiesService.getUserProperties().setProperty('step', 'two');
      }),
    ).toThrow('Exceeded maximum execution time');
    expect(
      world.execute('ann@example.com', (scope: Scope) =>
        scope.PropertiesService.getUserProperties().getProperty('step'),
      ),
    ).toBe('one');
  });

  it('see the simulated clock through Date', () => {
    const world = newWorld();
    expect(world.execute('ann@example.com', (scope: Scope) => scope.Date.now())).toBe(world.clock.now());
    expect(world.execute('ann@example.com', (scope: Scope) => new scope.Date().getTime())).toBe(
      world.clock.now(),
    );
  });
});

describe('ScriptApp', () => {
  it('allows an add-on one time-driven trigger per user per document, no more often than hourly', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) => {
      scope.ScriptApp.newTrigger('onOpen').timeBased().everyHours(1).create();
      expect(() => scope.ScriptApp.newTrigger('onOpen').timeBased().atHour(6).everyDays(1).create()).toThrow(
        'too many time-based triggers',
      );
      expect(() => scope.ScriptApp.newTrigger('onOpen').timeBased().everyMinutes(5)).toThrow(
        'more frequently than once per hour',
      );
      expect(
        scope.ScriptApp.getProjectTriggers().map((t: { getHandlerFunction(): string }) =>
          t.getHandlerFunction(),
        ),
      ).toEqual(['onOpen']);
    });
    world.execute('bob@example.com', (scope: Scope) => {
      expect(scope.ScriptApp.getProjectTriggers()).toHaveLength(0);
      scope.ScriptApp.newTrigger('onOpen').timeBased().everyHours(2).create();
    });
    expect(world.triggers).toHaveLength(2);
  });

  it('fires due triggers as their user when the clock moves', () => {
    const world = newWorld();
    world.execute('ann@example.com', (scope: Scope) =>
      scope.ScriptApp.newTrigger('onOpen').timeBased().everyHours(1).create(),
    );
    const runs = world.advanceTimeTo(world.clock.now() + 3 * 3_600_000 + 1);
    expect(runs.map((run) => [run.handler, run.user, run.error])).toEqual([
      ['onOpen', 'ann@example.com', undefined],
      ['onOpen', 'ann@example.com', undefined],
      ['onOpen', 'ann@example.com', undefined],
    ]);
    expect(world.ui('ann@example.com').menus[0].title).toBe('LinkedIn Data');
  });

  it('round-trips a state token through /usercallback to the named global', () => {
    const world = newWorld();
    const token = world.execute('ann@example.com', (scope: Scope) =>
      scope.ScriptApp.newStateToken()
        .withMethod('onOpen')
        .withArgument('serviceName', 'linkedin')
        .withTimeout(60)
        .createToken(),
    );
    const result = world.handleUserCallback(
      `https://script.google.com/macros/d/${world.scriptId}/usercallback?state=${token}&code=abc`,
    );
    expect(result.status).toBe(200);
    expect(world.ui('ann@example.com').menus.map((menu) => menu.title)).toEqual(['LinkedIn Data']);
    world.clock.advance(61_000);
    expect(
      world.handleUserCallback(
        `https://script.google.com/macros/d/${world.scriptId}/usercallback?state=${token}`,
      ),
    ).toEqual({
      status: 400,
      html: 'The state token is invalid or has expired. Please try again.',
    });
  });
});

describe('the built bundle in the emulated spreadsheet', () => {
  it('builds the add-on menu and opens the sidebar', () => {
    const world = newWorld();
    world.run('ann@example.com', 'onOpen');
    expect(world.ui('ann@example.com').menus).toEqual([
      {
        title: 'LinkedIn Data',
        items: [
          { caption: 'Open sidebar', handler: 'showSidebar' },
          { caption: 'Connect LinkedIn', handler: 'connectLinkedIn' },
          { caption: 'Grant permissions', handler: 'grantPermissions' },
        ],
      },
    ]);
    world.run('ann@example.com', 'showSidebar');
    const sidebar = world.ui('ann@example.com').sidebar!;
    expect(sidebar.getTitle()).toBe('LinkedIn Data');
    expect(sidebar.getContent()).toContain('<h1>LinkedIn Data</h1>');
  });
});

describe('Utilities.formatDate', () => {
  it('renders Java patterns in the given time zone, with its offset', () => {
    const world = newWorld();
    const at = Date.UTC(2026, 0, 5, 23, 30, 15);
    const format = (timeZone: string, pattern: string) =>
      world.execute('ann@example.com', (scope: Scope) =>
        scope.Utilities.formatDate(new Date(at), timeZone, pattern),
      );
    expect(format('Etc/UTC', "yyyy-MM-dd'T'HH:mm:ss Z")).toBe('2026-01-05T23:30:15 +0000');
    expect(format('Europe/Berlin', 'EEE d MMM yyyy HH:mm Z')).toBe('Tue 6 Jan 2026 00:30 +0100');
    expect(format('America/New_York', 'yy/M/d H:mm Z')).toBe('26/1/5 18:30 -0500');
  });
});

describe('HtmlService and Utilities', () => {
  it('evaluates templates, escaping printed values unless asked not to', () => {
    const world = newWorld();
    const html = world.execute('ann@example.com', (scope: Scope) => {
      const template = scope.HtmlService.createTemplate(
        '<p><?= name ?></p><? for (const n of [1, 2]) { ?><i><?= n ?></i><? } ?><?!= raw ?>',
      );
      template.name = '<b>Ann</b>';
      template.raw = '<hr>';
      return template.evaluate().setTitle('T').getContent();
    });
    expect(html).toBe('<p>&lt;b&gt;Ann&lt;/b&gt;</p><i>1</i><i>2</i><hr>');
  });

  it('computes digests and base64 as Apps Script does, with signed bytes', () => {
    const world = newWorld();
    const result = world.execute('ann@example.com', (scope: Scope) => ({
      md5: scope.Utilities.computeDigest(scope.Utilities.DigestAlgorithm.MD5, 'abc').slice(0, 4),
      base64: scope.Utilities.base64Encode('hé?'),
      webSafe: scope.Utilities.base64EncodeWebSafe([251, 255]),
      decoded: scope.Utilities.newBlob(scope.Utilities.base64Decode('aMOpPw==')).getDataAsString(),
      uuid: scope.Utilities.getUuid(),
    }));
    expect(result.md5).toEqual([-112, 1, 80, -104]);
    expect(result.base64).toBe('aMOpPw==');
    expect(result.webSafe).toBe('-_8=');
    expect(result.decoded).toBe('hé?');
    expect(result.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('google.script.run', () => {
  it('fails a call whose parameters hold a Date, a function or a cycle, and turns undefined array items into null', () => {
    const world = newWorld();
    expect(() => world.callFromSidebar('ann@example.com', 'saveReport', { when: new Date() })).toThrow(
      'google.script.run cannot pass a Date to the server.',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toServer([cyclic])).toThrow('cannot pass a circular reference');
    expect(() => toServer({ run: () => 1 })).toThrow('cannot pass a Function');
    expect(toServer({ list: [1, undefined, 'x'], gone: undefined })).toEqual({ list: [1, null, 'x'] });
  });

  it('hands the sidebar null for a result holding a Date, and null for NaN and Infinity', () => {
    expect(toClient({ ok: true, at: new Date(0) })).toBeNull();
    expect(toClient([[1, new Date(0)]])).toBeNull();
    expect(toClient({ share: NaN, ratio: Infinity, rows: [1, undefined], note: undefined })).toEqual({
      share: null,
      ratio: null,
      rows: [1, null],
    });
    expect(toClient('plain')).toBe('plain');
  });
});

describe("granular consent (the scopes a user ticks on Google's consent screen)", () => {
  const ANN = 'ann@example.com';
  const html = (scope: Scope) => scope.HtmlService.createHtmlOutput('<p>hi</p>');
  /** Each service method the add-on calls that needs a scope, with the scope its reference page lists. */
  const GUARDED: Array<[string, string, (scope: Scope) => unknown]> = [
    [
      'UrlFetchApp.fetch',
      SCOPES.externalRequest,
      (scope) => scope.UrlFetchApp.fetch('https://api.linkedin.com/rest/me'),
    ],
    [
      'UrlFetchApp.fetchAll',
      SCOPES.externalRequest,
      (scope) => scope.UrlFetchApp.fetchAll([{ url: 'https://api.linkedin.com/rest/me' }]),
    ],
    ['ScriptApp.newTrigger', SCOPES.scriptApp, (scope) => scope.ScriptApp.newTrigger('runScheduledReports')],
    ['ScriptApp.getProjectTriggers', SCOPES.scriptApp, (scope) => scope.ScriptApp.getProjectTriggers()],
    ['ScriptApp.getUserTriggers', SCOPES.scriptApp, (scope) => scope.ScriptApp.getUserTriggers(null)],
    [
      'ScriptApp.deleteTrigger',
      SCOPES.scriptApp,
      (scope) => scope.ScriptApp.deleteTrigger({ getUniqueId: () => 'none' }),
    ],
    ['MailApp.sendEmail', SCOPES.sendMail, (scope) => scope.MailApp.sendEmail(ANN, 'Subject', 'Body')],
    ['Ui.showSidebar', SCOPES.containerUi, (scope) => scope.SpreadsheetApp.getUi().showSidebar(html(scope))],
    [
      'Ui.showModalDialog',
      SCOPES.containerUi,
      (scope) => scope.SpreadsheetApp.getUi().showModalDialog(html(scope), 'Title'),
    ],
    ['Ui.alert', SCOPES.containerUi, (scope) => scope.SpreadsheetApp.getUi().alert('Hello')],
    ['SpreadsheetApp.getActive', SCOPES.spreadsheets, (scope) => scope.SpreadsheetApp.getActive()],
    [
      'SpreadsheetApp.openById',
      SCOPES.spreadsheets,
      (scope) => scope.SpreadsheetApp.openById('sim-spreadsheet-1'),
    ],
    ['SpreadsheetApp.create', SCOPES.spreadsheets, (scope) => scope.SpreadsheetApp.create('Archive')],
  ];

  it.each(GUARDED)(
    'refuses %s without its scope in Apps Script’s words, and calls it once the scope is granted',
    (method, scope, call) => {
      const world = newWorld();
      world.withholdScopes(ANN, [scope]);
      expect(() => world.execute(ANN, call)).toThrow(
        `You do not have permission to call ${method}. Required permissions: ${scope}`,
      );
      // Another user's consent is their own.
      expect(() => world.execute('bob@example.com', call)).not.toThrow(/permission to call/);
      world.addGrantedScopes(ANN, [scope]);
      expect(() => world.execute(ANN, call)).not.toThrow(/permission to call/);
    },
  );

  it('needs no scope for what apps-script-oauth2 signs in with: getScriptId and newStateToken', () => {
    const world = newWorld();
    world.grantScopes(ANN, [SCOPES.externalRequest]);
    const token = world.execute(ANN, (scope: Scope) => ({
      id: scope.ScriptApp.getScriptId(),
      state: scope.ScriptApp.newStateToken().withMethod('authCallback').createToken(),
      menu: scope.SpreadsheetApp.getUi().createAddonMenu().addItem('Open sidebar', 'showSidebar').addToUi(),
    }));
    expect(token.id).toBe(world.scriptId);
    expect(token.state).toEqual(expect.any(String));
  });

  it('gives a blank email without userinfo.email, or refuses it: both readings of an undocumented case', () => {
    const world = newWorld();
    world.withholdScopes(ANN, [SCOPES.userEmail]);
    const email = (scope: Scope) => scope.Session.getEffectiveUser().getEmail();
    expect(world.execute(ANN, email)).toBe('');
    world.emailWithoutScope = 'throws';
    expect(() => world.execute(ANN, email)).toThrow(
      `You do not have permission to call User.getEmail. Required permissions: ${SCOPES.userEmail}`,
    );
    expect(world.execute('bob@example.com', email)).toBe('bob@example.com');
  });

  it('ends a trigger that calls a service the user did not grant, or throws Google’s trigger error into it', () => {
    const world = newWorld();
    world.withholdScopes(ANN, [SCOPES.externalRequest]);
    const caught: string[] = [];
    const fetchAndCarryOn = (scope: Scope) => {
      try {
        scope.UrlFetchApp.fetch('https://api.linkedin.com/rest/me');
      } catch (error) {
        caught.push((error as Error).message);
      }
      return 'carried on';
    };
    // "The trigger execution fails immediately": the script's catch block gets nothing to carry on with.
    expect(() => world.execute(ANN, fetchAndCarryOn, false, 'trigger')).toThrow(
      'Authorization is required to perform that action.',
    );
    world.missingScopeInTrigger = 'throws';
    expect(world.execute(ANN, fetchAndCarryOn, false, 'trigger')).toBe('carried on');
    expect(caught.at(-1)).toBe('Authorization is required to perform that action.');
  });

  it('fires the trigger of a user who withdrew script.scriptapp, or skips it when told to (not documented)', () => {
    const world = newWorld();
    world.execute(ANN, (scope: Scope) =>
      scope.ScriptApp.newTrigger('onOpen').timeBased().everyHours(1).create(),
    );
    world.execute('bob@example.com', (scope: Scope) =>
      scope.ScriptApp.newTrigger('onOpen').timeBased().everyHours(1).create(),
    );
    world.withholdScopes(ANN, [SCOPES.scriptApp]);
    const hour = () => world.advanceTimeTo(world.clock.now() + 3_600_000).map((run) => run.user);
    expect(hour()).toEqual([ANN, 'bob@example.com']);
    world.triggersWithoutScriptApp = 'skip';
    expect(hour()).toEqual(['bob@example.com']);
    world.addGrantedScopes(ANN, [SCOPES.scriptApp]);
    expect(hour()).toEqual([ANN, 'bob@example.com']);
  });

  describe('ScriptApp.getAuthorizationInfo', () => {
    const info = (world: ReturnType<typeof newWorld>, scopes?: string[]) =>
      world.execute(ANN, (scope: Scope) => {
        const found = scopes
          ? scope.ScriptApp.getAuthorizationInfo(scope.ScriptApp.AuthMode.FULL, scopes)
          : scope.ScriptApp.getAuthorizationInfo(scope.ScriptApp.AuthMode.FULL);
        return {
          status: found.getAuthorizationStatus(),
          required: found.getAuthorizationStatus() === scope.ScriptApp.AuthorizationStatus.REQUIRED,
          url: found.getAuthorizationUrl(),
          authorized: found.getAuthorizedScopes(),
        };
      });

    it('says NOT_REQUIRED with no URL and every scope authorized when the user granted all', () => {
      const world = newWorld();
      expect(info(world)).toEqual({
        status: 'NOT_REQUIRED',
        required: false,
        url: null,
        authorized: world.declaredScopes,
      });
    });

    it('says REQUIRED with a URL when a scope is missing, and lists the granted ones among those asked about', () => {
      const world = newWorld();
      world.withholdScopes(ANN, [SCOPES.sendMail, SCOPES.scriptApp]);
      const whole = info(world);
      expect(whole).toEqual(expect.objectContaining({ status: 'REQUIRED', required: true }));
      expect(whole.url).toEqual(expect.stringContaining('https://'));
      expect(whole.authorized).toEqual(
        world.declaredScopes.filter((scope) => scope !== SCOPES.sendMail && scope !== SCOPES.scriptApp),
      );
      // Asked about granted scopes only, nothing is required.
      expect(info(world, [SCOPES.spreadsheets, SCOPES.externalRequest])).toEqual({
        status: 'NOT_REQUIRED',
        required: false,
        url: null,
        authorized: [SCOPES.spreadsheets, SCOPES.externalRequest],
      });
      expect(info(world, [SCOPES.externalRequest, SCOPES.sendMail])).toEqual(
        expect.objectContaining({ required: true, authorized: [SCOPES.externalRequest] }),
      );
    });

    it('gives null for the authorized scopes when told to, as the reference allows', () => {
      const world = newWorld();
      world.listsAuthorizedScopes = false;
      world.withholdScopes(ANN, [SCOPES.sendMail]);
      expect(info(world)).toEqual(expect.objectContaining({ required: true, authorized: null }));
    });

    it('refuses a scope the manifest does not ask for', () => {
      const world = newWorld();
      expect(() => info(world, ['https://www.googleapis.com/auth/drive'])).toThrow(
        /auth\/drive is not a scope this script requires/,
      );
    });
  });

  describe('ScriptApp.requireScopes and requireAllScopes', () => {
    const require = (scopes: string[]) => (scope: Scope) => {
      try {
        scope.ScriptApp.requireScopes(scope.ScriptApp.AuthMode.FULL, scopes);
      } catch {
        // A catch block cannot keep the execution going past the end requireScopes puts to it.
      }
      return 'went on';
    };

    it('returns when the scopes are granted, and the execution goes on', () => {
      const world = newWorld();
      world.withholdScopes(ANN, [SCOPES.sendMail]);
      expect(world.execute(ANN, require([SCOPES.externalRequest, SCOPES.spreadsheets]))).toBe('went on');
      expect(world.ui(ANN).consentPrompts).toEqual([]);
    });

    it('ends the execution and shows Google’s prompt for the missing scopes only, from a menu or the sidebar', () => {
      const world = newWorld();
      world.withholdScopes(ANN, [SCOPES.scriptApp, SCOPES.sendMail]);
      for (const surface of ['menu', 'sidebar'] as const)
        expect(() =>
          world.execute(ANN, require([SCOPES.spreadsheets, SCOPES.scriptApp]), true, surface),
        ).toThrow('Authorization is required to perform that action.');
      expect(world.ui(ANN).consentPrompts).toEqual([[SCOPES.scriptApp], [SCOPES.scriptApp]]);
      world.addGrantedScopes(ANN, [SCOPES.scriptApp]);
      expect(world.execute(ANN, require([SCOPES.spreadsheets, SCOPES.scriptApp]))).toBe('went on');
    });

    it('ends a trigger’s execution without a prompt: no one is there to see it', () => {
      const world = newWorld();
      world.withholdScopes(ANN, [SCOPES.externalRequest]);
      expect(() => world.execute(ANN, require([SCOPES.externalRequest]), false, 'trigger')).toThrow(
        'Authorization is required to perform that action.',
      );
      expect(world.ui(ANN).consentPrompts).toEqual([]);
    });

    it('requireAllScopes asks for every scope of the manifest the user has not granted', () => {
      const world = newWorld();
      world.withholdScopes(ANN, [SCOPES.sendMail, SCOPES.userEmail]);
      expect(() =>
        world.execute(ANN, (scope: Scope) => scope.ScriptApp.requireAllScopes(scope.ScriptApp.AuthMode.FULL)),
      ).toThrow('Authorization is required to perform that action.');
      expect(world.ui(ANN).consentPrompts).toEqual([[SCOPES.sendMail, SCOPES.userEmail]]);
    });

    it('refuses a scope the manifest does not ask for, even one the user could grant', () => {
      const world = newWorld();
      expect(() =>
        world.execute(ANN, (scope: Scope) =>
          scope.ScriptApp.requireScopes(scope.ScriptApp.AuthMode.FULL, [
            'https://www.googleapis.com/auth/drive',
          ]),
        ),
      ).toThrow(/not a scope this script requires/);
    });
  });
});
