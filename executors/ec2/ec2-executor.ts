import path from 'node:path'
import type {DockerSettings} from '../docker/docker-settings.js'
import {UserError} from '../../src/base/errors.js'
import type {ExecutorContext} from '../../src/core/executor.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {ContainerExecutor} from '../docker/container-executor.js'
import {ec2ExecutorPlugin} from './index.js'

/** Checks an ec2 run: a host to reach, an output root on S3 and a source the instance can read. */
export function checkEc2Run(run: Pick<RunRecord, 'root' | 'source'>, settings: Pick<DockerSettings, 'host'>): void {
  if (!settings.host) {
    throw new UserError('The ec2 executor needs the instance to run on.', 'Pass --host ssh://user@host (e.g. --host ssh://ubuntu@ec2-3-91-10-20.compute-1.amazonaws.com).')
  }
  if (!/^s3:\/\//i.test(run.root)) {
    throw new UserError(
      `The ec2 executor writes to S3, but the output root is ${run.root}, a folder on this machine that ${settings.host} cannot see.`,
      'Pass --root s3://bucket/prefix (the instance needs S3 access: an instance role, or AWS_* credentials in your environment).',
    )
  }
  if (run.source && path.isAbsolute(run.source)) {
    throw new UserError(
      `The source ${run.source} is a file on this machine, which ${settings.host} cannot read.`,
      'Copy it to S3 and pass --source s3://bucket/key, or use the WRDS source (wrds://).',
    )
  }
}

/**
 * Runs each partition in a Docker container on one (GPU) instance, driving its engine over SSH (`--host
 * ssh://user@host`, key from the SSH agent or docker.sshKey). Output goes to S3; AWS credentials and S3 settings in
 * the CLI's environment are passed to the containers, never written to the run record.
 */
export class Ec2Executor extends ContainerExecutor {
  constructor(context: ExecutorContext) {
    super(context, {
      name: 'ec2',
      capabilities: ec2ExecutorPlugin.capabilities,
      checkRun: checkEc2Run,
      mountsLocalPaths: () => false,
      buildHint: (settings) =>
        `Build it on the instance with \`ftm image build --host ${settings.host} --tag ${settings.image}\`, or push it to a registry (\`ftm image push\`) and pull it there.`,
    })
  }
}
