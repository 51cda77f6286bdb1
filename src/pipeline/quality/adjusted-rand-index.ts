/**
 * The adjusted Rand index of two labelings of the same items (sklearn's formula): 1 for identical partitions,
 * about 0 for chance agreement, negative below chance.
 */
export function adjustedRandIndex(truth: readonly (string | number)[], predicted: readonly (string | number)[]): number {
  if (truth.length !== predicted.length) throw new Error('adjustedRandIndex needs two labelings of the same items')
  const count = truth.length
  const pairs = (n: number): number => (n * (n - 1)) / 2
  const contingency = new Map<string, number>()
  const truthSizes = new Map<string | number, number>()
  const predictedSizes = new Map<string | number, number>()
  for (let index = 0; index < count; index++) {
    const key = `${truth[index]}\u0000${predicted[index]}`
    contingency.set(key, (contingency.get(key) ?? 0) + 1)
    truthSizes.set(truth[index]!, (truthSizes.get(truth[index]!) ?? 0) + 1)
    predictedSizes.set(predicted[index]!, (predictedSizes.get(predicted[index]!) ?? 0) + 1)
  }
  const sumCells = [...contingency.values()].reduce((sum, n) => sum + pairs(n), 0)
  const sumTruth = [...truthSizes.values()].reduce((sum, n) => sum + pairs(n), 0)
  const sumPredicted = [...predictedSizes.values()].reduce((sum, n) => sum + pairs(n), 0)
  const expected = (sumTruth * sumPredicted) / Math.max(1, pairs(count))
  const maximum = (sumTruth + sumPredicted) / 2
  if (maximum === expected) return 1
  return (sumCells - expected) / (maximum - expected)
}
