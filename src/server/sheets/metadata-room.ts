/**
 * Characters of developer metadata Sheets keeps at one place, a spreadsheet's top level or one
 * tab, counting keys and values of every add-on's entries together (Sheets API guide, "Metadata
 * storage limits": "Spreadsheet 30,000 characters … Each sheet within a spreadsheet 30,000
 * characters").
 */
export const METADATA_CHARACTERS = 30_000;

type Entry = Pick<GoogleAppsScript.Spreadsheet.DeveloperMetadata, 'getKey' | 'getValue'>;

/** The characters a place's entries would hold with `key` set to `value`. */
export function metadataCharactersWith(entries: Entry[], key: string, value: string): number {
  const others = entries
    .filter((entry) => entry.getKey() !== key)
    .reduce((total, entry) => total + entry.getKey().length + (entry.getValue()?.length ?? 0), 0);
  return others + key.length + value.length;
}
