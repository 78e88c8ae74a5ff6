/**
 * A user who unticked some of the add-on's permissions on Google's granular consent screen:
 * each action asks for what it needs before it starts (Google's prompt from a menu, words naming
 * the permission from the sidebar), nothing is half done, and a scheduled run that finds a
 * permission missing says so on the cards of the imports it holds up.
 */
import type { MissingScopeInTrigger } from '../../sandbox/apps-script/execution';
import { SCOPES } from '../../sandbox/apps-script/scopes';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { CLIENT_ID, CLIENT_SECRET, connectedWorld, signIn, status } from '../helpers/connect';
import {
  analyticsReport,
  runNow,
  saveReport,
  sheetValues,
  stateOf,
  type Summary,
  failingAndWorkingSchedules,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const HOUR = 3_600_000;
const GRANT = 'Choose Extensions > LinkedIn Data > Grant permissions';
const WORDS = {
  [SCOPES.spreadsheets]: '“See, edit, create, and delete all your Google Sheets spreadsheets”',
  [SCOPES.externalRequest]: '“Connect to an external service”',
  [SCOPES.containerUi]:
    '“Display and run third-party web content in prompts and sidebars inside Google applications”',
  [SCOPES.scriptApp]: '“Allow this application to run when you are not present”',
  [SCOPES.sendMail]: '“Send email as you”',
  [SCOPES.userEmail]: '“See your primary Google Account email address”',
};

const fromSidebar = (offline: OfflineWorld, name: string, ...args: unknown[]) =>
  offline.world.callFromSidebar(ANN, name, ...args);
const reports = (offline: OfflineWorld) => fromSidebar(offline, 'listReports') as Summary[];
/** What a refusal must say: the permission in the consent screen's words, and where to grant it. */
const refusalNaming = (scope: keyof typeof WORDS) => new RegExp(`${WORDS[scope]}.*was not given\\. ${GRANT}`);
const fetches = (offline: OfflineWorld) => offline.world.fetchLog.length;

describe('a user without “Connect to an external service” (script.external_request)', () => {
  it('is told before signing in, and nothing of the sign-in starts; after granting it, the sign-in works', () => {
    const offline = connectedWorld('bob@example.com');
    const { world } = offline;
    world.withholdScopes(ANN, [SCOPES.externalRequest]);
    expect(() => fromSidebar(offline, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET)).toThrow(
      refusalNaming(SCOPES.externalRequest),
    );
    expect(() => fromSidebar(offline, 'startLinkedInSignIn', ['ads'])).toThrow(
      refusalNaming(SCOPES.externalRequest),
    );
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      appCredentials: 'none',
      signIn: null,
    });
    world.addGrantedScopes(ANN, [SCOPES.externalRequest]);
    signIn(offline, ANN);
    expect(status(offline, ANN).connected).toBe(true);
  });

  it('lands on a page naming the permission when it was withdrawn during the sign-in, and the sidebar hears it', () => {
    const offline = connectedWorld('bob@example.com');
    const { world, linkedin } = offline;
    fromSidebar(offline, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = fromSidebar(offline, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    world.withholdScopes(ANN, [SCOPES.externalRequest]);
    const before = fetches(offline);
    const page = world.handleUserCallback(linkedin.consent(authorizationUrl, 'sim1Person'));
    expect(page.html).toContain('Connect to an external service');
    expect(fetches(offline)).toBe(before);
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      signIn: { ok: false, message: expect.stringMatching(refusalNaming(SCOPES.externalRequest)) },
    });
  });

  it('refuses Run now, Check connection and listing accounts in words, leaving the card as it was', () => {
    const offline = connectedWorld(ANN);
    const report = saveReport(offline, ANN, analyticsReport());
    runNow(offline, ANN, report.config.id);
    const before = stateOf(offline, ANN, report.config.id);
    const rows = sheetValues(offline, 'LinkedIn Ads');
    offline.world.withholdScopes(ANN, [SCOPES.externalRequest]);
    const calls = fetches(offline);
    for (const [name, ...args] of [
      ['runReportNow', report.config.id],
      ['continueReport', report.config.id, null],
      ['testLinkedInConnection'],
      ['listLinkedInAdAccounts'],
      ['listLinkedInPages'],
    ])
      expect(() => fromSidebar(offline, name as string, ...args)).toThrow(
        refusalNaming(SCOPES.externalRequest),
      );
    expect(fetches(offline)).toBe(calls);
    expect(stateOf(offline, ANN, report.config.id)).toEqual(before);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(rows);
  });

  it('saves a report without a schedule (the run judges its size), but not a scheduled one', () => {
    const offline = connectedWorld(ANN);
    offline.world.withholdScopes(ANN, [SCOPES.externalRequest]);
    const saved = saveReport(offline, ANN, analyticsReport());
    expect(saved.config.schedule).toEqual({ kind: 'none' });
    expect(() =>
      fromSidebar(offline, 'saveReport', analyticsReport({ name: 'Hourly', schedule: { kind: 'hourly' } })),
    ).toThrow(refusalNaming(SCOPES.externalRequest));
    expect(reports(offline).map((summary) => summary.config.name)).toEqual(['Campaign performance']);
    expect(offline.world.triggers).toEqual([]);
  });
});

