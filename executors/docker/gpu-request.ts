import {UserError} from '../../src/base/errors.js'
import {gpusPattern} from './docker-settings.js'

/** Docker's device request, as the Engine API takes it in HostConfig.DeviceRequests. */
export interface DeviceRequest {
  Driver: string
  Count: number
  DeviceIDs?: string[]
  Capabilities: string[][]
  Options: Record<string, string>
}

/** What `--gpus` asks for. */
export type GpuSelection = {kind: 'none'} | {kind: 'all'} | {kind: 'count'; count: number} | {kind: 'devices'; devices: string[]}

/** Parses `all`, `none`, `N` or `device=0,2` (Docker's own --gpus forms). */
export function parseGpus(text: string): GpuSelection {
  const value = text.trim()
  if (!gpusPattern.test(value)) {
    throw new UserError(`--gpus ${text} is not a GPU selection.`, 'Use all, none, a count such as 2, or device=0,2.')
  }
  if (value === 'none') return {kind: 'none'}
  if (value === 'all') return {kind: 'all'}
  if (value.startsWith('device=')) return {kind: 'devices', devices: value.slice('device='.length).split(',')}
  return {kind: 'count', count: Number(value)}
}

/** The device request for a selection, as `docker run --gpus` builds it; none for `none`. */
export function deviceRequestFor(selection: GpuSelection): DeviceRequest[] {
  const base = {Driver: '', Capabilities: [['gpu']], Options: {}}
  switch (selection.kind) {
    case 'none':
      return []
    case 'all':
      return [{...base, Count: -1}]
    case 'count':
      return [{...base, Count: selection.count}]
    case 'devices':
      return [{...base, Count: 0, DeviceIDs: selection.devices}]
  }
}

/**
 * Splits GPUs among containers running at the same time. With one slot, the container gets the whole selection.
 * With several slots and known devices, slot k gets device k mod n, so each container has its own GPU while there
 * are enough of them. `visible` lists the devices found on the engine (by the preflight) for `all` and `N`.
 */
export function planGpuSlots(selection: GpuSelection, slots: number, visible: string[] | undefined): DeviceRequest[][] {
  if (selection.kind === 'none') return Array.from({length: slots}, () => [])
  if (slots <= 1) return [deviceRequestFor(selection)]
  const devices =
    selection.kind === 'devices'
      ? selection.devices
      : visible && visible.length > 0
        ? selection.kind === 'count'
          ? visible.slice(0, selection.count)
          : visible
        : undefined
  if (!devices) return Array.from({length: slots}, () => deviceRequestFor(selection))
  return Array.from({length: slots}, (_, slot) => deviceRequestFor({kind: 'devices', devices: [devices[slot % devices.length]!]}))
}
