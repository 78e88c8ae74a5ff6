import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const stateDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Whether any process of the group (npm, its shell, the preview, the simulator) is still running. */
function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm start` as a developer runs it, in a process group of its own; dist/ is the one npm test built. */
async function npmStart(): Promise<{ npm: ChildProcess; url: string; output: () => string }> {
  const npm = spawn('npm', ['start'], {
    env: { ...process.env, PORT: '0', PREVIEW_BUILD: '0', PREVIEW_STATE: stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  npm.stdout!.on('data', (chunk) => (output += String(chunk)));
  await until(() => /offline preview: (\S+)/.test(output), 60_000);
  return { npm, url: /offline preview: (\S+)/.exec(output)![1], output: () => output };
}

const serving = (url: string) =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  );

describe('npm start', () => {
  // A signal to the npm process, as `kill` or a process manager sends it; Ctrl-C, which the
  // terminal sends to every process of the foreground group.
  const stops = [
    { how: 'SIGTERM to the npm process', send: (npm: ChildProcess) => npm.kill('SIGTERM') },
    { how: 'SIGHUP to the npm process', send: (npm: ChildProcess) => npm.kill('SIGHUP') },
    { how: 'Ctrl-C', send: (npm: ChildProcess) => process.kill(-npm.pid!, 'SIGINT') },
  ];
  for (const { how, send } of stops) {
    it(`stops the preview and the simulator it spawned on ${how}`, async () => {
      const { npm, url, output } = await npmStart();
      try {
        expect(await serving(url)).toBe(true);
        // Where the state lives is where PREVIEW_STATE put it, so "delete it to start over" works.
        await until(() => output().includes('the state is saved in'), 10_000);
        expect(output()).toContain(`the state is saved in ${stateDir} (delete it to start over)`);
        send(npm);
        await until(async () => !(await serving(url)), 10_000);
        await until(() => !groupAlive(npm.pid!), 10_000);
      } finally {
        if (groupAlive(npm.pid!)) process.kill(-npm.pid!, 'SIGKILL');
      }
    });
  }
});
