import {describe, expect, it} from 'vitest'
import {unknownFlags} from '../../../src/ui/base-command.js'

describe('unknownFlags', () => {
  const known = ['format', 'output', 'quarter', 'json', 'color']

  it('names long flags that are not known, with or without a value after =', () => {
    expect(unknownFlags(['--formt', 'csv'], known)).toEqual(['formt'])
    expect(unknownFlags(['keywords', '--format=csv', '--qarter=2024Q1'], known)).toEqual(['qarter'])
  })

  it('accepts known flags, their --no- forms, short flags and anything after a bare --', () => {
    expect(unknownFlags(['--format', 'csv', '--no-color', '-q', '2024Q1', '--', '--anything'], known)).toEqual([])
  })
})
