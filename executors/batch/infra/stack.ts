import {
  aws_batch as batch,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  aws_iam as iam,
  aws_logs as logs,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
} from 'aws-cdk-lib'
import type {Construct} from 'constructs'
import type {BatchSettings} from '../batch-settings.js'
import type {InfraSettings} from './infra-settings.js'
import {UserError} from '../../../src/base/errors.js'
import {retryStrategy, secretReferences} from '../job-definition.js'

/** What the stack is made from: the executor's `batch` settings (names, job size, retries) and the `infra` ones. */
export interface BatchStackParameters extends StackProps {
  batch: BatchSettings
  infra: InfraSettings
  /** Image tag the job definition runs. */
  imageTag: string
}

/** Names of the stack outputs; `ftm batch infra import-outputs` reads them back. */
export const outputNames = {
  jobQueue: 'JobQueue',
  jobDefinition: 'JobDefinition',
  bucket: 'Bucket',
  root: 'Root',
  repository: 'Repository',
  image: 'Image',
  logGroup: 'LogGroup',
  region: 'Region',
  jobRole: 'JobRole',
  executionRole: 'ExecutionRole',
} as const

/** The whole AWS side of `ftm run --executor batch`: storage, image repository, roles, compute, queue, job definition. */
export class FtmBatchStack extends Stack {
  constructor(scope: Construct, id: string, parameters: BatchStackParameters) {
    super(scope, id, parameters)
    const {batch: settings, infra} = parameters
    const bucket = infra.bucket ? s3.Bucket.fromBucketName(this, 'Bucket', infra.bucket) : newBucket(this)
    const repository = new ecr.Repository(this, 'Repository', {repositoryName: infra.repository, imageScanOnPush: true, removalPolicy: RemovalPolicy.RETAIN})
    const logGroup = new logs.LogGroup(this, 'WorkerLogs', {logGroupName: infra.logGroup, retention: infra.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN})
    const secrets = importSecrets(this, settings.secrets)
    const jobRole = new iam.Role(this, 'JobRole', {assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'ftm worker: its bucket prefix and named secrets only'})
    grantPrefix(jobRole, bucket, infra.prefix)
    for (const {secret} of secrets) secret.grantRead(jobRole)
    // The execution role gets ECR pull, log writes to the one group and the named secrets from the container
    // definition below (ContainerImage.fromEcrRepository, LogDriver.awsLogs, ecs.Secret each grant their own).
    const executionRole = new iam.Role(this, 'ExecutionRole', {assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'ftm worker containers: image pull, logs, secrets'})

    const network = networkOf(this, infra)
    const spot = new batch.ManagedEc2EcsComputeEnvironment(this, 'Spot', {
      ...computeOptions(network, infra),
      computeEnvironmentName: settings.computeEnvironment,
      spot: true,
      allocationStrategy: batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
      maxvCpus: infra.maxVcpus,
    })
    const order: batch.OrderedComputeEnvironment[] = [{computeEnvironment: spot, order: 1}]
    if (infra.onDemandFallback) {
      const onDemand = new batch.ManagedEc2EcsComputeEnvironment(this, 'OnDemand', {
        ...computeOptions(network, infra),
        computeEnvironmentName: `${settings.computeEnvironment}-ondemand`,
        spot: false,
        allocationStrategy: batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
        maxvCpus: infra.onDemandMaxVcpus,
      })
      order.push({computeEnvironment: onDemand, order: 2})
    }
    const queue = new batch.JobQueue(this, 'Queue', {jobQueueName: settings.jobQueue, priority: 1, computeEnvironments: order})

    const container = new batch.EcsEc2ContainerDefinition(this, 'Container', {
      image: ecs.ContainerImage.fromEcrRepository(repository, parameters.imageTag),
      cpu: settings.vcpus,
      memory: Size.mebibytes(settings.memory),
      ...(settings.gpus > 0 ? {gpu: settings.gpus} : {}),
      jobRole,
      executionRole,
      logging: ecs.LogDriver.awsLogs({logGroup, streamPrefix: settings.jobDefinition}),
      secrets: Object.fromEntries(secrets.map(({name, secret}) => [name, batch.Secret.fromSecretsManager(secret)])),
    })
    const strategy = retryStrategy(settings.attempts)
    new batch.EcsJobDefinition(this, 'JobDefinition', {
      jobDefinitionName: settings.jobDefinition,
      container,
      timeout: Duration.seconds(settings.timeoutSeconds),
      retryAttempts: strategy.attempts,
      retryStrategies: (strategy.evaluateOnExit ?? []).map((rule) =>
        batch.RetryStrategy.of(
          rule.action === 'RETRY' ? batch.Action.RETRY : batch.Action.EXIT,
          batch.Reason.custom({onExitCode: rule.onExitCode, onStatusReason: rule.onStatusReason, onReason: rule.onReason}),
        ),
      ),
      propagateTags: true,
    })

    const output = (name: string, value: string, description: string) => new CfnOutput(this, `${name}Output`, {value, description}).overrideLogicalId(name)
    output(outputNames.jobQueue, queue.jobQueueName, 'batch.jobQueue')
    output(outputNames.jobDefinition, settings.jobDefinition, 'batch.jobDefinition')
    output(outputNames.bucket, bucket.bucketName, 'the output bucket')
    output(outputNames.root, `s3://${bucket.bucketName}/${infra.prefix}`, 'root: where runs write')
    output(outputNames.repository, repository.repositoryUri, 'push the pipeline image here')
    output(outputNames.image, repository.repositoryUriForTag(parameters.imageTag), 'batch.image')
    output(outputNames.logGroup, logGroup.logGroupName, 'batch.logGroup')
    output(outputNames.region, Aws.REGION, 'batch.region')
    output(outputNames.jobRole, jobRole.roleArn, 'batch.jobRole')
    output(outputNames.executionRole, executionRole.roleArn, 'batch.executionRole')
  }
}

