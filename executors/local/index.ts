import {defineExecutorPlugin} from '../../src/core/executor-plugin.js'
import {gpusFlag, imageFlag} from '../docker/docker-run-flags.js'
import {defaultDockerSettings, dockerSettingsSchema} from '../docker/docker-settings.js'

/** The local executor: a Docker container per partition on this machine's engine. */
export const localExecutorPlugin = defineExecutorPlugin({
  name: 'local',
  capabilities: {remote: false, detached: false},
  create: async (context) => new (await import('./local-executor.js')).LocalExecutor(context),
  settings: {docker: dockerSettingsSchema},
  settingsDefaults: {docker: defaultDockerSettings},
  estimate: {hourlyPrice: 0, startupSeconds: 10, overheadFactor: 1, billing: 'machine'},
  runFlags: [gpusFlag, imageFlag],
})
