import {exitCodeHelp} from '../../base/exit-codes.js'
import {Flags} from '@oclif/core'
import {FtmCommand, loadCommandConfig} from '../../ui/base-command.js'
import {configFlags} from '../../ui/common-flags.js'

export default class ImageBuild extends FtmCommand {
  static override summary = 'Build the worker image (the GPU image, or with --offline a CPU image from this machine\'s node).'
  static override description = `The GPU image (pipeline-image/Dockerfile): CUDA 12 with cuDNN, Node 20, ftm, onnxruntime-node with the CUDA 12 provider. --offline builds a CPU image that needs no registry: its base is this machine's node binary and libraries, its content the current build (run \`npm run build\` first); it is tagged by a hash of that content and reused while nothing changes. --host builds on a remote engine over SSH (e.g. the EC2 instance that will run it).

Exit codes:
${exitCodeHelp({0: 'image built (or reused)', 1: 'the build failed', 130: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --tag ftm-pipeline:0.1.0',
    '<%= config.bin %> <%= command.id %> --offline --tag ftm-pipeline:latest',
    '<%= config.bin %> <%= command.id %> --host ssh://ubuntu@ec2-3-91-10-20.compute-1.amazonaws.com',
  ]

  static override flags = {
    tag: Flags.string({char: 't', description: 'image name:tag (default: docker.image, ftm-pipeline:latest)', multiple: true}),
    offline: Flags.boolean({description: 'build the CPU image from a base made from this machine\'s node binary (nothing pulled)'}),
    host: Flags.string({description: 'build on this Docker host, ssh://user@host (default: docker.host, else the local engine)'}),
    'ssh-key': Flags.string({description: 'private key for --host (default: the SSH agent)'}),
    'build-arg': Flags.string({description: 'a Dockerfile build argument, e.g. --build-arg CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04', multiple: true}),
    config: configFlags.config,
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ImageBuild)
    const {config} = loadCommandConfig({configFile: flags.config})
    const {DockerClient} = await import('../../../executors/docker/docker-client.js')
    const {buildImage} = await import('../../../executors/docker/image-build.js')
    const client = DockerClient.connect({host: flags.host ?? config.docker.host, sshKey: flags['ssh-key'] ?? config.docker.sshKey})
    const tags = flags.tag ?? (flags.offline ? [] : [config.docker.image])
    const buildArgs = Object.fromEntries((flags['build-arg'] ?? []).map((pair) => [pair.split('=')[0]!, pair.split('=').slice(1).join('=')]))
    const quiet = this.jsonEnabled()
    const result = await buildImage(client, {
      tags,
      offline: flags.offline,
      buildArgs,
      onProgress: (progress) => {
        if (!quiet && progress.line) process.stderr.write(`${progress.line}\n`)
      },
    })
    this.log(`${result.reused ? 'Reused' : 'Built'} ${result.tags.join(', ')} on ${client.where}.`)
    return result
  }
}
