/**
 * At most `size` tasks at a time, each told which slot (0..size-1) it holds, so that a slot's resources (a GPU)
 * are never shared by two running tasks. Tasks start in submission order.
 */
export class SlotPool {
  private readonly free: number[]
  private readonly waiting: Array<(slot: number) => void> = []

  constructor(size: number) {
    this.free = Array.from({length: size}, (_, slot) => slot)
  }

  /** Runs a task when a slot is free; the slot is released when it settles. */
  async run(task: (slot: number) => Promise<void>): Promise<void> {
    const slot = await this.acquire()
    try {
      await task(slot)
    } finally {
      this.release(slot)
    }
  }

  private acquire(): Promise<number> {
    const slot = this.free.shift()
    if (slot !== undefined) return Promise.resolve(slot)
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(slot: number): void {
    const next = this.waiting.shift()
    if (next) next(slot)
    else this.free.push(slot)
  }
}
