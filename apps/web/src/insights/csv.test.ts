import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes fields with commas, quotes and line breaks, and leaves empty cells for nulls', () => {
    expect(
      toCsv(
        ['name', 'n'],
        [
          ['Studio, "Mira"', 3],
          ['x\ny', null],
        ],
      ),
    ).toBe('name,n\r\n"Studio, ""Mira""",3\r\n"x\ny",\r\n');
  });
});
