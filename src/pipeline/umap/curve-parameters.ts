// UMAP's output-space similarity 1 / (1 + a·d^(2b)): a and b fitted by least squares to the curve that is 1 up to
// min_dist and decays as exp(−(d − min_dist)/spread) beyond it (umap-learn's find_ab_params), once per setting.

/** The a and b of the low-dimensional similarity curve. */
export interface CurveParameters {
  a: number
  b: number
}

const fitted = new Map<string, CurveParameters>()

/** a and b for (minDist, spread), fitted once per pair and then served from a cache. */
export function curveParameters(minDist: number, spread = 1): CurveParameters {
  const key = `${minDist}/${spread}`
  let parameters = fitted.get(key)
  if (!parameters) {
    parameters = fitCurve(minDist, spread)
    fitted.set(key, parameters)
  }
  return parameters
}

const samples = 300

/** Levenberg–Marquardt from (1, 1) over 300 evenly spaced distances in [0, 3·spread], as scipy's curve_fit does. */
export function fitCurve(minDist: number, spread: number): CurveParameters {
  const x = Float64Array.from({length: samples}, (_, index) => (index * 3 * spread) / (samples - 1))
  const y = Float64Array.from(x, (value) => (value < minDist ? 1 : Math.exp(-(value - minDist) / spread)))
  let a = 1
  let b = 1
  let damping = 1e-3
  let cost = squaredError(x, y, a, b)
  for (let iteration = 0; iteration < 200; iteration++) {
    // Normal equations of the linearised problem: J'J and J'r.
    let jaa = 0
    let jab = 0
    let jbb = 0
    let ra = 0
    let rb = 0
    for (let index = 0; index < samples; index++) {
      const distance = x[index]!
      if (distance === 0) continue
      const power = Math.pow(distance, 2 * b)
      const denominator = 1 + a * power
      const residual = 1 / denominator - y[index]!
      const da = -power / (denominator * denominator)
      const db = (-a * power * 2 * Math.log(distance)) / (denominator * denominator)
      jaa += da * da
      jab += da * db
      jbb += db * db
      ra += da * residual
      rb += db * residual
    }
    let improved = false
    for (let attempt = 0; attempt < 30 && !improved; attempt++) {
      const maa = jaa * (1 + damping)
      const mbb = jbb * (1 + damping)
      const determinant = maa * mbb - jab * jab
      if (determinant === 0) break
      const stepA = -(mbb * ra - jab * rb) / determinant
      const stepB = -(maa * rb - jab * ra) / determinant
      const trialCost = squaredError(x, y, a + stepA, b + stepB)
      if (trialCost < cost) {
        const relative = (cost - trialCost) / cost
        a += stepA
        b += stepB
        cost = trialCost
        damping /= 10
        improved = true
        if (relative < 1e-12) return {a, b}
      } else {
        damping *= 10
      }
    }
    if (!improved) break
  }
  return {a, b}
}

function squaredError(x: Float64Array, y: Float64Array, a: number, b: number): number {
  let sum = 0
  for (let index = 0; index < x.length; index++) {
    const residual = 1 / (1 + a * Math.pow(x[index]!, 2 * b)) - y[index]!
    sum += residual * residual
  }
  return sum
}
