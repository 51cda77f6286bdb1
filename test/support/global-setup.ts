import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

/** Builds the CLI once, its oclif manifest included, so that integration tests run `bin/run.js` exactly as users do. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  })
  execFileSync(process.execPath, [`${root}/scripts/write-oclif-manifest.js`], {cwd: root, stdio: 'ignore'})
}
