/**
 * The OAuth scopes the emulated services check, by the name of what they allow. Which method
 * needs which is what each method's reference page lists under "Authorization"
 * (docs/platform-facts.md, "Granular consent").
 */
export const SCOPES = {
  spreadsheets: 'https://www.googleapis.com/auth/spreadsheets',
  /** Reaches only the document the script runs in (SpreadsheetApp.getActive), never openById or create. */
  currentSpreadsheetOnly: 'https://www.googleapis.com/auth/spreadsheets.currentonly',
  externalRequest: 'https://www.googleapis.com/auth/script.external_request',
  containerUi: 'https://www.googleapis.com/auth/script.container.ui',
  scriptApp: 'https://www.googleapis.com/auth/script.scriptapp',
  sendMail: 'https://www.googleapis.com/auth/script.send_mail',
  userEmail: 'https://www.googleapis.com/auth/userinfo.email',
} as const;
