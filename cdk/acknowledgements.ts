/**
 * The cdk-nag (AwsSolutions) findings `SpillBucket` acknowledges, each with its
 * reason. They are recorded with `Validations.of(construct).acknowledge()`, the
 * mechanism cdk-nag 3 reads; nothing here imports cdk-nag.
 *
 * @module acknowledgements
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

/**
 * Why a new spill bucket may go without server access logs (AwsSolutions-S1).
 *
 * @example
 * ```ts
 * import { ACCESS_LOGS_REASON } from 'lambda-s3-spill/cdk';
 * console.log(ACCESS_LOGS_REASON);
 * ```
 */
export const ACCESS_LOGS_REASON =
  'Spilled objects are transient copies of HTTP responses: written only by the connected function under one prefix, ' +
  'read only through short-lived presigned URLs, and expired by the lifecycle rule within days. Server access logs ' +
  'are opt-in through the serverAccessLogsBucket prop (or CloudTrail data events) rather than a second bucket by default.';

/**
 * Why the spill grant's resource ends in a wildcard (AwsSolutions-IAM5).
 *
 * @example
 * ```ts
 * import { PREFIX_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
 * console.log(PREFIX_WILDCARD_REASON);
 * ```
 */
export const PREFIX_WILDCARD_REASON =
  'The wildcard is the spill prefix: the middleware writes one object per oversized response under a key made at ' +
  'run time (<prefix><timestamp>-<uuid>), so no fixed ARN can name it. The statement allows only s3:PutObject, ' +
  's3:AbortMultipartUpload and s3:GetObject, and only under that prefix.';

/**
 * Acknowledge AwsSolutions-S1 on a bucket created without server access logs.
 *
 * Used by `SpillBucket` on the bucket it creates when no `serverAccessLogsBucket` is given.
 */
export function acknowledgeNoAccessLogs(bucket: IConstruct): void {
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: ACCESS_LOGS_REASON });
}

/**
 * Acknowledge exactly the AwsSolutions-IAM5 finding `Resource::<bucket ARN>/<pattern>`
 * on the grantee (its policy is a child of it), and nothing broader. The id is
 * built the way cdk-nag flattens intrinsics (`<Logical.Arn>`); a grantee in another
 * stack sees an imported value instead and keeps its finding, for its owner to judge.
 *
 * Used by `SpillBucket.grantSpill()`: for the prefix `spill/` it acknowledges
 * `AwsSolutions-IAM5[Resource::<Bucket.Arn>/spill/*]`.
 */
export function acknowledgePrefixWildcard(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  pattern: string,
  reason: string = PREFIX_WILDCARD_REASON,
): void {
  const target = Construct.isConstruct(grantee)
    ? grantee
    : Construct.isConstruct(grantee.grantPrincipal)
      ? grantee.grantPrincipal
      : undefined;
  if (target === undefined) return;
  const resource = flattenCfnReference(Stack.of(bucket).resolve(bucket.arnForObjects(pattern)));
  Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/** The flat text cdk-nag writes for a CloudFormation value in a finding id (its `flattenCfnReference`). */
function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (isIntrinsic(node, 'Fn::Join')) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (isIntrinsic(node, 'Fn::Sub')) return flattenCfnReference(node['Fn::Sub']);
  if (isIntrinsic(node, 'Fn::GetAtt')) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (isIntrinsic(node, 'Fn::ImportValue')) return flattenCfnReference(node['Fn::ImportValue']);
  if (isIntrinsic(node, 'Ref')) return `<${flattenCfnReference(node.Ref)}>`;
  return JSON.stringify(node);
}

function isIntrinsic<K extends string>(node: unknown, key: K): node is Record<K, unknown> {
  return typeof node === 'object' && node !== null && key in node;
}

/**
 * Why the offload grants' resource ends in a wildcard (AwsSolutions-IAM5).
 *
 * @example
 * ```ts
 * import { OFFLOAD_PREFIX_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
 * console.log(OFFLOAD_PREFIX_WILDCARD_REASON);
 * ```
 */
export const OFFLOAD_PREFIX_WILDCARD_REASON =
  'The wildcard is the offload prefix: s3Offload writes one object per oversized result under a key made at run ' +
  'time (<offloadPrefix><timestamp>-<uuid>.json), and consumers read whichever key a reference names, so no fixed ARN ' +
  'can name it. Producers get s3:PutObject and s3:AbortMultipartUpload, consumers s3:GetObject, only under that prefix.';

/**
 * Why the durable grant's resource ends in a wildcard (AwsSolutions-IAM5).
 *
 * @example
 * ```ts
 * import { DURABLE_PREFIX_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
 * console.log(DURABLE_PREFIX_WILDCARD_REASON);
 * ```
 */
export const DURABLE_PREFIX_WILDCARD_REASON =
  'The wildcard is the durable prefix: s3Serdes stores a large step result under a key derived from the execution and ' +
  'the step (<durablePrefix><sha256(execution ARN)>/<sha256(step id)>.json), known only at run time, and reads it back on ' +
  'replay. The function gets s3:PutObject, s3:AbortMultipartUpload and s3:GetObject, only under that prefix.';
