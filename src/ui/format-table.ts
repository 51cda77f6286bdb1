import {stripVTControlCharacters} from 'node:util'
import stringWidth from 'string-width'

/** A cell as text: lists joined with ", ", null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(cellText).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** How wide a table may be: the terminal's columns on a terminal, unbounded elsewhere (files and pipes keep every character). */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined
}

/**
 * An aligned text table. Widths are what the terminal shows (colour codes count nothing, wide characters two);
 * cells are cut to `maxCellWidth`, and when the table would pass `width` the widest columns are narrowed until it
 * fits. No rows reads "(no rows)" under the header, not a bare header.
 */
export function formatTable(columns: readonly string[], rows: readonly unknown[][], maxCellWidth = 60, width: number | undefined = terminalWidth()): string {
  const text = rows.map((row) => columns.map((_, index) => truncate(cellText(row[index]).replace(/\s+/g, ' '), maxCellWidth)))
  const widths = columns.map((column, index) => Math.max(stringWidth(column), ...text.map((row) => stringWidth(row[index]!))))
  if (width !== undefined) narrowToFit(widths, columns, width)
  const line = (cells: readonly string[]): string => cells.map((cell, index) => pad(truncate(cell, widths[index]!), widths[index]!)).join('  ').trimEnd()
  const body = text.length > 0 ? text.map(line) : ['(no rows)']
  return [line(columns), line(widths.map((columnWidth) => '-'.repeat(columnWidth))), ...body].join('\n')
}

// Takes one character at a time from the widest column (never below its header or 8) until the table fits.
function narrowToFit(widths: number[], columns: readonly string[], width: number): void {
  const total = (): number => widths.reduce((sum, columnWidth) => sum + columnWidth, 0) + 2 * (widths.length - 1)
  while (total() > width) {
    const floor = (index: number): number => Math.min(widths[index]!, Math.max(8, stringWidth(columns[index]!)))
    const widest = widths.reduce((best, columnWidth, index) => (columnWidth - floor(index) > widths[best]! - floor(best) ? index : best), 0)
    if (widths[widest]! <= floor(widest)) return
    widths[widest]!--
  }
}

function pad(cell: string, columnWidth: number): string {
  return cell + ' '.repeat(Math.max(0, columnWidth - stringWidth(cell)))
}

/** Cuts text to a visible width with "…"; a cut cell loses its colour codes, an uncut one keeps them. */
export function truncate(text: string, columnWidth: number): string {
  if (stringWidth(text) <= columnWidth) return text
  let kept = ''
  for (const character of stripVTControlCharacters(text)) {
    if (stringWidth(kept + character) > columnWidth - 1) break
    kept += character
  }
  return `${kept}…`
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

/** Query results as text in one of the text formats: an aligned table, CSV, or a JSON array of objects. */
export function formatRows(columns: readonly string[], rows: readonly unknown[][], format: 'table' | 'csv' | 'json'): string {
  if (format === 'csv') return formatCsv(columns, rows)
  if (format === 'json') return JSON.stringify(rowsAsObjects(columns, rows), null, 2)
  return formatTable(columns, rows, Number.POSITIVE_INFINITY)
}
