/**
 * The Apps Script entry file: the only place that names Apps Script's global services.
 * Every export becomes a top-level function in dist/Code.js (see rollup.config.js), so
 * menu items, triggers and google.script.run can call it by name.
 */
import { ADD_ON_TITLE, addAddOnMenu } from './ui/menu';

export function onOpen(): void {
  addAddOnMenu(() => SpreadsheetApp.getUi().createAddonMenu());
}

export function onInstall(): void {
  onOpen();
}

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(ADD_ON_TITLE);
  SpreadsheetApp.getUi().showSidebar(html);
}

export function connectLinkedIn(): void {
  showSidebar();
}
