import {stripVTControlCharacters} from 'node:util'
import {describe, expect, it} from 'vitest'
import stringWidth from 'string-width'
import {formatTable, truncate} from '../../../src/ui/format-table.js'

const green = (text: string): string => `\x1b[32m${text}\x1b[0m`
const plain = (text: string): string => stripVTControlCharacters(text)

describe('formatTable', () => {
  it('aligns coloured cells by what the terminal shows, not by their colour codes', () => {
    const table = formatTable(['run', 'status', 'firms'], [['a', green('succeeded'), 80], ['b', 'failed', 40]], 60, undefined)
    const lines = table.split('\n').map(plain)
    expect(lines[2]).toBe('a    succeeded  80')
    expect(lines[3]).toBe('b    failed     40')
    expect(table).toContain(green('succeeded'))
  })

  it('narrows the widest columns until every line fits the width', () => {
    const rows = [['2024Q1', 'theme-1', 'supply chain disruption and freight costs in Asia '.repeat(5), 'firm 1, firm 2, firm 3, firm 4, firm 5'.repeat(3)]]
    const table = formatTable(['quarter', 'theme', 'keywords', 'firms'], rows, 300, 80)
    for (const line of table.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80)
    expect(table).toContain('2024Q1   theme-1  supply chain')
    expect(table).toContain('…')
  })

  it('keeps whole cells when there is no width to fit (files and pipes)', () => {
    const long = 'x'.repeat(200)
    expect(formatTable(['a'], [[long]], Number.POSITIVE_INFINITY, undefined)).toContain(long)
  })

  it('says "(no rows)" under the header of an empty result', () => {
    expect(formatTable(['firm_id', 'status'], [], 60, undefined).split('\n')).toEqual(['firm_id  status', '-------  ------', '(no rows)'])
  })

  it('cuts by visible width, counting wide characters twice', () => {
    expect(truncate('四半期の決算', 7)).toBe('四半期…')
    expect(stringWidth(truncate(green('succeeded'), 5))).toBe(5)
  })
})
