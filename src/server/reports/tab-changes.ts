/**
 * What an edited report's next run does to its tab, in words: why it rebuilds it (its rows' key
 * now means something else), and the columns it adds or removes. Said by the builder before
 * saving, by the server after, and by the run; plain code, shared by all three.
 */

/** What a report's rows stand for besides their values: the settings their key depends on. */
export interface RowsStandFor {
  /** The period each row covers, by LinkedIn's name for it. */
  period: string;
  /** Ads analytics' breakdown; null for other streams. */
  pivot: string | null;
  /** Ad accounts read. */
  accounts: number;
}

interface RowSettings {
  source?: 'ads' | 'pages';
  stream?: string;
  granularity?: string;
  timeGranularity?: string;
  pivot?: string;
  accountIds?: readonly string[];
}

type PeriodField = 'granularity' | 'timeGranularity';

/** The setting that holds a dated report's period: Pages statistics' `timeGranularity`, Ads analytics' `granularity`. */
export const periodField = (source: 'ads' | 'pages' | undefined): PeriodField =>
  source === 'pages' ? 'timeGranularity' : 'granularity';

/** The period a run reads when a report's settings name none. */
export const DEFAULT_PERIOD = { granularity: 'DAILY', timeGranularity: 'DAY' } as const;

/** A saved report's or a draft's settings, with the defaults a run gives what is missing. */
export function rowsStandFor(settings: RowSettings): RowsStandFor {
  const analytics = settings.stream === 'ad_analytics';
  const period = periodField(settings.source);
  return {
    period: settings[period] ?? DEFAULT_PERIOD[period],
    pivot: analytics ? (settings.pivot ?? 'CAMPAIGN') : null,
    accounts: settings.accountIds?.length ?? 0,
  };
}

/** Rows over several accounts carry the account in their key, unless the breakdown is the account itself. */
const keyedByAccount = ({ pivot, accounts }: RowsStandFor) =>
  pivot !== null && pivot !== 'ACCOUNT' && accounts > 1;

/**
 * The change in what the rows stand for, in words (“rows per month instead of per day”), or
 * null when their key means what it did. `periodWords` names each period (“month”).
 */
export function rebuildCause(
  before: RowsStandFor,
  after: RowsStandFor,
  periodWords: Readonly<Record<string, string>>,
): string | null {
  if (before.period !== after.period)
    return `rows per ${periodWords[after.period]} instead of per ${periodWords[before.period]}`;
  if (before.pivot !== after.pivot) return 'another breakdown';
  if (keyedByAccount(before) !== keyedByAccount(after))
    return keyedByAccount(after) ? 'rows per account' : 'rows no longer split by account';
  return null;
}

/** Column labels as the messages quote them: “Clicks”, “Cost”. */
export const quotedLabels = (labels: string[]) => labels.map((label) => `“${label}”`).join(', ');

/** What the next run does to columns the report no longer has: said before saving and after. */
export const removesColumns = (labels: string[]) =>
  `removes ${quotedLabels(labels)} with the values in ${labels.length > 1 ? 'them' : 'it'}`;

/** The sentence about a rebuild: `gives` is “Saving this gives it” before saving, “It now has” after. */
export const rebuildSentence = (gives: string, cause: string, sheetName: string, rows: number) =>
  `${gives} ${cause}, so its next run rebuilds the tab “${sheetName}”: the ${rows.toLocaleString('en-US')} rows there now are removed, and only the days that run reads are written.`;
