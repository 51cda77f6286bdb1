import {describe, expect, it} from 'vitest'
import {escapeXml, histogram, horizontalBars, lineChart, niceMaximum, verticalBars} from '../../../../src/inspect/report/svg-charts.js'

const attribute = (svg: string, name: string): number[] => [...svg.matchAll(new RegExp(`<rect [^>]*${name}="([\\d.]+)"`, 'g'))].map((match) => Number(match[1]))

describe('svg charts', () => {
  it('rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 19, 23, 260, 0.0042].map(niceMaximum)).toEqual([1, 0.5, 1, 10, 20, 25, 500, 0.005])
  })

  it('bins whole numbers into at most the bins asked for, counting each value once', () => {
    expect(histogram([6, 6, 7, 9])).toEqual([
      {label: '6', value: 2, title: '6: 2'},
      {label: '7', value: 1, title: '7: 1'},
      {label: '8', value: 0, title: '8: 0'},
      {label: '9', value: 1, title: '9: 1'},
    ])
    const wide = histogram([0, 5, 10, 99, 100], 10)
    expect(wide).toHaveLength(10)
    expect(wide[0]!.label).toBe('0–10')
    expect(wide.reduce((sum, bin) => sum + bin.value, 0)).toBe(5)
    expect(histogram([])).toEqual([])
  })

  it('draws horizontal bars proportional to their values', () => {
    const svg = horizontalBars([
      {label: 'a', value: 10},
      {label: 'b', value: 5},
      {label: 'c', value: 0},
    ])
    const [a, b, c] = attribute(svg, 'width')
    expect(a! / b!).toBeCloseTo(2, 1)
    expect(c).toBe(0)
    expect(svg.match(/data-value=/g)).toHaveLength(3)
  })

  it('draws vertical bars from a shared baseline', () => {
    const svg = verticalBars([
      {label: 'x', value: 4},
      {label: 'y', value: 2},
    ])
    const [first, second] = attribute(svg, 'height')
    expect(first! / second!).toBeCloseTo(2, 1)
  })

  it('escapes labels so data cannot break the page', () => {
    const svg = horizontalBars([{label: '<script>"&', value: 1}])
    expect(svg).not.toContain('<script>')
    expect(escapeXml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;')
  })

  it('draws one path per series and skips missing values', () => {
    const svg = lineChart(['2024Q1', '2024Q2', '2024Q3'], [
      {name: 'ai', values: [0.5, 1, null]},
      {name: 'cost', values: [0.25, null, 0.75]},
    ], {percent: true})
    expect(svg.match(/<g class="series"/g)).toHaveLength(2)
    expect(svg.match(/<circle class="point"/g)).toHaveLength(4)
    expect(svg).toContain('ai, 2024Q2: 100%')
  })
})
