// The offline preview (sidebar beside a live emulated spreadsheet) is issue 8 and not built yet.
// Until then `npm start` builds the add-on and says honestly where it is.
import { resolve } from 'node:path';

console.log(`Built the add-on into ${resolve('dist')} (Code.js, Sidebar.html, appsscript.json).`);
console.log(
  'The browser preview with emulated Sheets and simulated LinkedIn is not built yet; `npm test` runs the add-on in the offline world.',
);
