// `npm start`: the add-on offline, in a browser, with no Google or LinkedIn account.
// With LINKEDIN_ACCESS_TOKEN set, the emulated add-on calls the real LinkedIn API with that token
// (LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET optional, to check the token by introspection).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rollup } from 'rollup';
import { loadConfigFile } from 'rollup/loadConfigFile';
import { startPreview } from './server';

/** Builds dist/ as `npm run build` does; PREVIEW_BUILD=0 serves the dist/ already there. */
async function build(): Promise<void> {
  const { options, warnings } = await loadConfigFile(resolve('rollup.config.js'), {});
  warnings.flush();
  for (const bundleOptions of options) {
    const bundle = await rollup(bundleOptions);
    await Promise.all(bundleOptions.output.map((output) => bundle.write(output)));
    await bundle.close();
  }
}

/** A process's parent, where /proc tells (Linux); elsewhere the shell runs the script in npm's own child. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (process.env.PREVIEW_BUILD !== '0') await build();

const port = Number(process.env.PORT ?? 8787);
const liveToken = process.env.LINKEDIN_ACCESS_TOKEN;
const stateDir = process.env.PREVIEW_STATE ?? (liveToken ? '.preview-state/live' : '.preview-state');
const preview = await startPreview({
  projectDir: resolve('dist'),
  stateDir: resolve(stateDir),
  port,
  live: liveToken
    ? {
        accessToken: liveToken,
        clientId: process.env.LINKEDIN_CLIENT_ID,
        clientSecret: process.env.LINKEDIN_CLIENT_SECRET,
      }
    : undefined,
});
console.log(`LinkedIn Data offline preview: ${preview.url}`);
const stop = () => void preview.close().then(() => process.exit(0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
// npm runs this through a shell, and neither passes every signal on (dash passes none, npm
// not SIGHUP): when either ends, so does the preview, and with it the simulator (which stops
// when its stdin, held by this process, closes).
const watched = [process.ppid, parentOf(process.ppid)].filter((pid): pid is number => pid !== null);
setInterval(() => watched.every(isRunning) || stop(), 250).unref();
console.log(
  liveToken
    ? 'Emulated Google Sheets and the REAL LinkedIn API, with the token from LINKEDIN_ACCESS_TOKEN.'
    : `Emulated Google Sheets and simulated LinkedIn; the state is saved in ${stateDir} (delete it to start over).`,
);