describe('a user without “Allow this application to run when you are not present” (script.scriptapp)', () => {
  it('signs in: apps-script-oauth2’s state token and redirect URI need no scope', () => {
    const offline = connectedWorld('bob@example.com');
    offline.world.withholdScopes(ANN, [SCOPES.scriptApp]);
    signIn(offline, ANN);
    expect(status(offline, ANN).connected).toBe(true);
  });

  it('is told before a scheduled save, and nothing is saved: no report, no schedule, no trigger', () => {
    const offline = connectedWorld(ANN);
    offline.world.withholdScopes(ANN, [SCOPES.scriptApp]);
    expect(() =>
      fromSidebar(offline, 'saveReport', analyticsReport({ schedule: { kind: 'daily', hour: 6 } })),
    ).toThrow(refusalNaming(SCOPES.scriptApp));
    expect(reports(offline)).toEqual([]);
    expect(offline.world.triggers).toEqual([]);
    expect(offline.world.userProperties.get(ANN)?.entries.get('schedules.spreadsheets') ?? null).toBeNull();
    // Without a schedule the report saves and runs.
    const saved = saveReport(offline, ANN, analyticsReport());
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
  });

  it('unschedules and deletes reports scheduled before it was withdrawn, leaving the trigger as it is', () => {
    const offline = connectedWorld(ANN);
    const scheduled = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    expect(offline.world.triggers).toHaveLength(1);
    offline.world.withholdScopes(ANN, [SCOPES.scriptApp]);
    const unscheduled = saveReport(offline, ANN, { ...scheduled.config, schedule: { kind: 'none' } });
    expect(unscheduled.config.schedule).toEqual({ kind: 'none' });
    expect(fromSidebar(offline, 'deleteReport', scheduled.config.id)).toEqual([]);
    expect(offline.world.triggers).toHaveLength(1);
    // The trigger left behind finds nothing to run, and says nothing.
    const runs = offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
    expect(runs.map((run) => run.error)).toEqual([undefined]);
    expect(offline.world.outbox).toEqual([]);
  });
});

describe('a user without “Send email as you” (script.send_mail)', () => {
  it('saves a scheduled report, saying a failure will show on its card but not be emailed', () => {
    const offline = connectedWorld(ANN);
    offline.world.withholdScopes(ANN, [SCOPES.sendMail]);
    const saved = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    expect(saved.config.schedule).toEqual({ kind: 'hourly' });
    expect(saved.notice).toContain(`${WORDS[SCOPES.sendMail]} was not given, so if a scheduled import fails`);
    expect(offline.world.triggers).toHaveLength(1);
  });

  it.each<MissingScopeInTrigger>(['ends', 'throws'])(
    'runs every due import and records a failure on its card without emailing (a missing scope %s a trigger)',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.missingScopeInTrigger = reading;
      const { failing, working } = failingAndWorkingSchedules(offline, ANN);
      offline.world.withholdScopes(ANN, [SCOPES.sendMail]);
      const runs = offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
      expect(runs.map((run) => run.error)).toEqual([undefined]);
      expect(stateOf(offline, ANN, failing.config.id).lastError).toContain('LinkedIn refused access');
      expect(stateOf(offline, ANN, working.config.id)).toMatchObject({
        lastError: null,
        lastSuccessAt: expect.any(Number),
      });
      expect(offline.world.outbox).toEqual([]);
    },
  );
});

