/** A firm as a source lists it: its id and, where known, its name. */
export interface FirmRef {
  id: string
  name: string
}

/** Orders firm ids: numerically when both are whole numbers (WRDS companyids), else by code units. */
export function compareFirmIds(left: string, right: string): number {
  const numeric = /^\d+$/
  if (numeric.test(left) && numeric.test(right) && left.length !== right.length) return left.length - right.length
  return left < right ? -1 : left > right ? 1 : 0
}
