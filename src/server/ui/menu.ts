/**
 * The add-on menu. Handler names are global function names in the built script, so
 * they are listed once here and the bundle test checks each one exists.
 */
export const MENU_ITEMS = [
  { caption: 'Open sidebar', handler: 'showSidebar' },
  { caption: 'Connect LinkedIn', handler: 'connectLinkedIn' },
  // Where every refusal for a Google permission the user did not grant points (GRANT_MENU_PATH).
  { caption: 'Grant permissions', handler: 'grantPermissions' },
] as const;

export const ADD_ON_TITLE = 'LinkedIn Data';

type MenuLike = Pick<GoogleAppsScript.Base.Menu, 'addItem' | 'addToUi'>;

export function addAddOnMenu(createAddonMenu: () => MenuLike): void {
  const menu = createAddonMenu();
  for (const item of MENU_ITEMS) menu.addItem(item.caption, item.handler);
  menu.addToUi();
}
