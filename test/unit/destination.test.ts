import { spreadsheetIdIn, writeToProblems } from '../../src/server/reports/destination';

describe('the spreadsheet a pasted link names', () => {
  const id = '1qpyC0XzvTcKT6EISywvqESX3A0MwQoFDE8p-Bll4hps';

  it.each([
    [`https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`],
    [`https://docs.google.com/spreadsheets/d/${id}/edit?gid=123#gid=123`],
    [`  https://docs.google.com/spreadsheets/d/${id}  `],
    [`https://docs.google.com/spreadsheets/u/1/d/${id}/edit`],
    [id],
  ])('reads the id from %s', (link) => {
    expect(spreadsheetIdIn(link)).toBe(id);
  });

  it.each([
    ['https://docs.google.com/document/d/1AbcDocumentNotASpreadsheet0000000/edit'],
    ['https://example.com/sheet'],
    ['Budget 2026'],
    ['short-id'],
    [''],
  ])('finds no spreadsheet in %j', (text) => {
    expect(spreadsheetIdIn(text)).toBeNull();
  });

  it('checks the shape of the builder’s choice before anything opens it', () => {
    expect(writeToProblems(undefined)).toEqual([]);
    expect(writeToProblems({ kind: 'new' })).toEqual([]);
    expect(writeToProblems({ kind: 'link', link: id })).toEqual([]);
    expect(writeToProblems({ kind: 'elsewhere' })).toEqual(['Choose the spreadsheet the report writes to.']);
    expect(writeToProblems('new')).toEqual(['Choose the spreadsheet the report writes to.']);
    expect(writeToProblems({ kind: 'link', link: 42 })).toEqual([
      'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id).',
    ]);
  });
});
