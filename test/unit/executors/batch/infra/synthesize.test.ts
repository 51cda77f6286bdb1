import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Match, Template} from 'aws-cdk-lib/assertions'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {retryStrategy, spotReclaimPattern} from '../../../../../executors/batch/job-definition.js'
import {type Synthesized, synthesizeBatchStack} from '../../../../../executors/batch/infra/synthesize.js'
import {defaultBatchSettings} from '../../../../../executors/batch/batch-settings.js'
import {defaultInfraSettings} from '../../../../../executors/batch/infra/infra-settings.js'
import {retryableWorkerExitCodes} from '../../../../../src/base/exit-codes.js'

/**
 * Actions AWS only authorizes on `*`: ecr:GetAuthorizationToken has no resource-level permissions (the token is
 * per registry, not per repository). Any other action on `*` fails the test.
 */
const actionsOnlyOnWildcard = new Set(['ecr:GetAuthorizationToken'])

const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wrds-AbCdEf'
const batch = {...defaultBatchSettings, attempts: 4, timeoutSeconds: 7200, secrets: [`WRDS_PASSWORD=${secretArn}`]}

type Statement = {Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown}
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])

describe('the Batch stack (synthesized offline, new VPC, bucket and on-demand fallback)', () => {
  let directory: string
  let synthesized: Synthesized
  let template: Template

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'ftm-infra-'))
    synthesized = synthesizeBatchStack({batch, infra: {...defaultInfraSettings, onDemandFallback: true}, dockerImage: 'ftm-pipeline:0.1.0', outdir: directory})
    template = Template.fromJSON(synthesized.template)
  })
  afterAll(() => rmSync(directory, {recursive: true, force: true}))

  it('writes a bootstrap-free template file under the output directory', () => {
    expect(synthesized.templateFile).toBe(path.join(directory, 'ftm-batch.template.json'))
    expect(Object.keys(synthesized.template.Parameters ?? {})).not.toContain('BootstrapVersion')
    expect(synthesized.imageTag).toBe('0.1.0')
  })

  it('a Spot GPU compute environment: SPOT_PRICE_CAPACITY_OPTIMIZED, the AL2023 NVIDIA image, GPU instance types', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeEnvironmentName: batch.computeEnvironment,
      Type: 'managed',
      ComputeResources: {
        Type: 'SPOT',
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        Ec2Configuration: [{ImageType: 'ECS_AL2023_NVIDIA'}],
        InstanceTypes: defaultInfraSettings.instanceTypes,
        MinvCpus: 0,
        MaxvCpus: defaultInfraSettings.maxVcpus,
      },
    })
  })

  it('the queue takes Spot first and the on-demand fallback second', () => {
    const environments = template.findResources('AWS::Batch::ComputeEnvironment')
    const logicalIdOf = (type: string) => Object.entries(environments).find(([, resource]) => resource.Properties.ComputeResources.Type === type)?.[0]
    const onDemand = environments[logicalIdOf('EC2')!]!.Properties
    expect(onDemand.ComputeEnvironmentName).toBe(`${batch.computeEnvironment}-ondemand`)
    expect(onDemand.ComputeResources.Ec2Configuration).toEqual([{ImageType: 'ECS_AL2023_NVIDIA'}])
    template.hasResourceProperties('AWS::Batch::JobQueue', {
      JobQueueName: batch.jobQueue,
      ComputeEnvironmentOrder: [
        {Order: 1, ComputeEnvironment: {'Fn::GetAtt': [logicalIdOf('SPOT'), 'ComputeEnvironmentArn']}},
        {Order: 2, ComputeEnvironment: {'Fn::GetAtt': [logicalIdOf('EC2'), 'ComputeEnvironmentArn']}},
      ],
    })
  })

  it("the job definition has the executor's retry rules, in its order, and its timeout and size", () => {
    const expected = retryStrategy(batch.attempts).evaluateOnExit!.map((rule) => ({
      Action: rule.action,
      ...(rule.onStatusReason ? {OnStatusReason: rule.onStatusReason} : {}),
      ...(rule.onExitCode ? {OnExitCode: rule.onExitCode} : {}),
      ...(rule.onReason ? {OnReason: rule.onReason} : {}),
    }))
    // The shared values, spelled out once here so that a change to either side is seen.
    expect(expected).toEqual([
      {Action: 'RETRY', OnStatusReason: spotReclaimPattern},
      ...retryableWorkerExitCodes.map((code) => ({Action: 'RETRY', OnExitCode: String(code)})),
      {Action: 'EXIT', OnReason: '*'},
    ])
    expect(retryableWorkerExitCodes).toEqual([75, 143])
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: batch.jobDefinition,
      PlatformCapabilities: ['EC2'],
      RetryStrategy: {Attempts: 4, EvaluateOnExit: expected},
      Timeout: {AttemptDurationSeconds: 7200},
      ContainerProperties: Match.objectLike({
        ResourceRequirements: Match.arrayWith([{Type: 'VCPU', Value: '4'}, {Type: 'GPU', Value: '1'}]),
        Secrets: [{Name: 'WRDS_PASSWORD', ValueFrom: secretArn}],
      }),
    })
  })

  it('logs go to the stack’s log group, which keeps them for the configured days', () => {
    const groups = template.findResources('AWS::Logs::LogGroup')
    const [groupId, group] = Object.entries(groups)[0]!
    expect(Object.keys(groups)).toHaveLength(1)
    expect(group.Properties).toMatchObject({LogGroupName: defaultInfraSettings.logGroup, RetentionInDays: defaultInfraSettings.logRetentionDays})
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {'awslogs-group': {Ref: groupId}, 'awslogs-stream-prefix': batch.jobDefinition, 'awslogs-region': {Ref: 'AWS::Region'}},
        },
      }),
    })
  })

  it('no IAM statement allows a wildcard resource, except the actions AWS authorizes only on *', () => {
    const statements: Statement[] = []
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) statements.push(...policy.Properties.PolicyDocument.Statement)
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      for (const inline of role.Properties.Policies ?? []) statements.push(...inline.PolicyDocument.Statement)
    }
    for (const policy of Object.values(template.findResources('AWS::S3::BucketPolicy'))) statements.push(...policy.Properties.PolicyDocument.Statement)
    expect(statements.length).toBeGreaterThan(5)
    const wildcards = statements.filter((statement) => statement.Effect === 'Allow' && list(statement.Resource).some((resource) => resource === '*' || resource === 'arn:aws:s3:::*'))
    for (const statement of wildcards) expect(list(statement.Action).filter((action) => !actionsOnlyOnWildcard.has(action))).toEqual([])
    expect(wildcards.flatMap((statement) => list(statement.Action))).toEqual(['ecr:GetAuthorizationToken'])
    // No allowed action is a wildcard either (the bucket policy's TLS-only Deny of s3:* is a denial).
    const allowed = statements.filter((statement) => statement.Effect === 'Allow')
    expect(allowed.flatMap((statement) => list(statement.Action)).some((action) => action.endsWith(':*') || action === '*')).toBe(false)
  })

  it('the job role reads and writes only its bucket prefix and reads only the named secret', () => {
    const roles = template.findResources('AWS::IAM::Role', {Properties: {Description: Match.stringLikeRegexp('^ftm worker:')}})
    const jobRoleId = Object.keys(roles)[0]!
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((entry) => entry.Properties.Roles.some((role: {Ref: string}) => role.Ref === jobRoleId))!
    const statements: Statement[] = policy.Properties.PolicyDocument.Statement
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0]
    expect(statements).toEqual([
      expect.objectContaining({Action: expect.arrayContaining(['s3:GetObject', 's3:PutObject']), Resource: {'Fn::Join': ['', [{'Fn::GetAtt': [bucketId, 'Arn']}, '/ftm/*']]}}),
      expect.objectContaining({Action: 's3:ListBucket', Resource: {'Fn::GetAtt': [bucketId, 'Arn']}, Condition: {StringLike: {'s3:prefix': ['ftm', 'ftm/*']}}}),
      expect.objectContaining({Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secretArn}),
    ])
  })

  it('the only managed policy is the ECS instance role of the compute environments', () => {
    const managed = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) => role.Properties.ManagedPolicyArns ?? [])
    expect(managed.map((arn) => JSON.stringify(arn))).toEqual(Array(2).fill(expect.stringContaining(':iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role')))
  })

  it('outputs what the executor needs: queue, job definition, bucket, root, repository, image, log group', () => {
    const outputs = synthesized.template.Outputs as Record<string, {Value: unknown}>
    expect(Object.keys(outputs)).toEqual(['JobQueue', 'JobDefinition', 'Bucket', 'Root', 'Repository', 'Image', 'LogGroup', 'Region', 'JobRole', 'ExecutionRole'])
    expect(outputs.JobDefinition!.Value).toBe(batch.jobDefinition)
    template.hasResourceProperties('AWS::ECR::Repository', {RepositoryName: defaultInfraSettings.repository})
    template.hasResourceProperties('AWS::S3::Bucket', {PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}})
  })
})
