/** The root of `x` in a union-find forest (`parent[i] === i` at a root), halving the path to it on the way. */
export function findRoot(parent: Int32Array, x: number): number {
  let root = x
  while (parent[root] !== root) root = parent[root]!
  while (parent[x] !== root) {
    const next = parent[x]!
    parent[x] = root
    x = next
  }
  return root
}
