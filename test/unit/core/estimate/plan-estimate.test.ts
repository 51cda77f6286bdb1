import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {scheduleMakespan} from '../../../../src/core/estimate/estimate-cost.js'
import {describeBasis} from '../../../../src/ui/format-estimate.js'
import {estimatePlan, layoutQuarters, type MeasuredRun} from '../../../../src/core/estimate/plan-estimate.js'

const config = (parallel: number, partitions?: number) => ({...defaultConfig, parallel, partitions})

describe('plan estimates', () => {
  it("reproduces ADR-005's cost table: 5000 firms × 15 s, 5 Batch Spot jobs against one sequential instance", () => {
    // Given one quarter of 5000 firms, --parallel 5 and the default (ADR) per-firm times and prices
    const layout = layoutQuarters([{quarter: '2024Q1', firms: 5000}], config(5))
    const plan = estimatePlan(layout, config(5))
    const batch = plan.executors.find((estimate) => estimate.name === 'batch')!

    // Then the split is the ADR's: 5 partitions of 1000 firms, 15 s per firm
    expect(layout[0]).toMatchObject({partitions: 5, partitionSizes: [1000, 1000, 1000, 1000, 1000]})
    expect(plan.firmTimes.reference).toMatchObject({seconds: 15, source: 'configured', stages: {preprocess: 2, embed: 3, cluster: 5, label: 5}})
    // Sequential: 75,000 s = 20.8 GPU hours × $0.50 ≈ $10, ~48 hours with overhead and interruptions
    expect(plan.baseline.instanceHours).toBeCloseTo(20.83, 2)
    expect(plan.baseline.hourlyPrice).toBe(0.5)
    expect(plan.baseline.cost).toBeCloseTo(10.42, 2)
    expect(Math.round(plan.baseline.wallHours)).toBe(48)
    // Batch: 5 jobs of ~4 hours (1000 × 15 s plus a 60 s cold start) × $0.16 ≈ $3.3, ~10 hours
    expect(batch.partitions).toBe(5)
    expect(batch.parallel).toBe(5)
    expect(batch.computeHours).toBeCloseTo(4.18, 2)
    expect(Math.round(batch.computeHours)).toBe(4)
    expect(batch.instanceHours).toBeCloseTo(5 * 4.18, 1)
    expect(batch.hourlyPrice).toBe(0.16)
    expect(batch.cost).toBeCloseTo(3.35, 2)
    expect(Math.round(batch.wallHours)).toBe(10)
    // And the savings row: 68% cost, 80% time
    expect(Math.round(batch.savings!.cost * 100)).toBe(68)
    expect(Math.round(batch.savings!.time * 100)).toBe(80)
  })

  it('queues partitions of several quarters on the parallel slots in plan order', () => {
    expect(scheduleMakespan([10, 10, 10], 2)).toBe(20)
    expect(scheduleMakespan([30, 10, 10, 10], 2)).toBe(30)
    expect(scheduleMakespan([5], 8)).toBe(5)
    expect(scheduleMakespan([], 3)).toBe(0)
    // Two quarters of 2500 firms, 3 partitions each, 4 at a time: two waves on a machine billed once
    const layout = layoutQuarters(
      [
        {quarter: '2024Q1', firms: 2500},
        {quarter: '2024Q2', firms: 2500},
      ],
      config(4, 3),
    )
    expect(layout.map((quarter) => quarter.partitionSizes)).toEqual([
      [834, 833, 833],
      [834, 833, 833],
    ])
    const plan = estimatePlan(layout, {parallel: 4, estimate: {...defaultConfig.estimate, useMeasured: false}})
    const ec2 = plan.executors.find((estimate) => estimate.name === 'ec2')!
    // 5th and 6th partitions (833 firms) go to the slots the 833-firm partitions of the first wave free first
    expect(ec2.computeHours * 3600).toBeCloseTo(2 * (10 + 833 * 15), 6)
    expect(ec2.instanceHours).toBeCloseTo(ec2.computeHours, 9)
    expect(ec2.cost).toBeCloseTo(ec2.computeHours * 0.5, 9)
    expect(plan.totals).toEqual({firms: 5000, partitions: 6})
  })

  it("compares like with like: one executor's measured times are shown, but all are costed on the configured ones", () => {
    const measured: MeasuredRun[] = [
      {runId: 'a', executor: 'process', firms: 30, totalSeconds: 0.2, stages: {preprocess: 0.05, embed: 0.15}},
      {runId: 'b', executor: 'process', firms: 10, totalSeconds: 0.6, stages: {preprocess: 0.1, embed: 0.5}},
    ]
    const layout = layoutQuarters([{quarter: '2024Q1', firms: 100}], config(2))
    const plan = estimatePlan(layout, config(2), measured)
    expect(plan.firmTimes.process).toMatchObject({source: 'measured', firms: 40, runs: 2})
    expect(plan.firmTimes.process!.seconds).toBeCloseTo(0.3, 9)
    expect(plan.firmTimes.process!.stages.embed).toBeCloseTo(0.2375, 9)
    expect(plan.firmTimes.batch).toMatchObject({source: 'configured', seconds: 15})
    expect(plan.basis).toEqual({times: 'configured', measuredExecutors: ['process']})
    for (const estimate of plan.executors) expect(estimate.firmSeconds, estimate.name).toBe(15)
    expect(describeBasis(plan.basis)).toContain('only process was measured')
    // With measurements turned off, every executor uses the configured time
    const configured = estimatePlan(layout, {parallel: 2, estimate: {...defaultConfig.estimate, useMeasured: false}}, measured)
    expect(configured.firmTimes.process).toMatchObject({source: 'configured', seconds: 15})
    expect(configured.basis).toEqual({times: 'configured', measuredExecutors: []})
  })

  it('costs every executor on its measured times once each was measured', () => {
    const measured: MeasuredRun[] = ['process', 'local', 'ec2', 'batch'].map((executor, index) => ({runId: executor, executor, firms: 10, totalSeconds: index + 1, stages: {}}))
    const layout = layoutQuarters([{quarter: '2024Q1', firms: 100}], config(2))
    const plan = estimatePlan(layout, config(2), measured)
    expect(plan.basis).toEqual({times: 'measured', measuredExecutors: ['process', 'local', 'ec2', 'batch']})
    expect(plan.executors.map((estimate) => estimate.firmSeconds)).toEqual([1, 2, 3, 4])
    expect(describeBasis(plan.basis)).toContain('measured every executor')
  })
})
