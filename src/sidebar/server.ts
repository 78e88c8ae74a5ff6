import type * as Server from '../server/main';
import { userMessage } from './messages';

/** The server functions the sidebar may call, typed from src/server/main.ts itself. */
type ServerApi = typeof Server;
type Runner = Record<string, (...args: unknown[]) => void> & {
  withSuccessHandler(handler: (value: unknown) => void): Runner;
  withFailureHandler(handler: (error: Error) => void): Runner;
};
declare const google: { script: { run: Runner } };

/** google.script.run as a promise: one place for every call from the sidebar to the server. */
export function callServer<Name extends keyof ServerApi>(
  name: Name,
  ...args: Parameters<ServerApi[Name]>
): Promise<ReturnType<ServerApi[Name]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[Name]>))
      .withFailureHandler((error) => reject(error instanceof Error ? error : new Error(String(error))));
    runner[name](...args);
  });
}

/** A failure as the user reads it, without the class-name prefixes Apps Script adds. */
export const errorMessage = (error: unknown) => userMessage(error);
