import type { Execution } from './execution';
import { SCOPES } from './scopes';

type Menu = GoogleAppsScript.Base.Menu;

export interface MenuRecord {
  title: string;
  items: Array<{ caption: string; handler: string } | { separator: true }>;
}

/** What the script showed the user: menus, sidebars, dialogs and alerts. */
export class UiRecord {
  menus: MenuRecord[] = [];
  sidebar: GoogleAppsScript.HTML.HtmlOutput | null = null;
  dialogs: Array<{ title: string; html: GoogleAppsScript.HTML.HtmlOutput }> = [];
  alerts: string[] = [];
  /** Google's consent prompts shown to the user (ScriptApp.requireScopes), each with the scopes it asked for. */
  consentPrompts: string[][] = [];
}

class SimMenu {
  private readonly items: MenuRecord['items'] = [];
  constructor(
    private readonly title: string,
    private readonly record: UiRecord,
  ) {}
  addItem(caption: string, functionName: string): Menu {
    this.items.push({ caption, handler: functionName });
    return this as unknown as Menu;
  }
  addSeparator(): Menu {
    this.items.push({ separator: true });
    return this as unknown as Menu;
  }
  addToUi(): void {
    this.record.menus = this.record.menus.filter((menu) => menu.title !== this.title);
    this.record.menus.push({ title: this.title, items: [...this.items] });
  }
}

/**
 * Menus need no scope (an add-on builds its menu in onOpen, before any authorization); what
 * shows the script's own content needs "Display and run third-party web content in prompts and
 * sidebars inside Google applications" (script.container.ui).
 */
export class SimUi {
  constructor(
    private readonly record: UiRecord,
    private readonly addOnTitle: string,
    private readonly execution?: Execution,
  ) {}
  private requireContainerUi(method: string): void {
    this.execution?.requireScope(`Ui.${method}`, SCOPES.containerUi);
  }
  /** An Editor add-on's menu sits under Extensions with the add-on's own name. */
  createAddonMenu(): Menu {
    return new SimMenu(this.addOnTitle, this.record) as unknown as Menu;
  }
  createMenu(caption: string): Menu {
    return new SimMenu(caption, this.record) as unknown as Menu;
  }
  showSidebar(userInterface: GoogleAppsScript.HTML.HtmlOutput): void {
    this.requireContainerUi('showSidebar');
    this.record.sidebar = userInterface;
  }
  showModalDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    this.requireContainerUi('showModalDialog');
    this.record.dialogs.push({ title, html: userInterface });
  }
  alert(prompt: string): GoogleAppsScript.Base.Button {
    this.requireContainerUi('alert');
    this.record.alerts.push(prompt);
    return 'OK' as unknown as GoogleAppsScript.Base.Button;
  }
}
