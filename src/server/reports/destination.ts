/**
 * Where a report writes: the spreadsheet it is saved in, another one the user can edit, or a
 * new one made when it is saved. Reports stay listed in the spreadsheet they were saved in.
 */

/** Another spreadsheet a report writes to: its name and link as they were when the report was saved, for its card. */
export interface OtherSpreadsheet {
  id: string;
  name: string;
  url: string;
}

/** What the builder asks for: this spreadsheet, another by its link, or a new one. */
export type WriteTo = { kind: 'this' } | { kind: 'link'; link: string } | { kind: 'new' };

export const WRITE_TO_KINDS = ['this', 'link', 'new'] as const;

/** The builder's words for each choice; the too-big-report message names the last one. */
export const WRITE_TO_LABELS: Record<WriteTo['kind'], string> = {
  this: 'This spreadsheet',
  link: 'Another spreadsheet (paste its link)',
  new: 'A new spreadsheet',
};

/** Where a report too big for its spreadsheet can go, in the builder's words. */
export const NEW_SPREADSHEET = `a new spreadsheet (choose “${WRITE_TO_LABELS.new}” under “Spreadsheet”)`;

/** One sentence without dots inside, so the builder shows it whole beside the choice. */
export const BAD_LINK =
  'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id).';

/**
 * The spreadsheet id in a pasted link (`…/spreadsheets/d/{id}/…`) or a bare id; null for
 * anything else. Sheets' ids are letters, digits, `-` and `_`.
 */
export function spreadsheetIdIn(text: string): string | null {
  const trimmed = text.trim();
  // A user signed in to several Google accounts gets links with the account's number: …/spreadsheets/u/1/d/{id}.
  const inLink = /\/spreadsheets\/(?:u\/\d+\/)?d\/([a-zA-Z0-9_-]+)/.exec(trimmed);
  if (inLink) return inLink[1];
  return /^[a-zA-Z0-9_-]{20,}$/.test(trimmed) ? trimmed : null;
}

/** What the builder sent as its choice, checked for shape: google.script.run can carry anything. */
export function writeToProblems(writeTo: unknown): string[] {
  if (writeTo === undefined) return [];
  const choice = writeTo as { kind?: unknown; link?: unknown } | null;
  if (!choice || typeof choice !== 'object' || !WRITE_TO_KINDS.includes(choice.kind as WriteTo['kind']))
    return ['Choose the spreadsheet the report writes to.'];
  if (choice.kind === 'link' && (typeof choice.link !== 'string' || !spreadsheetIdIn(choice.link)))
    return [BAD_LINK];
  return [];
}
