import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {afinn165FinancialMarketNews} from 'afinn-165-financialmarketnews'
import {packageRoot} from '../../core/package-root.js'
import {UserError} from '../../base/errors.js'

/** A word list: each lowercase word form and the categories it belongs to (positive, negative, uncertainty, risk, ...). */
export type Lexicon = Map<string, Set<string>>

/** The Loughran-McDonald master dictionary's category columns and the category each becomes. */
const masterDictionaryColumns: Record<string, string> = {
  negative: 'negative',
  positive: 'positive',
  uncertainty: 'uncertainty',
  litigious: 'litigious',
  strong_modal: 'strong_modal',
  weak_modal: 'weak_modal',
  constraining: 'constraining',
}

/** The built-in risk and uncertainty synonyms, shipped as data. */
export const builtinRiskFile = path.join(packageRoot, 'data', 'lexicons', 'risk-uncertainty.csv')

/**
 * Reads a lexicon CSV: either `word,category` rows, or the Loughran-McDonald master dictionary as its authors
 * distribute it (a Word column and one column per category whose value is the year the word was added, 0 when it
 * is not in the category and negative when it was removed). Words are matched as written, lowercase.
 */
export function parseLexicon(text: string, file: string): Lexicon {
  let rows: Record<string, string>[]
  try {
    rows = parse(text, {columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true}) as Record<string, string>[]
  } catch (error) {
    throw new UserError(`The lexicon ${file} is not a readable CSV: ${(error as Error).message}.`, 'Write it as word,category rows, or pass the Loughran-McDonald master dictionary CSV as downloaded.')
  }
  const lexicon: Lexicon = new Map()
  const add = (word: string, category: string): void => {
    const key = word.trim().toLowerCase()
    if (!key || !category) return
    const categories = lexicon.get(key) ?? new Set<string>()
    categories.add(category)
    lexicon.set(key, categories)
  }
  const columns = rows[0] ? Object.keys(rows[0]) : []
  if (columns.includes('word') && columns.includes('category')) {
    for (const row of rows) add(row.word ?? '', (row.category ?? '').trim().toLowerCase())
  } else if (columns.includes('word') && columns.includes('negative') && columns.includes('positive')) {
    const present = Object.keys(masterDictionaryColumns).filter((name) => columns.includes(name))
    for (const row of rows) for (const name of present) if (Number(row[name]) > 0) add(row.word ?? '', masterDictionaryColumns[name]!)
  } else {
    throw new UserError(
      `The lexicon ${file} has neither word,category columns nor the Loughran-McDonald master dictionary's (Word, Negative, Positive, ...); its columns are ${columns.join(', ') || 'none'}.`,
      'Write it as word,category rows, or pass the master dictionary CSV as downloaded.',
    )
  }
  return lexicon
}

/** AFINN-165 with its financial-market-news changes, as a lexicon: a score above 0 is positive, below 0 negative (single words only). */
export function afinnLexicon(): Lexicon {
  const lexicon: Lexicon = new Map()
  for (const [word, score] of Object.entries(afinn165FinancialMarketNews)) {
    if (word.includes(' ') || score === 0) continue
    lexicon.set(word, new Set([score > 0 ? 'positive' : 'negative']))
  }
  return lexicon
}

/**
 * The lexicon a run counts with: the built-in tone (AFINN) and risk lists, where each category a user file
 * defines replaces the built-in words of that category (the master dictionary's positive and negative replace
 * AFINN's), and the user files add up among themselves.
 */
export function combineLexicons(builtin: readonly Lexicon[], user: readonly Lexicon[]): Lexicon {
  const userCategories = new Set<string>()
  for (const lexicon of user) for (const categories of lexicon.values()) for (const category of categories) userCategories.add(category)
  const combined: Lexicon = new Map()
  const merge = (lexicon: Lexicon, keep: (category: string) => boolean): void => {
    for (const [word, categories] of lexicon) {
      for (const category of categories) {
        if (!keep(category)) continue
        const into = combined.get(word) ?? new Set<string>()
        into.add(category)
        combined.set(word, into)
      }
    }
  }
  for (const lexicon of builtin) merge(lexicon, (category) => !userCategories.has(category))
  for (const lexicon of user) merge(lexicon, () => true)
  return combined
}

/** The built-in lexicons: AFINN tone and the risk and uncertainty synonyms. */
export function builtinLexicons(): Lexicon[] {
  return [afinnLexicon(), parseLexicon(readFileSync(builtinRiskFile, 'utf8'), builtinRiskFile)]
}
