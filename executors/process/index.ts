import {defineExecutorPlugin} from '../../src/core/executor-plugin.js'

/** The process executor: `ftm worker` child processes on this machine, the default. */
export const processExecutorPlugin = defineExecutorPlugin({
  name: 'process',
  capabilities: {remote: false, detached: false},
  create: async (context) => new (await import('./process-executor.js')).ProcessExecutor(context),
  settings: {},
  settingsDefaults: {},
  estimate: {hourlyPrice: 0, startupSeconds: 1, overheadFactor: 1, billing: 'machine'},
  runFlags: [],
})
