import { parse } from 'csv-parse/sync';

/**
 * How spreadsheets may read a CSV file we wrote with commas and quotes, to check that no reading
 * starts a cell with a formula. Three readers:
 * - `rfc4180`: a strict reader of what we wrote (csv-parse, comma, quotes honoured);
 * - `lenient(sep)`: what Excel and LibreOffice do when the file is opened with another separator
 *   (`;` in many European locales, tab when pasted): a cell that opens with a quote runs to the
 *   closing quote, anything after it is appended up to the next separator or line break;
 * - `blind(sep)`: a reader that ignores quotes and splits on the separator and on line breaks.
 */
export type Reading = { name: string; cells: (csv: string) => string[] };

export const rfc4180: Reading = {
  name: 'rfc4180 ","',
  cells: (csv) => (parse(csv, { delimiter: ',', relax_column_count: true }) as string[][]).flat(),
};

export function lenient(sep: string): Reading {
  return {
    name: `lenient ${JSON.stringify(sep)}`,
    cells(csv) {
      const cells: string[] = [];
      let i = 0;
      while (i < csv.length) {
        let cell = '';
        if (csv[i] === '"') {
          i++;
          while (i < csv.length) {
            if (csv[i] === '"' && csv[i + 1] === '"') {
              cell += '"';
              i += 2;
            } else if (csv[i] === '"') {
              i++;
              break;
            } else cell += csv[i++];
          }
        }
        while (i < csv.length && csv[i] !== sep && csv[i] !== '\r' && csv[i] !== '\n') cell += csv[i++];
        cells.push(cell);
        if (csv[i] === '\r' && csv[i + 1] === '\n') i += 2;
        else i++;
      }
      return cells;
    },
  };
}

export function blind(sep: string): Reading {
  return { name: `blind ${JSON.stringify(sep)}`, cells: (csv) => csv.split(new RegExp(`[${sep === '\t' ? '\\t' : sep}\\r\\n]`)) };
}

export const READINGS: Reading[] = [rfc4180, ...[',', ';', '\t'].flatMap((sep) => [lenient(sep), blind(sep)])];

/** A cell a spreadsheet would evaluate: after the whitespace and quotes a reader may drop, a formula sign. */
export function startsFormula(cell: string): boolean {
  return /^[\s"]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell);
}

/** Every cell, in every reading, that would start a formula (empty when the file is safe). */
export function formulaCells(csv: string): string[] {
  return READINGS.flatMap((r) => r.cells(csv).filter(startsFormula).map((c) => `${r.name}: ${JSON.stringify(c)}`));
}
