import {App, BootstraplessSynthesizer} from 'aws-cdk-lib'
import type {BatchSettings} from '../batch-settings.js'
import type {InfraSettings} from './infra-settings.js'
import {FtmBatchStack} from './stack.js'

export interface SynthesizeOptions {
  batch: BatchSettings
  infra: InfraSettings
  /** The pipeline image of docker.image; its tag is used when infra.imageTag is empty. */
  dockerImage: string
  /** The cloud assembly directory written. */
  outdir: string
}

/** What synthesis wrote. */
export interface Synthesized {
  stackName: string
  /** The cloud assembly directory (`cdk deploy --app <outdir>` deploys it). */
  outdir: string
  /** The CloudFormation template file (`aws cloudformation deploy --template-file <file>` deploys it). */
  templateFile: string
  template: Record<string, unknown>
  imageTag: string
}

/**
 * Synthesizes the Batch stack in-process, offline: no AWS call, no bootstrap (no assets, so the template deploys
 * with plain CloudFormation as well as with the cdk CLI).
 */
export function synthesizeBatchStack(options: SynthesizeOptions): Synthesized {
  const imageTag = options.infra.imageTag || imageTagOf(options.dockerImage)
  const app = new App({outdir: options.outdir, analyticsReporting: false})
  new FtmBatchStack(app, options.infra.stackName, {
    batch: options.batch,
    infra: options.infra,
    imageTag,
    synthesizer: new BootstraplessSynthesizer(),
    description: 'ftm: AWS Batch Spot GPU workers (bucket, ECR repository, roles, compute, queue, job definition)',
  })
  const stack = app.synth().getStackByName(options.infra.stackName)
  return {stackName: stack.stackName, outdir: options.outdir, templateFile: stack.templateFullPath, template: stack.template as Record<string, unknown>, imageTag}
}

/** The tag of an image reference (`latest` when it has none). */
export function imageTagOf(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1)
  const withoutDigest = name.split('@')[0] ?? name
  const colon = withoutDigest.indexOf(':')
  return colon >= 0 ? withoutDigest.slice(colon + 1) : 'latest'
}
