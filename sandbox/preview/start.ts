// `npm start`: the add-on offline, in a browser, with no Google or LinkedIn account.
import { resolve } from 'node:path';
import { startPreview } from './server';

const port = Number(process.env.PORT ?? 8787);
const preview = await startPreview({
  projectDir: resolve('dist'),
  stateFile: resolve('.preview-state/world.json'),
  port,
});
console.log(`LinkedIn Data offline preview: ${preview.url}`);
console.log(
  'Emulated Google Sheets and simulated LinkedIn; the state is saved in .preview-state/ (delete it to start over).',
);
