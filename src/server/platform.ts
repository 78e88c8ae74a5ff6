/**
 * What the pure core needs from the outside world. src/server/main.ts adapts Apps
 * Script's services to these; tests hand in the offline world's.
 */
export interface HttpRequest {
  url: string;
  method: 'get' | 'post';
  headers: Record<string, string>;
  /** A form body, already encoded. */
  payload?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Http {
  /** Runs the requests in parallel; throws when the network fails for any of them. */
  fetchAll(requests: HttpRequest[]): HttpResponse[];
}

export interface Clock {
  now(): number;
  sleep(milliseconds: number): void;
}

export type PropertyStore = Pick<
  GoogleAppsScript.Properties.Properties,
  'getProperty' | 'setProperty' | 'deleteProperty'
>;
