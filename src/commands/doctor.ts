import {Flags} from '@oclif/core'
import {ExitCode, exitCodeHelp} from '../base/exit-codes.js'
import {FtmCommand, loadCommandConfig} from '../ui/base-command.js'
import {configFlags} from '../ui/common-flags.js'

export default class Doctor extends FtmCommand {
  static override summary = 'Check Docker, the worker image and the GPUs for the local and ec2 executors; list or clean orphaned containers.'
  static override description = `Checks, each with the fix when it fails: Docker is reachable; the image is present; Docker has the NVIDIA runtime; the image sees the GPUs (nvidia-smi inside a container with the run's --gpus). \`ftm run --executor local|ec2\` runs the same checks before starting containers. Worker containers whose ftm process has died are listed; --clean stops (letting workers commit) and removes them.

Exit codes:
${exitCodeHelp({0: 'every check passed', 1: 'a check failed (each failure says its fix)', 130: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --gpus none --image ftm-pipeline:latest',
    '<%= config.bin %> <%= command.id %> --host ssh://ubuntu@ec2-3-91-10-20.compute-1.amazonaws.com',
    '<%= config.bin %> <%= command.id %> --clean',
  ]

  static override flags = {
    image: Flags.string({description: 'the worker image (default: docker.image)'}),
    gpus: Flags.string({description: 'GPUs to check: all, none, N or device=0,2 (default: docker.gpus)'}),
    host: Flags.string({description: 'check this Docker host, ssh://user@host (default: docker.host, else the local engine)'}),
    'ssh-key': Flags.string({description: 'private key for --host (default: the SSH agent)'}),
    clean: Flags.boolean({description: 'stop and remove worker containers left by an ftm process that has died'}),
    config: configFlags.config,
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(Doctor)
    const docker = Object.fromEntries(Object.entries({image: flags.image, gpus: flags.gpus, host: flags.host, sshKey: flags['ssh-key']}).filter(([, value]) => value !== undefined))
    const {config} = loadCommandConfig({configFile: flags.config, flags: {values: {docker}, names: {'docker.image': '--image', 'docker.gpus': '--gpus', 'docker.host': '--host', 'docker.sshKey': '--ssh-key'}}})
    const {diagnose} = await import('../../executors/docker/diagnose.js')
    const result = await diagnose(config.docker, {clean: flags.clean})
    if (!this.jsonEnabled()) {
      for (const check of result.checks) {
        this.log(`${check.status === 'ok' ? '✓' : check.status === 'failed' ? '✗' : '-'} ${check.name}: ${check.message}`)
        if (check.fix) this.log(`    fix: ${check.fix}`)
      }
      for (const container of result.containers) {
        this.log(`${container.orphan ? '!' : ' '} container ${container.name} (run ${container.runId}, ${container.state})${container.orphan ? ': orphan, its ftm process is gone' : ''}`)
      }
      if (result.removed.length > 0) this.log(`Removed ${result.removed.join(', ')}.`)
      else if (result.containers.some((container) => container.orphan)) this.log('Remove orphans with `ftm doctor --clean`.')
    }
    if (!result.ok) process.exitCode = ExitCode.failed
    return result
  }
}
