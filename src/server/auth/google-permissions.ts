import { ADD_ON_TITLE, MENU_ITEMS } from '../ui/menu';

// Google's permissions: what the add-on asks Google for (appsscript.json's oauthScopes), what
// each is called on Google's consent screen, and which of the add-on's actions needs which.
// Since 2025 a user may untick any of them on Google's granular consent screen, so every
// entry point asks for what its action needs before it starts (src/server/main.ts), and this
// list is the one place that says what that is.

export const GOOGLE_SCOPES = {
  spreadsheets: 'https://www.googleapis.com/auth/spreadsheets',
  externalRequest: 'https://www.googleapis.com/auth/script.external_request',
  containerUi: 'https://www.googleapis.com/auth/script.container.ui',
  scriptApp: 'https://www.googleapis.com/auth/script.scriptapp',
  sendMail: 'https://www.googleapis.com/auth/script.send_mail',
  userEmail: 'https://www.googleapis.com/auth/userinfo.email',
} as const;

export type GoogleScope = (typeof GOOGLE_SCOPES)[keyof typeof GOOGLE_SCOPES];

const { spreadsheets, externalRequest, containerUi, scriptApp, sendMail, userEmail } = GOOGLE_SCOPES;

/**
 * Each permission as Google's consent screen words it: the line the user ticked, or did not
 * (docs/platform-facts.md, "Granular consent").
 */
export const CONSENT_SCREEN_WORDS: Record<GoogleScope, string> = {
  [spreadsheets]: 'See, edit, create, and delete all your Google Sheets spreadsheets',
  [externalRequest]: 'Connect to an external service',
  [containerUi]: 'Display and run third-party web content in prompts and sidebars inside Google applications',
  [scriptApp]: 'Allow this application to run when you are not present',
  [sendMail]: 'Send email as you',
  [userEmail]: 'See your primary Google Account email address',
};

interface Action {
  /** What the user was doing, as the start of a sentence: "Running a report". */
  doing: string;
  scopes: readonly GoogleScope[];
}

/**
 * What each action needs, and nothing more: a user who unticked a permission keeps every action
 * that does not need it.
 *
 * - A scheduled report needs, when saved, what its hourly run will need (a trigger cannot ask
 *   the user anything): the trigger itself (script.scriptapp), LinkedIn (script.external_request)
 *   and the user's address, which names whose schedule it is. Failure emails are not needed:
 *   a failure stays on the report's card, and a user who unticked "Send email as you" chose that
 *   (`emailsWithheld` says so when they save).
 * - Signing in needs LinkedIn only: apps-script-oauth2 makes its state token and redirect URI with
 *   ScriptApp.newStateToken and getScriptId, which need no scope.
 */
export const ACTIONS = {
  openSidebar: { doing: 'Opening the sidebar', scopes: [containerUi, spreadsheets] },
  connectFromMenu: { doing: 'Signing in with LinkedIn', scopes: [containerUi, externalRequest] },
  reachLinkedIn: { doing: 'Connecting to LinkedIn', scopes: [externalRequest] },
  readSpreadsheet: { doing: 'Showing this spreadsheet’s reports', scopes: [spreadsheets] },
  showReportTab: { doing: 'Showing where a report’s rows are', scopes: [spreadsheets] },
  checkDestination: { doing: 'Checking where a report writes', scopes: [spreadsheets] },
  deleteReport: { doing: 'Deleting a report', scopes: [spreadsheets] },
  cancelImport: { doing: 'Cancelling an import', scopes: [spreadsheets] },
  saveReport: { doing: 'Saving a report', scopes: [spreadsheets] },
  saveScheduledReport: {
    doing: 'Saving a scheduled report',
    scopes: [spreadsheets, externalRequest, scriptApp, userEmail],
  },
  runReport: { doing: 'Running a report', scopes: [spreadsheets, externalRequest] },
  scheduledImport: { doing: 'A scheduled import', scopes: [spreadsheets, externalRequest, userEmail] },
  emailOwner: { doing: 'Emailing you about a scheduled import', scopes: [sendMail] },
  /** Adding or removing the hourly trigger as schedules come and go. */
  keepTrigger: { doing: 'Keeping the hourly trigger', scopes: [scriptApp] },
} as const satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;

/** Where a user grants what is missing: the menu item whose handler asks Google for it. */
export const GRANT_MENU_PATH = `Extensions > ${ADD_ON_TITLE} > ${
  MENU_ITEMS.find((item) => item.handler === 'grantPermissions')!.caption
}`;

const quoted = (scopes: readonly GoogleScope[]) => {
  const words = scopes.map((scope) => `“${CONSENT_SCREEN_WORDS[scope]}”`);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words[0];
};

/** The permission(s) missing, in the consent screen's words: “A” needs "permission", “A” and “B” "permissions". */
const permissions = (missing: readonly GoogleScope[]) =>
  `${missing.length > 1 ? 'permissions' : 'permission'} to ${quoted(missing)}`;

/** What is missing, “Google’s permission to “A”, which … was not given”, and the word for it after. */
const notGiven = (missing: readonly GoogleScope[]) => ({
  what: `Google’s ${permissions(missing)}, which ${ADD_ON_TITLE} was not given`,
  it: missing.length > 1 ? 'them' : 'it',
});

/**
 * Why an action the user started cannot go on, and what to do: the menu item asks Google again
 * (a sidebar call cannot show Google's prompt itself: docs/platform-facts.md).
 */
export function permissionRefusal(action: ActionName, missing: readonly GoogleScope[]): string {
  const { what, it } = notGiven(missing);
  return `${ACTIONS[action].doing} needs ${what}. Choose ${GRANT_MENU_PATH}, tick ${it} when Google asks, then try again.`;
}

/** What a scheduled import that could not start says on its card: no one was there to ask. */
export function scheduledImportBlocked(missing: readonly GoogleScope[]): string {
  const { what, it } = notGiven(missing);
  return (
    `The scheduled import did not run: it needs ${what}. ` +
    `In the spreadsheet the report is saved in, choose ${GRANT_MENU_PATH} and tick ${it}; the import then runs at the next hourly run.`
  );
}

/**
 * What a long overdue scheduled card says when the hourly trigger that runs it cannot be made
 * again (or, should Google not fire it without the permission, cannot run).
 */
export function schedulesHeld(missing: readonly GoogleScope[]): string {
  const { what, it } = notGiven(missing);
  return (
    `Scheduled imports are not running: the hourly run needs ${what}. ` +
    `Choose ${GRANT_MENU_PATH} and tick ${it}; the imports then run at the next hourly run.`
  );
}

/** Said when a scheduled report is saved without "Send email as you": failures show only on the card. */
export const EMAILS_WITHHELD =
  `Google’s ${permissions([sendMail])} was not given, so if a scheduled import fails you are not emailed: its card says so. ` +
  `To be emailed, choose ${GRANT_MENU_PATH}.`;

/** An action refused for a permission the user did not grant; its message says which and what to do. */
export class MissingPermissionError extends Error {
  constructor(
    action: ActionName,
    readonly missing: readonly GoogleScope[],
  ) {
    super(permissionRefusal(action, missing));
    this.name = 'MissingPermissionError';
  }
}
