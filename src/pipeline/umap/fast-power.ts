// x^y for the layout's hot loop as 2^(y·log2 x), from the float's exponent bits, small tables and cubic
// polynomials: multiply-adds that V8 inlines instead of two calls into its maths library per pair, to about 1e-10
// relative error, and deterministic (plain IEEE arithmetic; the tables are built the same way everywhere).

const bits = new Float64Array(1)
const words = new Int32Array(bits.buffer)
/** Index of the high 32-bit word (sign, exponent, top of the mantissa) on this platform. */
const high = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0
/** 2^e and 2^−e for e in [−1022, 1023], at index e + 1022. */
const powersOfTwo = Float64Array.from({length: 2046}, (_, index) => 2 ** (index - 1022))
const inversePowersOfTwo = Float64Array.from(powersOfTwo, (value) => 1 / value)
const steps = 256
/** For mantissa cells [1 + i/256, 1 + (i+1)/256): 1 / (1 + i/256) and log2(1 + i/256). */
const cellInverse = Float64Array.from({length: steps}, (_, index) => steps / (steps + index))
const cellLog = Float64Array.from({length: steps}, (_, index) => Math.log2(1 + index / steps))
/** 2^(i/256) for i in [0, 256). */
const fractionPowers = Float64Array.from({length: steps}, (_, index) => 2 ** (index / steps))
const inverseLn2 = 1 / Math.LN2
const lnTwoOverSteps = Math.LN2 / steps

/** log2 of a positive finite x (subnormal x, below 2^−1022, falls back to Math.log2). */
export function fastLog2(x: number): number {
  if (x < 2.2250738585072014e-308) return Math.log2(x)
  bits[0] = x
  const top = words[high]!
  const exponent = ((top >> 20) & 0x7ff) - 1023
  const cell = (top >> 12) & 0xff
  // x = 2^e · (1 + i/256) · (1 + r) with 0 ≤ r < 1/256; log2(1 + r) by its series to r⁴.
  const r = x * inversePowersOfTwo[exponent + 1022]! * cellInverse[cell]! - 1
  return exponent + cellLog[cell]! + r * inverseLn2 * (1 + r * (-0.5 + r * (1 / 3 + r * -0.25)))
}

/** 2^y for y in [−1022, 1023); below gives 0, above Infinity. */
export function fastExp2(y: number): number {
  if (y < -1022) return 0
  if (y >= 1023) return Infinity
  // y = whole + i/256 + g/ln 2 with 0 ≤ g < ln 2 / 256: 2^y = 2^whole · 2^(i/256) · e^g, e^g by its series to g⁴.
  const scaled = y * steps
  const cells = Math.floor(scaled)
  const g = (scaled - cells) * lnTwoOverSteps
  return powersOfTwo[(cells >> 8) + 1022]! * fractionPowers[cells & 0xff]! * (1 + g * (1 + g * (0.5 + g * (1 / 6 + g * (1 / 24)))))
}

/** x^y for positive finite x (0 where the result is below 2^−1022, Infinity above 2^1023). */
export function fastPower(x: number, y: number): number {
  return fastExp2(y * fastLog2(x))
}
