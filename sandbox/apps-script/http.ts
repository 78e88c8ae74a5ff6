/** What the emulated UrlFetchApp hands to a router (the LinkedIn simulator) and gets back. */
export interface SimRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Simulated network time for this request. */
  latencyMs?: number;
  /** The connection hangs until UrlFetchApp gives up. */
  timedOut?: boolean;
  /** The connection fails at once (refused, unknown host). */
  unreachable?: boolean;
}

/** Answers the requests of one fetchAll, in order: they are under way together. */
export type Router = (requests: SimRequest[]) => SimResponse[];

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
