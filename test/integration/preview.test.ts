import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCHIVE_SPREADSHEET, startPreview, type Preview } from '../../sandbox/preview/server';
import { DIST_DIR } from '../helpers/dist';
import { analyticsReport, type Progress, type Summary } from '../helpers/reports';

const stateDir = mkdtempSync(join(tmpdir(), 'preview-state-'));
let preview: Preview | null = null;

afterEach(async () => {
  await preview?.close();
  preview = null;
});

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** What google.script.run does in the preview: a POST that runs the server function in the emulation. */
async function run(name: string, ...args: unknown[]): Promise<unknown> {
  const answer = (await (
    await fetch(`${preview!.url}api/run/${name}`, { method: 'POST', body: JSON.stringify(args) })
  ).json()) as { ok: boolean; value?: unknown; error?: string };
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

const world = async () =>
  (await (await fetch(`${preview!.url}api/world`)).json()) as {
    spreadsheets: Array<{ name: string; sheets: Array<{ name: string; rows: number }> }>;
  };
const sheetRows = (view: Awaited<ReturnType<typeof world>>) =>
  view.spreadsheets[0].sheets.find((sheet) => sheet.name === 'LinkedIn Ads')?.rows ?? 0;

/** The sign-in popup: the simulator's consent page through the preview, then Allow. */
async function signInThroughConsentPage(): Promise<string> {
  const { authorizationUrl } = (await run('startLinkedInSignIn', ['ads'])) as { authorizationUrl: string };
  const consentUrl = `${preview!.url}linkedin/oauth/v2/authorization${new URL(authorizationUrl).search}`;
  const consentPage = await (await fetch(consentUrl)).text();
  expect(consentPage).toContain('LinkedIn <small style="color:#666">(simulated)</small>');
  const answer = await fetch(consentUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'member=sim1Person&decision=allow',
  });
  return answer.text();
}

describe('the offline preview', () => {
  it('reaches the simulator over HTTP and keeps the connection, the sheet and the clock across a restart', async () => {
    preview = await startPreview({ projectDir: DIST_DIR, stateDir });
    expect(await signInThroughConsentPage()).toContain('LinkedIn is connected');
    const accounts = (await run('listLinkedInAdAccounts')) as Array<{ name: string }>;
    expect(accounts.map((account) => account.name)).toEqual([
      'Analyst Co. Ads 1',
      'Analyst Co. Ads 2',
      'Analyst Co. Ads 3',
    ]);
    // UrlFetchApp went out over HTTP to the simulator's process: this world has no simulator of its own.
    expect(preview.world.fetchLog.map((call) => new URL(call.url).host)).toContain('api.linkedin.com');
    const [report] = (await run('saveReport', analyticsReport())) as Summary[];
    let progress = (await run('runReportNow', report.config.id)) as Progress;
    while (progress.status === 'running')
      progress = (await run('continueReport', report.config.id)) as Progress;
    expect(progress.status).toBe('done');
    const rowsBefore = sheetRows(await world());
    expect(rowsBefore).toBeGreaterThan(30);
    // A report into the preview's other spreadsheet, by its link.
    const [, archived] = (await run('saveReport', {
      ...analyticsReport({ name: 'Archived', sheetName: 'Archived' }),
      writeTo: {
        kind: 'link',
        link: `https://docs.google.com/spreadsheets/d/${ARCHIVE_SPREADSHEET.id}/edit`,
      },
    })) as Summary[];
    progress = (await run('runReportNow', archived.config.id)) as Progress;
    while (progress.status === 'running')
      progress = (await run('continueReport', archived.config.id)) as Progress;
    const archivedTab = (view: Awaited<ReturnType<typeof world>>) =>
      view.spreadsheets
        .find((spreadsheet) => spreadsheet.name === ARCHIVE_SPREADSHEET.name)
        ?.sheets.find((sheet) => sheet.name === 'Archived')?.rows;
    expect(archivedTab(await world())).toBe(rowsBefore);
    await fetch(`${preview.url}api/advance`, { method: 'POST', body: JSON.stringify({ hours: 30 }) });
    const movedTo = preview.world.clock.now();
    await preview.close();
    expect(existsSync(join(stateDir, 'world.json'))).toBe(true);
    expect(existsSync(join(stateDir, 'linkedin.json'))).toBe(true);

    preview = await startPreview({ projectDir: DIST_DIR, stateDir });
    expect(preview.world.clock.now()).toBe(movedTo);
    expect(sheetRows(await world())).toBe(rowsBefore);
    expect(archivedTab(await world())).toBe(rowsBefore);
    expect(await run('getConnection')).toMatchObject({ connected: true });
    // The token the simulator issued before the restart still opens the API.
    const again = (await run('listLinkedInAdAccounts')) as Array<{ name: string }>;
    expect(again).toHaveLength(3);
  });

  it('says so when the sign-in is cancelled on the consent page, and stays disconnected', async () => {
    preview = await startPreview({ projectDir: DIST_DIR });
    const { authorizationUrl } = (await run('startLinkedInSignIn', ['ads'])) as { authorizationUrl: string };
    const answer = await fetch(
      `${preview.url}linkedin/oauth/v2/authorization${new URL(authorizationUrl).search}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'member=sim1Person&decision=cancel',
      },
    );
    expect(await answer.text()).toContain('You cancelled the LinkedIn sign-in. Nothing was changed');
    expect(await run('getConnection')).toMatchObject({ connected: false });
  });

  it('keeps the Google permissions unticked across a restart, and refuses a list it cannot grant', async () => {
    const permissionsDir = mkdtempSync(join(tmpdir(), 'preview-permissions-'));
    try {
      const permissions = async () =>
        (
          (await (await fetch(`${preview!.url}api/world`)).json()) as {
            googlePermissions: { declared: string[]; granted: string[] };
          }
        ).googlePermissions;
      const post = (body: string) => fetch(`${preview!.url}api/permissions`, { method: 'POST', body });
      preview = await startPreview({ projectDir: DIST_DIR, stateDir: permissionsDir });
      const { declared } = await permissions();
      const external = declared.find((scope) => scope.endsWith('/script.external_request'))!;
      expect(
        (await post(JSON.stringify({ granted: declared.filter((scope) => scope !== external) }))).status,
      ).toBe(200);
      await preview.close();
      preview = await startPreview({ projectDir: DIST_DIR, stateDir: permissionsDir });
      expect((await permissions()).granted).toEqual(declared.filter((scope) => scope !== external));
      await expect(run('testLinkedInConnection')).rejects.toThrow('“Connect to an external service”');
      const refused = await post(JSON.stringify({ granted: 'https://www.googleapis.com/auth/drive' }));
      expect([refused.status, await refused.text()]).toEqual([400, 'granted must be a list of scopes']);
      const undeclared = await post(JSON.stringify({ granted: ['https://www.googleapis.com/auth/drive'] }));
      expect([undeclared.status, await undeclared.text()]).toEqual([
        400,
        'The manifest does not ask for https://www.googleapis.com/auth/drive.',
      ]);
      expect((await permissions()).granted).toEqual(declared.filter((scope) => scope !== external));
    } finally {
      rmSync(permissionsDir, { recursive: true, force: true });
    }
  });
});
