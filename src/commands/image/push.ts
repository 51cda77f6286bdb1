import {exitCodeHelp} from '../../base/exit-codes.js'
import {Flags} from '@oclif/core'
import {FtmCommand, loadCommandConfig} from '../../ui/base-command.js'
import {configFlags} from '../../ui/common-flags.js'

export default class ImagePush extends FtmCommand {
  static override summary = 'Push the worker image to a registry such as ECR.'
  static override description = `Tags the local image as --to and pushes it. Credentials come from the environment: FTM_REGISTRY_PASSWORD (for ECR: $(aws ecr get-login-password --region <region>)) and FTM_REGISTRY_USERNAME (default AWS).

Exit codes:
${exitCodeHelp({0: 'image pushed', 1: 'the push failed', 130: '-'})}`

  static override examples = [
    'FTM_REGISTRY_PASSWORD=$(aws ecr get-login-password --region us-east-1) <%= config.bin %> <%= command.id %> --to 123456789012.dkr.ecr.us-east-1.amazonaws.com/ftm-pipeline:0.1.0',
  ]

  static override flags = {
    image: Flags.string({description: 'the local image to push (default: docker.image)'}),
    to: Flags.string({description: 'registry/repository:tag to push to (default: the image itself)'}),
    host: Flags.string({description: 'push from this Docker host, ssh://user@host (default: docker.host, else the local engine)'}),
    'ssh-key': Flags.string({description: 'private key for --host (default: the SSH agent)'}),
    config: configFlags.config,
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ImagePush)
    const {config} = loadCommandConfig({configFile: flags.config})
    const {DockerClient} = await import('../../../executors/docker/docker-client.js')
    const {pushImage} = await import('../../../executors/docker/image-build.js')
    const client = DockerClient.connect({host: flags.host ?? config.docker.host, sshKey: flags['ssh-key'] ?? config.docker.sshKey})
    const source = flags.image ?? config.docker.image
    const target = flags.to ?? source
    const quiet = this.jsonEnabled()
    await pushImage(client, source, target, process.env, (progress) => {
      if (!quiet && progress.line) process.stderr.write(`${progress.line}\n`)
    })
    this.log(`Pushed ${target}.`)
    return {image: source, pushed: target}
  }
}
