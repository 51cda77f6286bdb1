import type {DockerSettings} from './docker-settings.js'
import {errorMessage, isUserError, UserError} from '../../src/base/errors.js'
import {describeEngineError, DockerClient} from './docker-client.js'
import {deviceRequestFor, parseGpus} from './gpu-request.js'

/** One check of `ftm doctor` (and of the preflight before a local or ec2 run). */
export interface PreflightCheck {
  name: 'docker' | 'image' | 'nvidia-runtime' | 'gpu'
  status: 'ok' | 'failed' | 'skipped'
  message: string
  /** What to do when the check failed. */
  fix?: string
}

export interface PreflightReport {
  checks: PreflightCheck[]
  /** GPU indices the image saw (nvidia-smi -L), when it looked. */
  gpus?: string[]
  ok: boolean
}

const gpuFix = (where: string): string =>
  `Install the NVIDIA driver and the NVIDIA Container Toolkit on ${where}, run \`sudo nvidia-ctk runtime configure --runtime=docker\` and restart Docker; or pass --gpus none to run on CPU.`

/** Checks that Docker is reachable, the image is there, the NVIDIA runtime is registered and the image sees the GPUs. */
export async function runPreflight(client: DockerClient, settings: Pick<DockerSettings, 'image' | 'gpus'>, options: {buildHint?: string} = {}): Promise<PreflightReport> {
  const checks: PreflightCheck[] = []
  const report = (): PreflightReport => ({checks, ok: checks.every((check) => check.status !== 'failed')})
  let runtimes: string[]
  try {
    await client.ping()
    const info = await client.info()
    runtimes = info.runtimes
    checks.push({name: 'docker', status: 'ok', message: `Docker ${info.serverVersion} is reachable (${client.where}).`})
  } catch (error) {
    checks.push({name: 'docker', status: 'failed', message: errorMessage(error), fix: isUserError(error) ? error.hint : undefined})
    for (const name of ['image', 'nvidia-runtime', 'gpu'] as const) checks.push({name, status: 'skipped', message: 'skipped: Docker is not reachable.'})
    return report()
  }

  const hasImage = await client.hasImage(settings.image)
  checks.push(
    hasImage
      ? {name: 'image', status: 'ok', message: `The image ${settings.image} is present.`}
      : {
          name: 'image',
          status: 'failed',
          message: `The image ${settings.image} is not on ${client.where}.`,
          fix: options.buildHint ?? `Build it with \`ftm image build --tag ${settings.image}\`, or pass --image with an image you have.`,
        },
  )

  const selection = parseGpus(settings.gpus)
  if (selection.kind === 'none') {
    checks.push({name: 'nvidia-runtime', status: 'skipped', message: 'skipped: --gpus none (workers run on CPU).'})
    checks.push({name: 'gpu', status: 'skipped', message: 'skipped: --gpus none (workers run on CPU).'})
    return report()
  }
  checks.push(
    runtimes.includes('nvidia')
      ? {name: 'nvidia-runtime', status: 'ok', message: 'The NVIDIA container runtime is registered with Docker.'}
      : {name: 'nvidia-runtime', status: 'failed', message: `Docker has no NVIDIA runtime (runtimes: ${runtimes.join(', ') || 'none'}).`, fix: gpuFix(client.where)},
  )
  if (!hasImage) {
    checks.push({name: 'gpu', status: 'skipped', message: 'skipped: the image is missing.'})
    return report()
  }
  const gpus = await lookForGpus(client, settings.image, selection)
  checks.push(gpus.check)
  return {...report(), gpus: gpus.devices}
}

/** Runs `nvidia-smi -L` in the image with the run's device request: the image itself must see the GPUs. */
async function lookForGpus(client: DockerClient, image: string, selection: ReturnType<typeof parseGpus>): Promise<{check: PreflightCheck; devices?: string[]}> {
  try {
    const result = await client.runOnce({
      Image: image,
      Entrypoint: ['nvidia-smi'],
      Cmd: ['-L'],
      Labels: {'ftm.preflight': 'true'},
      HostConfig: {DeviceRequests: deviceRequestFor(selection), AutoRemove: false},
    })
    const devices = [...result.output.matchAll(/^GPU (\d+):/gm)].map((match) => match[1]!)
    if (result.exitCode !== 0 || devices.length === 0) {
      return {check: {name: 'gpu', status: 'failed', message: `nvidia-smi in ${image} found no GPU (exit ${result.exitCode}): ${result.output.trim().split('\n')[0] ?? ''}`, fix: gpuFix(client.where)}}
    }
    return {check: {name: 'gpu', status: 'ok', message: `The image sees ${devices.length} GPU${devices.length > 1 ? 's' : ''}: ${result.output.trim().split('\n').join('; ')}`}, devices}
  } catch (error) {
    const text = describeEngineError(error)
    if (/executable file not found|no such file/i.test(text)) {
      return {check: {name: 'gpu', status: 'failed', message: `The image ${image} has no nvidia-smi, so it is not the GPU image.`, fix: 'Build the GPU image with `ftm image build` (pipeline-image/Dockerfile), or pass --gpus none to run on CPU.'}}
    }
    return {check: {name: 'gpu', status: 'failed', message: `A container with GPUs could not start: ${text}`, fix: gpuFix(client.where)}}
  }
}

/** Throws the first failed check as a UserError: the preflight before a run. */
export function assertPreflight(report: PreflightReport): void {
  const failed = report.checks.find((check) => check.status === 'failed')
  if (failed) throw new UserError(failed.message, `${failed.fix ?? ''} (\`ftm doctor\` runs every check; --set docker.preflight=false skips them.)`.trim())
}
