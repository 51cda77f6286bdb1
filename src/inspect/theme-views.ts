import type {DuckDBConnection} from '@duckdb/node-api'
import {themeColumns, themeTables} from '../pipeline/output/theme-tables.js'
import type {Storage} from '../storage/storage.js'

/** The reduce step's views (`ftm themes`), for the catalog. */
export const themeViewCatalog: {name: string; description: string}[] = [
  {name: 'themes', description: 'one row per cross-firm theme of a quarter: label, keywords, firms, topics, top firms (`ftm themes`)'},
  {name: 'theme_members', description: 'one row per firm topic in a theme, with its cosine similarity to the theme centre'},
]

/** Creates the `themes` and `theme_members` views (or tables) over a run's theme files; empty before `ftm themes`. */
export async function createThemeViews(
  connection: DuckDBConnection,
  storage: Storage,
  runId: string,
  localFile: (key: string) => Promise<string>,
  kind: 'VIEW' | 'TABLE',
): Promise<void> {
  for (const table of themeTables) {
    const keys = (await storage.list(`${table}/`)).filter((key) => key.includes(`/run=${runId}/`) && key.endsWith(`/${table}.parquet`))
    const files = await Promise.all(keys.map(localFile))
    if (files.length === 0) {
      const columns = themeColumns[table].map((column) => `CAST(NULL AS ${column.type}) AS "${column.name}"`).join(', ')
      await connection.run(`CREATE ${kind} ${table} AS SELECT ${columns} WHERE false`)
      continue
    }
    const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')
    await connection.run(`CREATE ${kind} ${table} AS SELECT * FROM read_parquet([${list}], union_by_name = true)`)
  }
}
