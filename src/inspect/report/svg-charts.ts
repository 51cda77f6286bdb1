/** Small SVG charts drawn as strings: horizontal bars, vertical bars (histograms) and lines. No dependencies. */

/** Colours that stay distinct for the few series a chart shows. */
export const palette = ['#2f6db5', '#d9822b', '#3b9a5a', '#c23b3b', '#8a5cb8', '#8c6d4f', '#d45fa0', '#6b7b8c', '#b5a92f', '#2fa7b5']

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

/** A number as short text: 1234 → 1,234; 0.1234 → 0.123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return ''
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  return value.toLocaleString('en-US', {maximumSignificantDigits: 3})
}

/** Round upper bounds for an axis: 1, 2, 2.5, 5 times a power of ten, at or above the maximum. */
export function niceMaximum(maximum: number): number {
  if (maximum <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(maximum))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= maximum) return step * power
  return 10 * power
}

export interface Bar {
  label: string
  value: number
  /** Shown on hover; defaults to "label: value". */
  title?: string
}

/** Horizontal bars, one row per item, labels on the left and values at the bar ends. */
export function horizontalBars(bars: Bar[], options: {width?: number; unit?: string; color?: string} = {}): string {
  const width = options.width ?? 640
  const row = 22
  const labelWidth = Math.min(260, Math.max(60, ...bars.map((bar) => bar.label.length * 7 + 10)))
  const labelCharacters = Math.floor((labelWidth - 10) / 7)
  const plotWidth = width - labelWidth - 70
  const height = bars.length * row + 10
  const maximum = niceMaximum(Math.max(0, ...bars.map((bar) => bar.value)))
  const items = bars.map((bar, index) => {
    const y = 5 + index * row
    const length = Math.max(bar.value > 0 ? 1 : 0, (bar.value / maximum) * plotWidth)
    const title = bar.title ?? `${bar.label}: ${formatNumber(bar.value)}${options.unit ? ` ${options.unit}` : ''}`
    return `<g class="bar" data-label="${escapeXml(bar.label)}" data-value="${bar.value}"><title>${escapeXml(title)}</title>
<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" class="label">${escapeXml(truncate(bar.label, labelCharacters))}</text>
<rect x="${labelWidth}" y="${y + 3}" width="${length.toFixed(1)}" height="${row - 6}" fill="${options.color ?? palette[0]}" rx="2"/>
<text x="${(labelWidth + length + 5).toFixed(1)}" y="${y + 15}" class="value">${formatNumber(bar.value)}</text></g>`
  })
  return svg(width, height, items.join('\n'), 'horizontal bar chart')
}

/** Vertical bars over categories (a histogram when the categories are bins), with a y axis. */
export function verticalBars(bars: Bar[], options: {width?: number; height?: number; yLabel?: string; xLabel?: string; color?: string} = {}): string {
  const width = options.width ?? 640
  const height = options.height ?? 260
  const margin = {left: 50, right: 10, top: 12, bottom: options.xLabel ? 48 : 32}
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const maximum = niceMaximum(Math.max(0, ...bars.map((bar) => bar.value)))
  const slot = plotWidth / Math.max(1, bars.length)
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.floor(plotWidth / 44)))
  const y = (value: number): number => margin.top + plotHeight - (value / maximum) * plotHeight
  const items = bars.map((bar, index) => {
    const x = margin.left + index * slot
    const top = y(bar.value)
    const label = index % labelEvery === 0 ? `<text x="${(x + slot / 2).toFixed(1)}" y="${margin.top + plotHeight + 16}" text-anchor="middle" class="tick">${escapeXml(truncate(bar.label, 12))}</text>` : ''
    return `<g class="bar" data-label="${escapeXml(bar.label)}" data-value="${bar.value}"><title>${escapeXml(bar.title ?? `${bar.label}: ${formatNumber(bar.value)}`)}</title>
<rect x="${(x + slot * 0.1).toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${(margin.top + plotHeight - top).toFixed(1)}" fill="${options.color ?? palette[0]}"/>${label}</g>`
  })
  const body = [yAxis(maximum, y, margin.left, width - margin.right, options.yLabel, margin.top + plotHeight / 2), ...items, xAxisLabel(options.xLabel, margin.left + plotWidth / 2, height - 6)]
  return svg(width, height, body.join('\n'), 'bar chart')
}

export interface Series {
  name: string
  /** One value per category; null where there is none. */
  values: (number | null)[]
}

