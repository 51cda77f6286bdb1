// x^b for the layout's hot loop, where b is fixed for a whole fit: x = 2^e · m with m in [1, 2), so
// x^b = (2^e)^b · (1 + i/256)^b · (1 + r)^b with the cell i from the top 8 mantissa bits and 0 ≤ r < 1/256. The
// first two factors come from tables built once per b, the last from its Taylor series to r³ (truncation below
// 1e-11 relative for 0 < b ≤ 2.5: the r⁴ term is |b(b−1)(b−2)(b−3)|/24 · 256⁻⁴ ≤ 9.7e-12). One bit read, four
// table reads and nine multiplies or adds that V8 inlines; plain IEEE arithmetic, so deterministic.

/** The tables of x^b for one exponent b. */
export interface PowerTable {
  readonly b: number
  /** (2^e)^b for biased exponents 1..2046 (e = field − 1023), at index field − 1. */
  readonly exponentPowers: Float64Array
  /** 2^−e for the same fields: scales x to its mantissa exactly. */
  readonly exponentScales: Float64Array
  /** (1 + i/256)^b and 1 / (1 + i/256) for the 256 mantissa cells. */
  readonly cellPowers: Float64Array
  readonly cellInverses: Float64Array
  /** The series' coefficients b(b−1)/2 and b(b−1)(b−2)/6. */
  readonly second: number
  readonly third: number
}

const cells = 256
const bits = new Float64Array(1)
const words = new Int32Array(bits.buffer)
/** Index of the high 32-bit word (sign, exponent, top of the mantissa) on this platform. */
const high = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0
const tables = new Map<number, PowerTable>()

/** The tables for exponent b, built once per b and then served from a cache. */
export function powerTable(b: number): PowerTable {
  let table = tables.get(b)
  if (!table) {
    table = {
      b,
      exponentPowers: Float64Array.from({length: 2046}, (_, index) => 2 ** ((index - 1022) * b)),
      exponentScales: Float64Array.from({length: 2046}, (_, index) => 2 ** (1022 - index)),
      cellPowers: Float64Array.from({length: cells}, (_, index) => (1 + index / cells) ** b),
      cellInverses: Float64Array.from({length: cells}, (_, index) => cells / (cells + index)),
      second: (b * (b - 1)) / 2,
      third: (b * (b - 1) * (b - 2)) / 6,
    }
    tables.set(b, table)
  }
  return table
}

/** x^b for x ≥ 0 (zero, subnormal, infinite, NaN and negative x take Math.pow). */
export function tablePower(x: number, table: PowerTable): number {
  bits[0] = x
  const top = words[high]!
  // The biased exponent less one: outside [0, 2046) for zero and subnormals (−1), infinity and NaN (2046) and any
  // negative x (the sign bit makes it 2047 or more). Kept short: the layout inlines this only within V8's budget.
  const slot = (top >>> 20) - 1
  if (slot >>> 0 >= 2046) return Math.pow(x, table.b)
  const cell = (top >>> 12) & 0xff
  // The tables' product does not wait for r, and the cubic is summed as (1 + b·r) + r²·(second + third·r): a
  // shorter chain than Horner's, which matters because the layout waits for each power before its next sample.
  const r = x * table.exponentScales[slot]! * table.cellInverses[cell]! - 1
  return table.exponentPowers[slot]! * table.cellPowers[cell]! * (1 + table.b * r + r * r * (table.second + table.third * r))
}
