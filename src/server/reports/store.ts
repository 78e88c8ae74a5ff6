import type { PropertyStore } from '../platform';
import type { ReportConfig } from './config';

export interface ReportState {
  lastRunAt: number | null;
  /** The run that last finished or failed. */
  lastRunId: string | null;
  lastSuccessAt: number | null;
  lastRows: number | null;
  lastError: string | null;
  /** Last UTC day an incremental run covered. */
  lastCoveredEnd: string | null;
  nextRunAt: number | null;
  /** Rows in the report's tab after its last successful run. */
  tableRows?: number | null;
  /** What the last successful run said besides its rows (blank metrics, a rebuilt tab), for the card. */
  lastNote?: string | null;
  /** Failures in a row; the owner is emailed when a streak starts. */
  failureStreak: number;
  /** Whether the owner was emailed about the streak of failures under way. */
  failureEmailed?: boolean;
}

export interface Job {
  runId: string;
  startedAt: number;
  startDate: string;
  endDate: string;
  /** Analytics windows still to fetch, as [first day, last day] UTC day numbers; null until planned. */
  windows: Array<[number, number]> | null;
  /** Analytics: the highest share of its bound a fetched window really held, for packing the rest. */
  servedShare?: number;
  requestsPlanned: number;
  requestsDone: number;
  rowsWritten: number;
  /** Set by a scheduled run, so the dispatcher finishes it if the sidebar does not. */
  scheduled: boolean;
  /** The report's settings the run started with (`runSettingsOf`); unset in jobs of earlier versions. */
  settings?: string;
  /** Rows in the report's tab after this run's last write. */
  tableRows?: number;
  /** Pages time-bound streams: the pages still to fetch; null until the first step. */
  pagesLeft?: string[] | null;
  /** Pages a batch may take, once a batch outlasted its step; unset: as many as a round trip carries. */
  pagesPerBatch?: number;
  /** Pages time-bound streams: the pages' names, asked once with the first batch's requests. */
  pageNames?: Record<string, string>;
  /** What the run tells the user besides its rows, e.g. that LinkedIn's 12 months cut the range. */
  note?: string | null;
  /**
   * Rows of the tab whose key the user left incomplete, found by the run's writes so far, where
   * they are after the last one (a later write may move them); the first `UNKEYED_ROWS_KEPT`.
   */
  unkeyedRows?: number[];
  /** How many such rows the writes found beyond those kept (the most one write found). */
  unkeyedRowsMore?: number;
}

export interface Lease {
  runId: string;
  expiresAt: number;
}

/** Apps Script keeps 500 KB of properties per store and 9 KB per value. */
export class StorageFullError extends Error {
  constructor() {
    super(
      'The add-on’s storage for this spreadsheet is full (Apps Script keeps 500 KB per document and per user). ' +
        'Delete reports you no longer need, or use fewer fields in this one, then try again.',
    );
    this.name = 'StorageFullError';
  }
}

const EMPTY_STATE: ReportState = {
  lastRunAt: null,
  lastRunId: null,
  lastSuccessAt: null,
  lastRows: null,
  lastError: null,
  lastCoveredEnd: null,
  nextRunAt: null,
  failureStreak: 0,
};

/**
 * Reports and their state, one small JSON value per key (Apps Script allows 9 KB a
 * value). The document's reports live in document properties, where every editor sees
 * them; a user's scheduled reports are mirrored in that user's properties under the
 * spreadsheet's id, because a scheduled run may have no document to read them from.
 */
export class ReportStore {
  constructor(
    private readonly properties: PropertyStore,
    private readonly prefix = '',
  ) {}

  private read<T>(key: string): T | null {
    const text = this.properties.getProperty(this.prefix + key);
    return text ? (JSON.parse(text) as T) : null;
  }

  private write(key: string, value: unknown): void {
    try {
      this.properties.setProperty(this.prefix + key, JSON.stringify(value));
    } catch (error) {
      if (!/storage quota|too large/i.test(error instanceof Error ? error.message : String(error)))
        throw error;
      throw new StorageFullError();
    }
  }

  private remove(key: string): void {
    this.properties.deleteProperty(this.prefix + key);
  }

  ids(): string[] {
    return this.read<string[]>('reports') ?? [];
  }

  list(): ReportConfig[] {
    return this.ids()
      .map((id) => this.get(id))
      .filter((config): config is ReportConfig => config !== null);
  }

  get(id: string): ReportConfig | null {
    return this.read<ReportConfig>(`report.${id}`);
  }

  save(config: ReportConfig): void {
    this.write(`report.${config.id}`, config);
    if (!this.ids().includes(config.id)) this.write('reports', [...this.ids(), config.id]);
  }

  delete(id: string): void {
    for (const key of [`report.${id}`, `report-state.${id}`, `job.${id}`, `lease.${id}`]) this.remove(key);
    this.write(
      'reports',
      this.ids().filter((candidate) => candidate !== id),
    );
  }

  state(id: string): ReportState {
    return { ...EMPTY_STATE, ...this.read<ReportState>(`report-state.${id}`) };
  }

  saveState(id: string, state: ReportState): void {
    this.write(`report-state.${id}`, state);
  }

  job(id: string): Job | null {
    return this.read<Job>(`job.${id}`);
  }

  saveJob(id: string, job: Job): void {
    this.write(`job.${id}`, job);
  }

  deleteJob(id: string): void {
    this.remove(`job.${id}`);
  }

  lease(id: string): Lease | null {
    return this.read<Lease>(`lease.${id}`);
  }

  saveLease(id: string, lease: Lease): void {
    this.write(`lease.${id}`, lease);
  }

  deleteLease(id: string): void {
    this.remove(`lease.${id}`);
  }
}