describe('a user without “See your primary Google Account email address” (userinfo.email)', () => {
  it.each(['blank', 'throws'] as const)(
    'lists and saves reports, and is asked for it before a scheduled save (getEmail without it: %s)',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.emailWithoutScope = reading;
      offline.world.withholdScopes(ANN, [SCOPES.userEmail]);
      const saved = saveReport(offline, ANN, analyticsReport());
      expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
      expect(() =>
        fromSidebar(offline, 'saveReport', analyticsReport({ name: 'Hourly', schedule: { kind: 'hourly' } })),
      ).toThrow(refusalNaming(SCOPES.userEmail));
      expect(reports(offline)).toHaveLength(1);
      expect(offline.world.triggers).toEqual([]);
    },
  );
});

describe('when getAuthorizedScopes() gives null (its reference allows it)', () => {
  it('still tells exactly which permission is missing, asking scope by scope', () => {
    const offline = connectedWorld(ANN);
    offline.world.listsAuthorizedScopes = false;
    const report = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.withholdScopes(ANN, [SCOPES.externalRequest, SCOPES.sendMail]);
    let refusal = '';
    try {
      fromSidebar(offline, 'runReportNow', report.config.id);
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(refusalNaming(SCOPES.externalRequest));
    expect(refusal).not.toContain(WORDS[SCOPES.spreadsheets]);
    offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
    expect(stateOf(offline, ANN, report.config.id).lastError).toContain(
      `permission to ${WORDS[SCOPES.externalRequest]}, which`,
    );
  });
});

describe('a user who withdrew “See your primary Google Account email address” after scheduling', () => {
  it.each(['blank', 'throws'] as const)(
    'keeps their schedules and trigger while using the sidebar, and they run once it is granted again (getEmail without it: %s)',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.emailWithoutScope = reading;
      const hourly = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
      const properties = () => Object.fromEntries(offline.world.userProperties.get(ANN)!.entries);
      const scheduledBefore = Object.keys(properties()).filter((key) => key.startsWith('sheet.'));
      offline.world.withholdScopes(ANN, [SCOPES.userEmail]);
      // Which reports are theirs cannot be told from the address: the sidebar leaves their
      // schedules alone, and their own copies say the scheduled one is theirs.
      expect(reports(offline).map((summary) => summary.scheduledByOther)).toEqual([null]);
      saveReport(offline, ANN, analyticsReport({ name: 'By hand', sheetName: 'By hand' }));
      expect(Object.keys(properties()).filter((key) => key.startsWith('sheet.'))).toEqual(
        expect.arrayContaining(scheduledBefore),
      );
      expect(offline.world.triggers).toHaveLength(1);
      offline.world.addGrantedScopes(ANN, [SCOPES.userEmail]);
      offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
      expect(stateOf(offline, ANN, hourly.config.id)).toMatchObject({
        lastError: null,
        lastSuccessAt: expect.any(Number),
      });
    },
  );
});

describe('a user who withdrew “Allow this application to run when you are not present” after scheduling', () => {
  it.each([
    ['deleted their trigger', 'fire'],
    ['kept a trigger Google does not fire (not documented)', 'skip'],
  ] as const)('and %s is told on the card, and once granted the schedule runs again', (_case, firing) => {
    const offline = connectedWorld(ANN);
    offline.world.triggersWithoutScriptApp = firing;
    const hourly = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.withholdScopes(ANN, [SCOPES.scriptApp]);
    if (firing === 'fire') offline.world.triggers = [];
    const hourlyTrigger = offline.world.triggers;
    offline.world.advanceTimeTo(offline.clock.now() + 5 * HOUR);
    const [held] = reports(offline);
    expect(held.state.lastSuccessAt).toBeNull();
    expect(held.scheduleHeld).toMatch(
      new RegExp(
        `^Scheduled imports are not running: the hourly run needs Google’s permission to ${WORDS[SCOPES.scriptApp]}.*${GRANT}`,
      ),
    );
    expect(offline.world.triggers).toEqual(hourlyTrigger);
    offline.world.addGrantedScopes(ANN, [SCOPES.scriptApp]);
    const [granted] = reports(offline);
    expect(granted.scheduleHeld).toBeNull();
    expect(offline.world.triggers).toEqual([
      expect.objectContaining({
        user: ANN,
        handler: 'runScheduledReports',
        schedule: { kind: 'hourly', everyHours: 1 },
      }),
    ]);
    offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
    expect(stateOf(offline, ANN, hourly.config.id)).toMatchObject({
      lastError: null,
      lastSuccessAt: expect.any(Number),
    });
  });
});

