import {hostname} from 'node:os'

/** True when a process with this id exists on this machine (one we may not signal still exists). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether a process recorded with its host is alive: undefined when it runs on another machine (cannot tell). */
export function isRecordedProcessAlive(recorded: {host: string; pid: number}): boolean | undefined {
  return recorded.host === hostname() ? isProcessAlive(recorded.pid) : undefined
}

/** Sends a signal to a process on this machine; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal)
    return true
  } catch {
    return false
  }
}
