/**
 * Normalised mutual information of two labelings (sklearn's default, arithmetic mean): MI / ((H(U) + H(V)) / 2).
 * 1 for identical partitions (also when both have a single class), 0 for independent ones.
 */
export function normalizedMutualInformation(truth: readonly (string | number)[], predicted: readonly (string | number)[]): number {
  if (truth.length !== predicted.length) throw new Error('normalizedMutualInformation needs two labelings of the same items')
  const count = truth.length
  const joint = new Map<string, number>()
  const truthSizes = new Map<string | number, number>()
  const predictedSizes = new Map<string | number, number>()
  for (let index = 0; index < count; index++) {
    const key = `${truth[index]}\u0000${predicted[index]}`
    joint.set(key, (joint.get(key) ?? 0) + 1)
    truthSizes.set(truth[index]!, (truthSizes.get(truth[index]!) ?? 0) + 1)
    predictedSizes.set(predicted[index]!, (predictedSizes.get(predicted[index]!) ?? 0) + 1)
  }
  if (truthSizes.size === 1 && predictedSizes.size === 1) return 1
  if (truthSizes.size === 1 || predictedSizes.size === 1) return 0
  const entropy = (sizes: Map<string | number, number>): number => [...sizes.values()].reduce((sum, size) => sum - (size / count) * Math.log(size / count), 0)
  let mutual = 0
  for (let index = 0, seen = new Set<string>(); index < count; index++) {
    const key = `${truth[index]}\u0000${predicted[index]}`
    if (seen.has(key)) continue
    seen.add(key)
    const together = joint.get(key)! / count
    mutual += together * Math.log(together / ((truthSizes.get(truth[index]!)! / count) * (predictedSizes.get(predicted[index]!)! / count)))
  }
  const mean = (entropy(truthSizes) + entropy(predictedSizes)) / 2
  return mean > 0 ? Math.max(0, mutual) / mean : 0
}
