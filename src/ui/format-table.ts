/** A cell as text: lists joined with ", ", null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(cellText).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** An aligned text table; long cells are cut to `maxWidth` characters. */
export function formatTable(columns: readonly string[], rows: readonly unknown[][], maxWidth = 60): string {
  const text = rows.map((row) => row.map((cell) => truncate(cellText(cell).replace(/\s+/g, ' '), maxWidth)))
  const widths = columns.map((column, index) => Math.max(column.length, ...text.map((row) => row[index]!.length)))
  const line = (cells: readonly string[]): string => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd()
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)].join('\n')
}

/** RFC 4180 CSV with a header row. */
export function formatCsv(columns: readonly string[], rows: readonly unknown[][]): string {
  const quote = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
  return [columns, ...rows.map((row) => row.map(cellText))].map((row) => row.map(quote).join(',')).join('\n')
}

/** Rows as JSON objects keyed by column. */
export function rowsAsObjects(columns: readonly string[], rows: readonly unknown[][]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index]])))
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text
}

/** Query results as text in one of the text formats: an aligned table, CSV, or a JSON array of objects. */
export function formatRows(columns: readonly string[], rows: readonly unknown[][], format: 'table' | 'csv' | 'json'): string {
  if (format === 'csv') return formatCsv(columns, rows)
  if (format === 'json') return JSON.stringify(rowsAsObjects(columns, rows), null, 2)
  return formatTable(columns, rows)
}
