import type {EvaluateOnExit, RegisterJobDefinitionCommandInput, RetryStrategy} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'
import {retryableWorkerExitCodes} from '../../src/base/exit-codes.js'

/** The status reason Batch gives an attempt whose host went away: a Spot reclaim. */
export const spotReclaimPattern = 'Host EC2*'

/**
 * Retry Spot reclaims and the worker's retryable exit codes (75 transient, 143 SIGTERM after a checkpoint);
 * exit on everything else. Batch takes the first entry that matches, so the catch-all EXIT comes last.
 */
export function retryStrategy(attempts: number): RetryStrategy {
  const evaluateOnExit: EvaluateOnExit[] = [
    {onStatusReason: spotReclaimPattern, action: 'RETRY'},
    ...retryableWorkerExitCodes.map((code): EvaluateOnExit => ({onExitCode: String(code), action: 'RETRY'})),
    {onReason: '*', action: 'EXIT'},
  ]
  return {attempts, evaluateOnExit}
}

/** Secrets by reference: `NAME=arn` becomes {name, valueFrom}; the values stay in Secrets Manager. */
export function secretReferences(secrets: readonly string[]): {name: string; valueFrom: string}[] {
  return secrets.map((entry) => {
    const split = entry.indexOf('=')
    return {name: entry.slice(0, split), valueFrom: entry.slice(split + 1)}
  })
}

/** The RegisterJobDefinition request for the pipeline worker (its image's entrypoint is `ftm worker`). */
export function jobDefinitionInput(settings: BatchSettings, image: string): RegisterJobDefinitionCommandInput {
  const resourceRequirements = [
    {type: 'VCPU' as const, value: String(settings.vcpus)},
    {type: 'MEMORY' as const, value: String(settings.memory)},
    ...(settings.gpus > 0 ? [{type: 'GPU' as const, value: String(settings.gpus)}] : []),
  ]
  return {
    jobDefinitionName: settings.jobDefinition,
    type: 'container',
    platformCapabilities: ['EC2'],
    containerProperties: {
      image,
      resourceRequirements,
      ...(settings.secrets.length > 0 ? {secrets: secretReferences(settings.secrets)} : {}),
      ...(settings.executionRole ? {executionRoleArn: settings.executionRole} : {}),
      ...(settings.jobRole ? {jobRoleArn: settings.jobRole} : {}),
      logConfiguration: {
        logDriver: 'awslogs',
        options: {'awslogs-group': settings.logGroup, 'awslogs-region': settings.region, 'awslogs-stream-prefix': settings.jobDefinition},
      },
    },
    retryStrategy: retryStrategy(settings.attempts),
    timeout: {attemptDurationSeconds: settings.timeoutSeconds},
    tags: {'ftm-managed': 'true'},
    propagateTags: true,
  }
}

/**
 * True when every value the desired definition sets is already in the registered one (which may carry defaults
 * the service added, such as empty lists): then registering again would add nothing but a revision.
 */
export function containsDefinition(registered: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(registered) && registered.length === desired.length && desired.every((item, index) => containsDefinition(registered[index], item))
  }
  if (desired !== null && typeof desired === 'object') {
    if (registered === null || typeof registered !== 'object') return false
    return Object.entries(desired).every(([key, value]) => value === undefined || containsDefinition((registered as Record<string, unknown>)[key], value))
  }
  return registered === desired
}
