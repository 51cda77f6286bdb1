import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Template} from 'aws-cdk-lib/assertions'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {imageTagOf, synthesizeBatchStack} from '../../../../../executors/batch/infra/synthesize.js'
import {defaultBatchSettings} from '../../../../../executors/batch/batch-settings.js'
import {defaultInfraSettings, type InfraSettings} from '../../../../../executors/batch/infra/infra-settings.js'

const existing: InfraSettings = {
  ...defaultInfraSettings,
  vpcId: 'vpc-0abc12345678def0',
  subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  securityGroups: ['sg-0ccccccccccccccc3'],
  bucket: 'research-results',
  prefix: 'teams/topics',
  imageTag: '2.1.0',
  maxVcpus: 128,
}

describe('the Batch stack on an existing VPC and bucket, Spot only', () => {
  let directory: string
  let template: Template

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'ftm-infra-'))
    template = Template.fromJSON(synthesizeBatchStack({batch: defaultBatchSettings, infra: existing, dockerImage: 'ftm-pipeline:latest', outdir: directory}).template)
  })
  afterAll(() => rmSync(directory, {recursive: true, force: true}))

  it('creates no VPC, security group or bucket, and uses the given ones', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0)
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0)
    template.resourceCountIs('AWS::S3::Bucket', 0)
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: {Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: ['sg-0ccccccccccccccc3'], MaxvCpus: 128, Type: 'SPOT'},
    })
  })

  it('has one compute environment in the queue: no on-demand fallback unless asked for', () => {
    template.resourceCountIs('AWS::Batch::ComputeEnvironment', 1)
    const queue = Object.values(template.findResources('AWS::Batch::JobQueue'))[0]!
    expect(queue.Properties.ComputeEnvironmentOrder).toHaveLength(1)
  })

  it("limits the job role to the existing bucket's prefix", () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    const s3Resources = statements.filter((statement) => String(statement.Action).startsWith('s3:')).map((statement) => JSON.stringify(statement.Resource))
    expect(s3Resources).toEqual([expect.stringContaining(':s3:::research-results/teams/topics/*'), expect.stringContaining(':s3:::research-results"')])
    const outputs = template.toJSON().Outputs
    expect(outputs.Root.Value).toBe('s3://research-results/teams/topics')
    expect(JSON.stringify(outputs.Image.Value)).toContain(':2.1.0')
  })
})

describe('stack parameters the user gets wrong', () => {
  it('a VPC without subnets, and subnets without a VPC, are refused with the fix', () => {
    const synthesize = (infra: InfraSettings) => () => synthesizeBatchStack({batch: defaultBatchSettings, infra, dockerImage: 'x', outdir: path.join(tmpdir(), 'ftm-infra-unused')})
    expect(synthesize({...existing, subnets: []})).toThrow(expect.objectContaining({name: 'UserError', hint: expect.stringContaining('infra.subnets')}))
    expect(synthesize({...existing, vpcId: ''})).toThrow(expect.objectContaining({name: 'UserError', hint: expect.stringContaining('infra.vpcId')}))
  })

  it('an SSM parameter as a secret is refused: the stack grants Secrets Manager ARNs only', () => {
    const batch = {...defaultBatchSettings, secrets: ['KEY=arn:aws:ssm:us-east-1:123456789012:parameter/key']}
    expect(() => synthesizeBatchStack({batch, infra: defaultInfraSettings, dockerImage: 'x', outdir: path.join(tmpdir(), 'ftm-infra-unused')})).toThrow(/not a Secrets Manager ARN/)
  })

  it('the image tag defaults to the tag of docker.image', () => {
    expect(imageTagOf('ftm-pipeline:0.1.0')).toBe('0.1.0')
    expect(imageTagOf('localhost:5000/ftm-pipeline')).toBe('latest')
    expect(imageTagOf('123456789012.dkr.ecr.us-east-1.amazonaws.com/ftm-pipeline:2.0@sha256:abc')).toBe('2.0')
  })
})
