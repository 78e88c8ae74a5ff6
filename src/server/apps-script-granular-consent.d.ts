// What @types/google-apps-script 2.0.13 lacks of granular consent, declared once here: the
// getAuthorizationInfo overload that names the scopes to ask about, and
// AuthorizationInfo.getAuthorizedScopes ("String[]|null" on its reference page). The types
// already have requireScopes and requireAllScopes. main.ts imports this file, so every program
// that compiles main.ts (the sidebar's too, for google.script.run's types) sees it.
export {};

declare global {
  namespace GoogleAppsScript {
    namespace Script {
      interface AuthorizationInfo {
        getAuthorizedScopes(): string[] | null;
      }
      interface ScriptApp {
        getAuthorizationInfo(authMode: AuthMode, oAuthScopes: string[]): AuthorizationInfo;
      }
    }
  }
}
