import {
  ACTIONS,
  type ActionName,
  CONSENT_SCREEN_WORDS,
  GOOGLE_SCOPES,
  permissionRefusal,
  scheduledImportBlocked,
} from '../../src/server/auth/google-permissions';
import { problemsByField, userMessage } from '../../src/sidebar/messages';

describe('refusals for a Google permission the user did not grant', () => {
  it('name each missing permission as the consent screen does, and where to grant it', () => {
    expect(permissionRefusal('runReport', [GOOGLE_SCOPES.externalRequest])).toBe(
      'Running a report needs Google’s permission to “Connect to an external service”, which LinkedIn Data was not given. ' +
        'Choose Extensions > LinkedIn Data > Grant permissions, tick it when Google asks, then try again.',
    );
    expect(permissionRefusal('saveScheduledReport', [GOOGLE_SCOPES.scriptApp, GOOGLE_SCOPES.userEmail])).toBe(
      'Saving a scheduled report needs Google’s permissions to “Allow this application to run when you are not present” and ' +
        '“See your primary Google Account email address”, which LinkedIn Data was not given. ' +
        'Choose Extensions > LinkedIn Data > Grant permissions, tick them when Google asks, then try again.',
    );
  });

  it('stay whole under the builder’s Save button: no sentence is taken for a field’s', () => {
    for (const action of Object.keys(ACTIONS) as ActionName[])
      for (const scope of ACTIONS[action].scopes) {
        const shown = userMessage(new Error(`MissingPermissionError: ${permissionRefusal(action, [scope])}`));
        expect(Object.keys(problemsByField(shown))).toEqual(['form']);
        expect(shown).toContain(CONSENT_SCREEN_WORDS[scope]);
      }
  });

  it('tell a scheduled import’s card what held it up and that it runs once granted', () => {
    expect(scheduledImportBlocked([GOOGLE_SCOPES.spreadsheets])).toBe(
      'The scheduled import did not run: it needs Google’s permission to “See, edit, create, and delete all your Google Sheets spreadsheets”, ' +
        'which LinkedIn Data was not given. In the spreadsheet the report is saved in, choose Extensions > LinkedIn Data > Grant permissions ' +
        'and tick it; the import then runs at the next hourly run.',
    );
  });
});