/** A private, encrypted, TLS-only bucket that outlives the stack (it holds results). */
function newBucket(scope: Construct): s3.IBucket {
  return new s3.Bucket(scope, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  })
}

/** Read and write under `prefix/` only: objects by ARN pattern, listing by an s3:prefix condition. */
function grantPrefix(role: iam.Role, bucket: s3.IBucket, prefix: string): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects(`${prefix}/*`)],
    }),
  )
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: {StringLike: {'s3:prefix': [prefix, `${prefix}/*`]}},
    }),
  )
}

/** The `NAME=arn` secrets of batch.secrets as Secrets Manager references (SSM parameters are refused). */
function importSecrets(scope: Construct, references: readonly string[]): {name: string; secret: secretsmanager.ISecret}[] {
  return secretReferences(references).map(({name, valueFrom}, index) => {
    const parts = valueFrom.split(':')
    if (parts[2] !== 'secretsmanager') {
      throw new UserError(`The secret ${name} is not a Secrets Manager ARN.`, 'The stack takes batch.secrets as NAME=arn:aws:secretsmanager:<region>:<account>:secret:<name>.')
    }
    // A JSON key suffix (`:key::`) selects a field; the grant is on the secret itself.
    const arn = parts.slice(0, 7).join(':')
    const complete = /-[A-Za-z0-9]{6}$/.test(arn)
    const id = `Secret${index}`
    return {name, secret: complete ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, arn) : secretsmanager.Secret.fromSecretPartialArn(scope, id, arn)}
  })
}

interface Network {
  vpc: ec2.IVpc
  subnets: ec2.SubnetSelection
  securityGroups: ec2.ISecurityGroup[]
}

/** The given VPC, subnets and security groups, or a new two-AZ VPC of public subnets (no NAT gateway to pay for). */
function networkOf(scope: Construct, infra: InfraSettings): Network {
  if (infra.vpcId && infra.subnets.length === 0) {
    throw new UserError(`infra.vpcId is ${infra.vpcId} but no subnets are given.`, 'Set infra.subnets to subnet ids of that VPC (with outbound internet or VPC endpoints).')
  }
  if (!infra.vpcId && infra.subnets.length > 0) {
    throw new UserError('infra.subnets are given without infra.vpcId.', 'Set infra.vpcId to the VPC of those subnets.')
  }
  const vpc = infra.vpcId
    ? ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {vpcId: infra.vpcId, availabilityZones: [Aws.NO_VALUE]})
    : new ec2.Vpc(scope, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        restrictDefaultSecurityGroup: false,
        subnetConfiguration: [{name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24}],
      })
  const subnets: ec2.SubnetSelection = infra.vpcId
    ? {subnets: infra.subnets.map((id) => ec2.Subnet.fromSubnetId(scope, `Subnet-${id}`, id))}
    : {subnetType: ec2.SubnetType.PUBLIC}
  const securityGroups =
    infra.securityGroups.length > 0
      ? infra.securityGroups.map((id) => ec2.SecurityGroup.fromSecurityGroupId(scope, `Group-${id}`, id))
      : [new ec2.SecurityGroup(scope, 'Workers', {vpc, description: 'ftm workers: outbound only', allowAllOutbound: true})]
  return {vpc, subnets, securityGroups}
}

/** What both compute environments share: network, GPU instance types, the AL2023 NVIDIA image, scale to zero. */
function computeOptions(network: Network, infra: InfraSettings) {
  return {
    vpc: network.vpc,
    vpcSubnets: network.subnets,
    securityGroups: network.securityGroups,
    instanceTypes: infra.instanceTypes.map((type) => new ec2.InstanceType(type)),
    useOptimalInstanceClasses: false,
    images: [{imageType: batch.EcsMachineImageType.ECS_AL2023_NVIDIA}],
    minvCpus: 0,
    replaceComputeEnvironment: false,
  }
}