describe('a user without “See, edit, create, and delete all your Google Sheets spreadsheets”', () => {
  it('is told in words by the sidebar, not with Apps Script’s exception', () => {
    const offline = connectedWorld(ANN);
    offline.world.withholdScopes(ANN, [SCOPES.spreadsheets]);
    for (const name of ['listReports', 'getCatalog'])
      expect(() => fromSidebar(offline, name)).toThrow(refusalNaming(SCOPES.spreadsheets));
    expect(() => fromSidebar(offline, 'saveReport', analyticsReport())).toThrow(
      refusalNaming(SCOPES.spreadsheets),
    );
  });

  it('is told what it was doing: deleting, cancelling, showing a tab, checking a destination', () => {
    const offline = connectedWorld(ANN);
    const saved = saveReport(offline, ANN, analyticsReport());
    offline.world.withholdScopes(ANN, [SCOPES.spreadsheets]);
    const doing = (name: string, ...args: unknown[]) => {
      try {
        fromSidebar(offline, name, ...args);
        return 'done';
      } catch (error) {
        return (error as Error).message.split(' needs ')[0];
      }
    };
    expect([
      doing('deleteReport', saved.config.id),
      doing('cancelReport', saved.config.id),
      doing('openReportTab', saved.config.id),
      doing('checkDestination', 'https://docs.google.com/spreadsheets/d/abc/edit'),
    ]).toEqual([
      'Deleting a report',
      'Cancelling an import',
      'Showing where a report’s rows are',
      'Checking where a report writes',
    ]);
  });
});

