import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvRecord, neutralizeFormulas } from '../../src/domain/spreadsheet-cells.js';
import { blind, formulaCells, lenient, READINGS, startsFormula } from '../support/spreadsheet-readings.js';

const HOSTILE: Array<[string, string]> = [
  ['=1+1', "'=1+1"],
  ['+cmd', "'+cmd"],
  ['-2', "'-2"],
  ['@SUM(1)', "'@SUM(1)"],
  ['\t=1', "'\t'=1"],
  ['\r=1', "'\r'=1"],
  ['\tplain', "'\tplain"],
  [' =1', "' =1"],
  ['\u00a0\u3000=1', "'\u00a0\u3000=1"],
  ['"=1"', '\'"=1"'],
  ['a;=1', "a;'=1"],
  ['a,=1', "a,'=1"],
  ['a\t=1', "a\t'=1"],
  ['a; =1', "a;' =1"],
  ['a;"=1', 'a;\'"=1'],
  ['a\n=1', "a\n'=1"],
  ['a\r\n@x', "a\r'\n'@x"],
  ['＝1+1', "'＝1+1"],
  ['=cmd|\' /C calc\'!A0;-1,+2', "'=cmd|' /C calc'!A0;'-1,'+2"],
];

describe('spreadsheet cells', () => {
  it('T5: a cell that would start a formula in any reading gets an apostrophe there, and nothing else changes', () => {
    for (const [text, neutral] of HOSTILE) expect(neutralizeFormulas(text), JSON.stringify(text)).toBe(neutral);
    for (const plain of ['Alice Example', 'a-b@x.test', 'O\'Brien', '1+1', 'a = b', 'Access revoked', '2026-01-02T03:04:05.000Z', '']) {
      expect(neutralizeFormulas(plain)).toBe(plain);
    }
  });

  it('T5: every cell is quoted (RFC 4180), quotes doubled, and reads back as the neutralized text', () => {
    expect(csvRecord(['Name', '', 'say "hi"; bye', '=1'])).toBe('"Name","","say ""hi""; bye","\'=1"\r\n');
    const cells = HOSTILE.map(([text]) => text);
    expect(parse(csvRecord(cells))).toEqual([cells.map(neutralizeFormulas)]);
  });

  it('T5: no text starts a formula in comma, semicolon or tab reading, quotes honoured or not (property)', () => {
    const trigger = fc.constantFrom('=', '+', '-', '@', '＝', '\t', '\r', '\n', ';', ',', '"', ' ', "'", 'a', '1');
    const text = fc.array(fc.oneof(trigger, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (cells) => {
        const csv = csvRecord(cells);
        expect(formulaCells(csv)).toEqual([]);
        // only apostrophes were added: the visible text is the typed text
        const back = parse(csv, { relax_column_count: true })[0] as string[];
        expect(back.map((c) => c.replaceAll("'", ''))).toEqual(cells.map((c) => c.replaceAll("'", '')));
      }),
      { numRuns: 1000 },
    );
  });

  it('the readings used above do see formulas in a file written without the rule', () => {
    const unsafe = '"=1","a;=2","b\t@3"\r\n';
    for (const reading of READINGS) expect(reading.cells(unsafe).filter(startsFormula)[0], reading.name).toMatch(/^"?=1/);
    expect(lenient(';').cells(unsafe).filter(startsFormula)).toEqual(['=1,"a', '=2","b\t@3"']);
    expect(lenient('\t').cells(unsafe).filter(startsFormula)).toEqual(['=1,"a;=2","b', '@3"']);
    expect(blind(',').cells(unsafe).filter(startsFormula)).toEqual(['"=1"']);
    expect(startsFormula(' "=1')).toBe(true);
  });
});
