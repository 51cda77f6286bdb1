import {existsSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../../src/base/errors.js'
import {packageRoot} from '../../src/core/package-root.js'
import {DockerClient, type EngineProgress} from './docker-client.js'
import {buildOfflineImage, planOfflineImage, splitTag} from './offline-image.js'

/** The production Dockerfile and the files its build needs (sources, not build outputs or node_modules). */
export const productionDockerfile = 'pipeline-image/Dockerfile'
const productionContext = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.oclifrc', 'bin', 'scripts', 'src', 'executors', 'fixtures', 'pipeline-image']

export interface ImageBuildOptions {
  tags: string[]
  /** Build the CPU image from a base made from this machine's node (no registry needed) instead of the GPU image. */
  offline: boolean
  buildArgs?: Record<string, string>
  onProgress: (progress: EngineProgress) => void
}

export interface ImageBuildResult {
  image: string
  tags: string[]
  offline: boolean
  /** True when an offline image with the same content hash already existed. */
  reused: boolean
}

/** Builds the worker image on an engine (local, or remote over SSH) with progress. */
export async function buildImage(client: DockerClient, options: ImageBuildOptions): Promise<ImageBuildResult> {
  await client.ping()
  if (options.offline) {
    const plan = planOfflineImage()
    const built = await buildOfflineImage(client, plan, options.onProgress, options.tags)
    return {image: built.tag, tags: [built.tag, ...options.tags], offline: true, reused: built.reused}
  }
  const missing = productionContext.filter((entry) => !existsSync(path.join(packageRoot, entry)))
  if (missing.length > 0) {
    throw new UserError(`The GPU image is built from ftm's sources, and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing here.`, 'Run `ftm image build` from a clone of the ftm repository, or use --offline for the CPU image.')
  }
  const [first, ...rest] = options.tags
  const stream = await client.docker.buildImage(
    {context: packageRoot, src: productionContext},
    {t: first, dockerfile: productionDockerfile, buildargs: options.buildArgs ?? {}, rm: true, forcerm: true, labels: {'ftm.image': 'gpu'}},
  )
  try {
    await client.followProgress(stream, options.onProgress)
  } catch (error) {
    throw new UserError(
      `Building ${first} from ${productionDockerfile} failed: ${(error as Error).message.trim()}`,
      'See the build output above. The GPU image pulls nvidia/cuda and node base images: on a machine without registry access use `ftm image build --offline` (CPU), or build on the instance with --host.',
    )
  }
  for (const tag of rest) {
    const [repo, version] = splitTag(tag)
    await client.docker.getImage(first!).tag({repo, tag: version})
  }
  return {image: first!, tags: options.tags, offline: false, reused: false}
}

/** Registry credentials from the environment: FTM_REGISTRY_USERNAME (default AWS, for ECR) and FTM_REGISTRY_PASSWORD. */
export function registryAuth(reference: string, environment: NodeJS.ProcessEnv): {username: string; password: string; serveraddress: string} | undefined {
  const password = environment.FTM_REGISTRY_PASSWORD
  if (!password) return undefined
  const registry = reference.includes('/') && /[.:]|^localhost/.test(reference.split('/')[0]!) ? reference.split('/')[0]! : 'https://index.docker.io/v1/'
  return {username: environment.FTM_REGISTRY_USERNAME || 'AWS', password, serveraddress: registry}
}

/** Tags a local image as `target` and pushes it with the credentials of the environment. */
export async function pushImage(client: DockerClient, source: string, target: string, environment: NodeJS.ProcessEnv, onProgress: (progress: EngineProgress) => void): Promise<void> {
  await client.ping()
  if (!(await client.hasImage(source))) {
    throw new UserError(`There is no image ${source} to push.`, `Build it first with \`ftm image build --tag ${source}\`.`)
  }
  const [repo, version] = splitTag(target)
  if (target !== source) await client.docker.getImage(source).tag({repo, tag: version})
  const auth = registryAuth(target, environment)
  const stream = await client.docker.getImage(`${repo}:${version}`).push({tag: version, authconfig: auth} as object)
  try {
    await client.followProgress(stream, onProgress)
  } catch (error) {
    const text = (error as Error).message
    throw new UserError(
      `Pushing ${target} failed: ${text.replaceAll(auth?.password ?? '\u0000', '***')}`,
      auth
        ? 'Check the registry address and that the credentials in FTM_REGISTRY_USERNAME / FTM_REGISTRY_PASSWORD are current (ECR passwords last 12 hours).'
        : 'Set FTM_REGISTRY_PASSWORD (for ECR: FTM_REGISTRY_PASSWORD=$(aws ecr get-login-password --region <region>)), and FTM_REGISTRY_USERNAME for registries other than ECR.',
    )
  }
}