describe('menu items ask Google for what they need', () => {
  it('Open sidebar shows Google’s prompt for what is missing, and the sidebar once it is granted', () => {
    const offline = connectedWorld(ANN);
    const { world } = offline;
    world.withholdScopes(ANN, [SCOPES.containerUi, SCOPES.sendMail]);
    expect(() => world.run(ANN, 'showSidebar')).toThrow('Authorization is required to perform that action.');
    expect(world.ui(ANN).consentPrompts).toEqual([[SCOPES.containerUi]]);
    expect(world.ui(ANN).sidebar).toBeNull();
    world.addGrantedScopes(ANN, [SCOPES.containerUi]);
    world.run(ANN, 'showSidebar');
    expect(world.ui(ANN).sidebar).not.toBeNull();
    expect(world.ui(ANN).consentPrompts).toHaveLength(1);
  });

  it('Connect LinkedIn asks for “Connect to an external service” before any sign-in starts', () => {
    const offline = connectedWorld('bob@example.com');
    const { world } = offline;
    fromSidebar(offline, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    world.withholdScopes(ANN, [SCOPES.externalRequest]);
    expect(() => world.run(ANN, 'connectLinkedIn')).toThrow(
      'Authorization is required to perform that action.',
    );
    expect(world.ui(ANN).consentPrompts).toEqual([[SCOPES.externalRequest]]);
    expect(world.ui(ANN).dialogs).toEqual([]);
  });

  it('Grant permissions asks for every permission not granted, and says when there is none', () => {
    const offline = connectedWorld(ANN);
    const { world } = offline;
    world.withholdScopes(ANN, [SCOPES.scriptApp, SCOPES.sendMail]);
    expect(() => world.run(ANN, 'grantPermissions')).toThrow(
      'Authorization is required to perform that action.',
    );
    expect(world.ui(ANN).consentPrompts).toEqual([[SCOPES.scriptApp, SCOPES.sendMail]]);
    world.addGrantedScopes(ANN, [SCOPES.scriptApp, SCOPES.sendMail]);
    world.run(ANN, 'grantPermissions');
    expect(world.ui(ANN).alerts).toEqual(['LinkedIn Data has every permission it asks Google for.']);
  });
});

describe('a scheduled run that finds a permission missing', () => {
  const withheld: Array<[string, keyof typeof WORDS]> = [
    ['script.external_request', SCOPES.externalRequest],
    ['userinfo.email', SCOPES.userEmail],
    ['spreadsheets', SCOPES.spreadsheets],
  ];
  const readings: MissingScopeInTrigger[] = ['ends', 'throws'];

  describe.each(withheld)('without %s', (_name, scope) => {
    it.each(readings)(
      'says on the due cards what is missing and how to grant it, emails once, touches no tab, and runs once granted (a missing scope %s a trigger)',
      (reading) => {
        const offline = connectedWorld(ANN);
        offline.world.missingScopeInTrigger = reading;
        const hourly = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
        runNow(offline, ANN, hourly.config.id);
        const firstSuccess = stateOf(offline, ANN, hourly.config.id).lastSuccessAt!;
        const rows = sheetValues(offline, 'LinkedIn Ads');
        offline.world.withholdScopes(ANN, [scope]);
        const calls = fetches(offline);
        const runs = offline.world.advanceTimeTo(offline.clock.now() + 2.5 * HOUR);
        expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
        expect(fetches(offline)).toBe(calls);
        expect(sheetValues(offline, 'LinkedIn Ads', 'bob@example.com')).toEqual(rows);
        // Opening the sidebar takes the spreadsheets permission; without the others the card shows.
        if (scope === SCOPES.spreadsheets) offline.world.addGrantedScopes(ANN, [scope]);
        expect(stateOf(offline, ANN, hourly.config.id).lastError).toMatch(
          new RegExp(`did not run: it needs Google’s permission to ${WORDS[scope]}.*Grant permissions`),
        );
        // Once, when the failures start: not again the next hour.
        expect(offline.world.outbox.map((mail) => [mail.to, mail.subject])).toEqual([
          [ANN, 'LinkedIn Data: “Campaign performance” did not refresh'],
        ]);
        expect(offline.world.outbox[0].body).toContain(WORDS[scope]);
        offline.world.addGrantedScopes(ANN, [scope]);
        offline.world.advanceTimeTo(offline.clock.now() + HOUR);
        const after = stateOf(offline, ANN, hourly.config.id);
        expect(after.lastError).toBeNull();
        expect(after.lastSuccessAt).toBeGreaterThan(firstSuccess);
        expect(fetches(offline)).toBeGreaterThan(calls);
      },
    );
  });

  it('says an unfinished scheduled import waits for the permission, not for the next hourly run', () => {
    // At 300 s a request the first run's lookups outlast its 4.5 minutes: the analytics wait for the next run.
    const offline = connectedWorld(ANN, { latency: { baseMs: 300_000, perElementMs: 0 } });
    const report = analyticsReport({
      pivot: 'CREATIVE',
      dateRange: { preset: 'custom', start: '2024-01-01', end: '2025-12-31' },
      schedule: { kind: 'hourly' },
    });
    const saved = saveReport(offline, ANN, report);
    offline.world.advanceTimeTo(offline.clock.now() + HOUR + 5 * 60_000);
    expect(reports(offline)[0].running?.message).toBe(
      'Part of this scheduled import is done; the rest is fetched on the next hourly run.',
    );
    offline.world.withholdScopes(ANN, [SCOPES.externalRequest]);
    offline.world.advanceTimeTo(offline.clock.now() + HOUR);
    const [held] = reports(offline);
    expect(held.state.lastError).toContain(`permission to ${WORDS[SCOPES.externalRequest]}`);
    expect(held.running?.message).toBe(
      'Part of this scheduled import is done; the rest is fetched on the first hourly run after the problem above is fixed.',
    );
    offline.world.addGrantedScopes(ANN, [SCOPES.externalRequest]);
    offline.world.advanceTimeTo(offline.clock.now() + 6 * HOUR);
    const [finished] = reports(offline);
    expect(finished.running).toBeNull();
    expect(finished.state).toMatchObject({ lastError: null, lastSuccessAt: expect.any(Number) });
    expect(stateOf(offline, ANN, saved.config.id).lastRows).toBeGreaterThan(0);
  });

  it.each(readings)(
    'without “Send email as you” too, says it on the card and sends nothing (a missing scope %s a trigger)',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.missingScopeInTrigger = reading;
      const hourly = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
      offline.world.withholdScopes(ANN, [SCOPES.externalRequest, SCOPES.sendMail]);
      const runs = offline.world.advanceTimeTo(offline.clock.now() + 1.5 * HOUR);
      expect(runs.map((run) => run.error)).toEqual([undefined]);
      expect(stateOf(offline, ANN, hourly.config.id).lastError).toContain(
        `permission to ${WORDS[SCOPES.externalRequest]}`,
      );
      expect(offline.world.outbox).toEqual([]);
    },
  );
});
