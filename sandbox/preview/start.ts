// `npm start`: the add-on offline, in a browser, with no Google or LinkedIn account.
// With LINKEDIN_ACCESS_TOKEN set, the emulated add-on calls the real LinkedIn API with that token
// (LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET optional, to check the token by introspection).
import { resolve } from 'node:path';
import { startPreview } from './server';

const port = Number(process.env.PORT ?? 8787);
const liveToken = process.env.LINKEDIN_ACCESS_TOKEN;
const preview = await startPreview({
  projectDir: resolve('dist'),
  stateDir: resolve(liveToken ? '.preview-state/live' : '.preview-state'),
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
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void preview.close().then(() => process.exit(0)));
console.log(
  liveToken
    ? 'Emulated Google Sheets and the REAL LinkedIn API, with the token from LINKEDIN_ACCESS_TOKEN.'
    : 'Emulated Google Sheets and simulated LinkedIn; the state is saved in .preview-state/ (delete it to start over).',
);
