import { downloadCsv, toCsv } from './csv.js';

export type Cell = string | number | null;

/**
 * A figures table with its CSV download: every table of the insights page goes through here, so each one can be
 * taken away as a file. The first column is the row's header.
 */
export function DataTable({
  caption,
  what,
  columns,
  rows,
  csvColumns,
  csvRows,
  filename,
  testId,
}: {
  caption: string;
  /** Names the download button: "Download {what} as CSV". */
  what: string;
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** The CSV's own header and raw values (unformatted numbers), when they differ from what is shown. */
  csvColumns?: readonly string[];
  csvRows?: readonly (readonly Cell[])[];
  filename: string;
  testId: string;
}) {
  return (
    <>
      <div className="table-scroll">
        <table className="insights-totals" data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length}>Nothing in this period.</td>
              </tr>
            ) : (
              rows.map((r, i) => (
                <tr key={`${r[0]}-${i}`}>
                  <th scope="row">{r[0]}</th>
                  {r.slice(1).map((v, j) => (
                    <td key={columns[j + 1]}>{v ?? '—'}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="button button-small"
        onClick={() => downloadCsv(filename, toCsv(csvColumns ?? columns, csvRows ?? rows))}
      >
        Download {what} as CSV
      </button>
    </>
  );
}