/** Lines over ordered categories (e.g. quarters), one per series, with a legend. */
export function lineChart(categories: string[], series: Series[], options: {width?: number; height?: number; yLabel?: string; percent?: boolean} = {}): string {
  const width = options.width ?? 640
  const legendRows = Math.ceil(series.length / 3)
  const height = (options.height ?? 260) + legendRows * 18
  const margin = {left: 56, right: 44, top: 12, bottom: 40 + legendRows * 18}
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const values = series.flatMap((line) => line.values.filter((value): value is number => value !== null))
  const maximum = options.percent ? Math.min(1, niceMaximum(Math.max(0, ...values))) : niceMaximum(Math.max(0, ...values))
  const x = (index: number): number => margin.left + (categories.length === 1 ? plotWidth / 2 : (index / (categories.length - 1)) * plotWidth)
  const y = (value: number): number => margin.top + plotHeight - (value / maximum) * plotHeight
  const format = (value: number): string => (options.percent ? `${Math.round(value * 100)}%` : formatNumber(value))
  const ticks = categories.map((category, index) => `<text x="${x(index).toFixed(1)}" y="${margin.top + plotHeight + 16}" text-anchor="middle" class="tick">${escapeXml(category)}</text>`)
  const lines = series.map((line, seriesIndex) => {
    const color = palette[seriesIndex % palette.length]!
    const points = line.values.flatMap((value, index) => (value === null ? [] : [{px: x(index), py: y(value), value, category: categories[index]!}]))
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.px.toFixed(1)},${point.py.toFixed(1)}`).join(' ')
    const dots = points.map((point) => `<circle class="point" cx="${point.px.toFixed(1)}" cy="${point.py.toFixed(1)}" r="4" fill="${color}" data-value="${point.value}"><title>${escapeXml(`${line.name}, ${point.category}: ${format(point.value)}`)}</title></circle>`)
    return `<g class="series" data-name="${escapeXml(line.name)}"><path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots.join('')}</g>`
  })
  const legend = series.map((line, index) => {
    const lx = margin.left + (index % 3) * (plotWidth / 3)
    const ly = margin.top + plotHeight + 40 + Math.floor(index / 3) * 18
    return `<g class="legend"><rect x="${lx.toFixed(1)}" y="${ly - 9}" width="12" height="4" fill="${palette[index % palette.length]}"/><text x="${(lx + 16).toFixed(1)}" y="${ly - 4}" class="label">${escapeXml(truncate(line.name, 28))}</text></g>`
  })
  const body = [yAxis(maximum, y, margin.left, width - margin.right, options.yLabel, margin.top + plotHeight / 2, format), ...ticks, ...lines, ...legend]
  return svg(width, height, body.join('\n'), 'line chart')
}

/** Bin edges and counts for a histogram of whole numbers: at most `maxBins` bins of equal whole width. */
export function histogram(values: number[], maxBins = 20): Bar[] {
  if (values.length === 0) return []
  // A loop, not Math.min(...values): a 5000-firm run has more topic sizes than a call takes arguments.
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (const value of values) {
    low = Math.min(low, Math.floor(value))
    high = Math.max(high, Math.floor(value))
  }
  const width = Math.max(1, Math.ceil((high - low + 1) / maxBins))
  const counts = new Array<number>(Math.floor((high - low) / width) + 1).fill(0)
  for (const value of values) counts[Math.floor((Math.floor(value) - low) / width)]! += 1
  return counts.map((count, index) => {
    const from = low + index * width
    const label = width === 1 ? String(from) : `${from}–${from + width - 1}`
    return {label, value: count, title: `${label}: ${count}`}
  })
}

function yAxis(maximum: number, y: (value: number) => number, left: number, right: number, label: string | undefined, middle: number, format = formatNumber): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const value = maximum * fraction
    const py = y(value).toFixed(1)
    return `<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" class="grid"/><text x="${left - 6}" y="${(Number(py) + 4).toFixed(1)}" text-anchor="end" class="tick">${format(value)}</text>`
  })
  const title = label ? `<text transform="translate(12 ${middle.toFixed(1)}) rotate(-90)" text-anchor="middle" class="axis">${escapeXml(label)}</text>` : ''
  return ticks.join('\n') + title
}

function xAxisLabel(label: string | undefined, x: number, y: number): string {
  return label ? `<text x="${x.toFixed(1)}" y="${y}" text-anchor="middle" class="axis">${escapeXml(label)}</text>` : ''
}

function svg(width: number, height: number, body: string, role: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${role}">\n${body}\n</svg>`
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text
}
