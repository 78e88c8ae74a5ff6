import { totalFollowers } from '../../sandbox/linkedin/pages-data';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { connectedWorld } from '../helpers/connect';
import {
  apiTraffic,
  lifetimeReport,
  runNow,
  saveReport,
  stateOf,
  tableOf,
  trafficMark,
} from '../helpers/reports';

// A page's total followers over time (LinkedIn's networkSizes), through the built add-on.

const ANN = 'ann@example.com';
const DAY = 86_400_000;
const PAGES = [10000001, 10000002];

const report = () => lifetimeReport('follower_count');
/** A count as the tab displays it: an integer column groups thousands. */
const shown = (count: number) => count.toLocaleString('en-US');

/** The page stops being one of the member's: its admin role is gone on LinkedIn's side. */
const loseAdminRole = (offline: OfflineWorld, organizationId: number) => {
  const member = offline.linkedin.data.members.find((candidate) => candidate.id === 'sim1Person')!;
  member.organizationRoles = member.organizationRoles.filter(
    (role) => role.organizationId !== organizationId,
  );
};

describe('Follower count', () => {
  it('writes each page’s total followers in one round trip, and a run on another day adds a dated snapshot beside the first', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const saved = saveReport(offline, ANN, report());
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    const traffic = apiTraffic(offline, from);
    const rows = tableOf(offline, 'follower_count');
    expect(done).toMatchObject({
      status: 'done',
      rowsWritten: 2,
      message: '2 rows written to “follower_count”.',
    });
    // The names and both counts go out together.
    expect(traffic).toMatchObject({ requests: 3, roundTrips: 1 });
    const counts = offline.linkedin.calls.filter((call) => call.path.startsWith('/rest/networkSizes/'));
    expect(counts.map((call) => [call.path, call.rawQuery])).toEqual(
      PAGES.map((id) => [
        `/rest/networkSizes/urn%3Ali%3Aorganization%3A${id}`,
        'edgeType=COMPANY_FOLLOWED_BY_MEMBER',
      ]),
    );
    const firstDay = offline.clock.now();
    /** The rows a snapshot taken at `at` writes, as the tab displays them. */
    const expected = (at: number) =>
      PAGES.map((id) => ({
        'Snapshot date': new Date(at).toISOString().slice(0, 10),
        'Page ID': String(id),
        Followers: shown(totalFollowers(offline.linkedin.data, id, at)),
      }));
    const withoutNames = (table: Array<Record<string, string>>) =>
      table.map(({ Page: _page, ...row }) => row);
    expect(Object.keys(rows[0])).toEqual(['Snapshot date', 'Page ID', 'Page', 'Followers']);
    expect(withoutNames(rows)).toEqual(expected(firstDay));
    expect(rows.map((row) => row.Page)).toEqual(['Northwind Analytics', 'Contoso Robotics']);

    offline.clock.advance(DAY);
    expect(runNow(offline, ANN, saved.config.id).at(-1)).toMatchObject({ status: 'done', rowsWritten: 2 });
    const both = withoutNames(tableOf(offline, 'follower_count'));
    expect(both).toEqual([...expected(firstDay), ...expected(offline.clock.now())]);
    // The simulated pages gain followers by the day, so the two snapshots differ.
    expect(both[2].Followers).not.toBe(both[0].Followers);
  });

  it('writes the pages LinkedIn answers and says which page it refused and why', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const saved = saveReport(offline, ANN, report());
    loseAdminRole(offline, 10000002);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done).toMatchObject({ status: 'done', rowsWritten: 1 });
    expect(done.message).toMatch(/^1 row written to “follower_count”\. /);
    expect(done.message).toContain(
      "LinkedIn refused the follower count of page 10000002 (HTTP 403): your LinkedIn account may no longer be an administrator of it. It has no row this run; the other pages' counts are written.",
    );
    expect(stateOf(offline, ANN, saved.config.id).lastNote).toContain(
      'refused the follower count of page 10000002',
    );
    expect(tableOf(offline, 'follower_count').map((row) => [row['Page ID'], row.Followers])).toEqual([
      ['10000001', shown(totalFollowers(offline.linkedin.data, 10000001, offline.clock.now()))],
    ]);
  });

  it('writes the other pages when one is no longer on LinkedIn, and says so', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const saved = saveReport(offline, ANN, report());
    offline.linkedin.data.organizations.delete(10000002);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done).toMatchObject({ status: 'done', rowsWritten: 1 });
    expect(done.message).toContain(
      "LinkedIn refused the follower count of page 10000002 (HTTP 404): the page is no longer on LinkedIn (deleted or deactivated), or the ID is wrong. It has no row this run; the other pages' counts are written.",
    );
    expect(tableOf(offline, 'follower_count').map((row) => row['Page ID'])).toEqual(['10000001']);
  });

  it('fails the run with the scope and role it needs when LinkedIn refuses every page', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const saved = saveReport(offline, ANN, report());
    for (const id of PAGES) loseAdminRole(offline, id);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.message).toContain(
      'LinkedIn refused follower count: it needs the rw_organization_admin scope and an admin role on the page.',
    );
    expect(tableOf(offline, 'follower_count')).toEqual([]);
  });
});
