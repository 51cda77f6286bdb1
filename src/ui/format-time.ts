/** The one way the CLI writes a moment: ISO 8601 in UTC to the second, e.g. 2026-12-02T01:34:59Z. */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso) return ''
  const time = Date.parse(iso)
  return Number.isNaN(time) ? iso : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
