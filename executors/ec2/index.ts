import {defineExecutorPlugin} from '../../src/core/executor-plugin.js'
import {gpusFlag, imageFlag} from '../docker/docker-run-flags.js'
import {defaultDockerSettings, dockerSettingsSchema} from '../docker/docker-settings.js'

/** The ec2 executor: Docker containers on one (GPU) instance, driven over SSH; output on S3. */
export const ec2ExecutorPlugin = defineExecutorPlugin({
  name: 'ec2',
  capabilities: {remote: true, detached: false},
  create: async (context) => new (await import('./ec2-executor.js')).Ec2Executor(context),
  settings: {docker: dockerSettingsSchema},
  settingsDefaults: {docker: defaultDockerSettings},
  estimate: {hourlyPrice: 0.5, startupSeconds: 10, overheadFactor: 1.2, billing: 'machine'},
  runFlags: [gpusFlag, {name: 'host', configKey: 'docker.host', description: 'ec2: the instance\'s Docker host, ssh://user@host'}, imageFlag],
})
