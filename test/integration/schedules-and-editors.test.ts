/**
 * Two editors save, take over, unschedule and delete scheduled reports at random, some saves
 * and deletes stopped partway, while their hourly triggers run. Whatever happens, a trigger
 * hour writes only into tabs of reports scheduled as saved (never a stale or deleted report),
 * and once both have opened the sidebar, every scheduled report runs.
 */
import { ExecutionTimeExceeded } from '../../sandbox/apps-script/execution';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { connectedWorld, signIn } from '../helpers/connect';
import { analyticsReport, type Summary } from '../helpers/reports';
import { ReportStore } from '../../src/server/reports/store';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const USERS = [ANN, BOB];
const TABS = ['North', 'South', 'East', 'West'];
const HOUR = 3_600_000;
const SEEDS = Number(process.env.FAULT_KILL_SEEDS ?? 6);

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Config = Summary['config'] & { schedule: { kind: string } };

function seeded(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

const reportsOf = (offline: OfflineWorld, user: string) =>
  (offline.world.callFromSidebar(user, 'listReports') as Array<Summary & { config: Config }>).map(
    (summary) => summary.config,
  );

/** Each tab's rows, read as the data behind the grid (no execution, so no stop point is passed). */
const rowsByTab = (offline: OfflineWorld) =>
  new Map(offline.world.spreadsheet.sheets.map((sheet) => [sheet.name, sheet.values.length]));

/** Empties the report tabs, as a user deleting rows would: the next writes show which tabs a trigger hour wrote. */
function emptyTabs(offline: OfflineWorld): void {
  offline.world.execute(ANN, (scope: Scope) => {
    for (const name of TABS) scope.SpreadsheetApp.getActive().getSheetByName(name)?.clear();
  });
}

/** The reports as saved, read without listing them (a listing puts the saved schedules right). */
const savedReports = (offline: OfflineWorld) =>
  offline.world.execute(ANN, (scope: Scope) =>
    new ReportStore(scope.PropertiesService.getDocumentProperties()).list(),
  ) as Config[];

/**
 * A call that Apps Script may stop partway (`stop` names the point); a stop, or a refusal in
 * words (a tab another report writes), is part of the game, a crash is not.
 */
function attempt(offline: OfflineWorld, stop: string | null, call: () => unknown): void {
  offline.world.stopAt = (point) => point === stop;
  try {
    call();
  } catch (error) {
    if (
      !(error instanceof ExecutionTimeExceeded) &&
      /^(TypeError|ReferenceError)$/.test((error as Error).name)
    )
      throw error;
  } finally {
    offline.world.stopAt = () => false;
  }
}

describe.each(Array.from({ length: SEEDS }, (_, index) => index + 1))(
  'two editors and their schedules, seed %i',
  (seed) => {
    it('write only into tabs of reports scheduled as saved, and run every one once both have listed', () => {
      const random = seeded(seed * 48_271);
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
      const offline = connectedWorld(ANN);
      signIn(offline, BOB, 'sim1Person');
      const stops = [null, null, 'after metadata setValue', 'setProperties'];
      let checkedHours = 0;
      for (let step = 0; step < 40; step++) {
        const user = pick(USERS);
        const reports = savedReports(offline);
        const roll = random();
        if (roll < 0.5 || reports.length === 0) {
          const report = reports.length > 1 && random() < 0.6 ? pick(reports) : null;
          const change = {
            ...(report ?? analyticsReport({ name: `Report ${step}`, dateRange: { preset: 'last_7_days' } })),
            sheetName: pick(TABS),
            schedule: random() < 0.75 ? { kind: 'hourly' } : { kind: 'none' },
          };
          attempt(offline, pick(stops), () => offline.world.callFromSidebar(user, 'saveReport', change));
        } else if (roll < 0.56) {
          attempt(offline, pick(stops), () =>
            offline.world.callFromSidebar(user, 'deleteReport', pick(reports).id),
          );
        } else if (roll < 0.7) {
          reportsOf(offline, user);
        } else {
          emptyTabs(offline);
          const saved = savedReports(offline).filter((config) => config.schedule.kind !== 'none');
          offline.world.advanceTimeTo(offline.clock.now() + HOUR);
          const scheduledTabs = new Set(saved.map((config) => config.sheetName));
          for (const [tab, rows] of rowsByTab(offline))
            if (TABS.includes(tab) && rows > 0) expect([tab, scheduledTabs.has(tab)]).toEqual([tab, true]);
          checkedHours++;
        }
      }
      expect(checkedHours).toBeGreaterThan(0);
      // Both open the sidebar; then every scheduled report runs within the hour.
      for (const user of USERS) reportsOf(offline, user);
      emptyTabs(offline);
      const scheduled = savedReports(offline).filter((config) => config.schedule.kind !== 'none');
      offline.world.advanceTimeTo(offline.clock.now() + HOUR);
      const rows = rowsByTab(offline);
      expect(scheduled.map((config) => [config.name, (rows.get(config.sheetName) ?? 0) > 1])).toEqual(
        scheduled.map((config) => [config.name, true]),
      );
    });
  },
);
