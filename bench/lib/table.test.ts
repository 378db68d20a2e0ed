import { describe, expect, it } from 'vitest';
import { fixed, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads every column to its widest cell and right-aligns numeric columns, Markdown-style', () => {
    const out = formatTable(
      [{ header: 'Path' }, { header: 'ops/s', align: 'right' }],
      [
        ['Slotcast create', '812.4'],
        ['bare SQL', '1950.0'],
      ],
    );
    expect(out.split('\n')).toEqual([
      '| Path            |  ops/s |',
      '| --------------- | -----: |',
      '| Slotcast create |  812.4 |',
      '| bare SQL        | 1950.0 |',
    ]);
  });

  it('fills missing cells with blanks and keeps rules at least three dashes wide', () => {
    const out = formatTable([{ header: 'a' }, { header: 'b', align: 'right' }], [['x']]);
    expect(out.split('\n')).toEqual(['| a   |   b |', '| --- | --: |', '| x   |     |']);
  });
});

describe('fixed', () => {
  it('rounds to the given decimals and prints a dash for NaN', () => {
    expect(fixed(1.005, 1)).toBe('1.0');
    expect(fixed(2 / 3, 2)).toBe('0.67');
    expect(fixed(Number.NaN, 2)).toBe('–');
  });
});
