import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

interface LockEntry {
  version?: string
  integrity?: string
  dev?: boolean
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/** An installed package the image needs: its folder (`node_modules/...`) and what pins its content. */
export interface ImagePackage {
  folder: string
  pin: string
}

/**
 * The installed packages that the production dependencies (minus `excluded` ones and everything only they need)
 * pull in, resolved as Node does from package-lock.json: nested node_modules first, then upward.
 */
export function productionPackages(root: string, excluded: readonly string[]): ImagePackage[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>}
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {dependencies?: Record<string, string>}
  const chosen = new Map<string, ImagePackage>()
  const visit = (name: string, from: string, optional: boolean): void => {
    if (excluded.includes(name)) return
    const folder = resolveFolder(lock.packages, name, from)
    if (!folder || !existsSync(path.join(root, folder))) {
      if (optional) return
      throw new Error(`package-lock.json names ${name} (needed by ${from || 'ftm'}) but it is not installed`)
    }
    if (chosen.has(folder)) return
    const entry = lock.packages[folder]!
    chosen.set(folder, {folder, pin: `${entry.version ?? ''} ${entry.integrity ?? ''}`})
    for (const dependency of Object.keys(entry.dependencies ?? {})) visit(dependency, folder, false)
    for (const dependency of Object.keys(entry.optionalDependencies ?? {})) visit(dependency, folder, true)
  }
  for (const name of Object.keys(manifest.dependencies ?? {})) visit(name, '', false)
  return [...chosen.values()].sort((a, b) => a.folder.localeCompare(b.folder))
}

function resolveFolder(packages: Record<string, LockEntry>, name: string, from: string): string | undefined {
  for (let base = from; ; ) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`
    if (packages[candidate]) return candidate
    if (!base) return undefined
    const parent = base.lastIndexOf('/node_modules/')
    base = parent === -1 ? '' : base.slice(0, parent)
  }
}
