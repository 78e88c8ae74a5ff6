import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type HtmlOutput = GoogleAppsScript.HTML.HtmlOutput;

export class SimHtmlOutput {
  private title = '';
  private width = 300;
  private height = 500;
  constructor(private content: string) {}
  getContent(): string {
    return this.content;
  }
  setContent(content: string): HtmlOutput {
    this.content = content;
    return this as unknown as HtmlOutput;
  }
  append(addedContent: string): HtmlOutput {
    this.content += addedContent;
    return this as unknown as HtmlOutput;
  }
  setTitle(title: string): HtmlOutput {
    this.title = title;
    return this as unknown as HtmlOutput;
  }
  getTitle(): string {
    return this.title;
  }
  setWidth(width: number): HtmlOutput {
    this.width = width;
    return this as unknown as HtmlOutput;
  }
  getWidth(): number {
    return this.width;
  }
  setHeight(height: number): HtmlOutput {
    this.height = height;
    return this as unknown as HtmlOutput;
  }
  getHeight(): number {
    return this.height;
  }
}

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** HtmlService's templates: `<?= expr ?>` prints escaped, `<?!= expr ?>` raw, `<? code ?>` runs. */
export class SimHtmlTemplate {
  [field: string]: unknown;
  constructor(private readonly source: string) {}

  evaluate(): HtmlOutput {
    const parts: string[] = ['let __out = "";'];
    const pattern = /<\?(!?=)?([\s\S]*?)\?>/g;
    let last = 0;
    for (let match = pattern.exec(this.source); match; match = pattern.exec(this.source)) {
      parts.push(`__out += ${JSON.stringify(this.source.slice(last, match.index))};`);
      if (match[1] === '=') parts.push(`__out += __escape(String(${match[2]}));`);
      else if (match[1] === '!=') parts.push(`__out += String(${match[2]});`);
      else parts.push(match[2]);
      last = pattern.lastIndex;
    }
    parts.push(`__out += ${JSON.stringify(this.source.slice(last))}; return __out;`);
    const fields = Object.fromEntries(Object.entries(this).filter(([key]) => key !== 'source'));
    const render = new Function('__escape', ...Object.keys(fields), parts.join('\n'));
    return new SimHtmlOutput(render(escapeHtml, ...Object.values(fields))) as unknown as HtmlOutput;
  }
}

export class SimHtmlService {
  constructor(private readonly projectDir: string) {}

  private read(fileName: string): string {
    const path = join(this.projectDir, fileName.endsWith('.html') ? fileName : `${fileName}.html`);
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new Error(`No HTML file named ${fileName} was found.`);
    }
  }
  createHtmlOutput(html = ''): HtmlOutput {
    return new SimHtmlOutput(html) as unknown as HtmlOutput;
  }
  createHtmlOutputFromFile(fileName: string): HtmlOutput {
    return new SimHtmlOutput(this.read(fileName)) as unknown as HtmlOutput;
  }
  createTemplate(html: string): SimHtmlTemplate {
    return new SimHtmlTemplate(html);
  }
  createTemplateFromFile(fileName: string): SimHtmlTemplate {
    return new SimHtmlTemplate(this.read(fileName));
  }
}
