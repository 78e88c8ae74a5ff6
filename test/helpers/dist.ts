import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DIST_DIR = join(__dirname, '..', '..', 'dist');

/** The built project as clasp pushes it; `npm test` builds it before jest runs. */
export function distFiles(): Record<string, string> {
  if (!existsSync(join(DIST_DIR, 'Code.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does).');
  return Object.fromEntries(
    readdirSync(DIST_DIR).map((file) => [file, readFileSync(join(DIST_DIR, file), 'utf8')]),
  );
}
