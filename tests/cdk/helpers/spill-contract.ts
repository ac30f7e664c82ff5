/**
 * What matters about a spill deployment, read from a template in the same way
 * whether CDK synthesized it or it is the SAM sample: expiry, prefix, public
 * access block, encryption, CORS rules (allowed origins, methods and headers,
 * compared whole), TLS-only policy, the function's grant and its environment.
 * Intrinsics are flattened: the spill bucket becomes `<bucket>`,
 * parameters take their defaults.
 */
import type { Template } from './cfn-yaml.js';

export interface SpillContract {
  lifecycleRules: { prefix: unknown; expirationDays: unknown; abortIncompleteMultipartUploadDays: unknown; status: unknown }[];
  publicAccessBlock: unknown;
  encryption: unknown;
  objectOwnership: unknown;
  versioning: unknown;
  cors: unknown;
  deletionPolicy: unknown;
  tlsOnly: unknown[];
  grants: { actions: string[]; resources: string[] }[];
  environment: Record<string, unknown>;
}

const SPILL_ENV_NAMES = ['S3_SPILL_BUCKET', 'S3_SPILL_PREFIX'];

/** Read the spill contract of a template holding one bucket and one function. */
export function spillContract(template: Template): SpillContract {
  const resources = Object.entries(template.Resources);
  const only = (types: string[]) => {
    const found = resources.filter(([, r]) => types.includes(r.Type));
    if (found.length !== 1) throw new Error(`expected one ${types.join(' or ')}, found ${found.length}`);
    return found[0];
  };
  const [bucketId, bucket] = only(['AWS::S3::Bucket']);
  const flat = flattener(template, bucketId);
  const props = flat(bucket.Properties ?? {}) as Record<string, any>;

  const tlsOnly = resources
    .filter(([, r]) => r.Type === 'AWS::S3::BucketPolicy' && flat(r.Properties?.Bucket) === '<bucket>')
    .flatMap(([, r]) => flat(r.Properties?.PolicyDocument.Statement) as Record<string, unknown>[])
    .filter((s) => s.Effect === 'Deny')
    .map((s) => ({ ...s, Resource: asList(s.Resource).sort() }));

  const [, fn] = only(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
  const variables = (flat(fn.Properties?.Environment?.Variables ?? {}) ?? {}) as Record<string, unknown>;
  const environment = Object.fromEntries(SPILL_ENV_NAMES.map((name) => [name, variables[name]]));

  return {
    lifecycleRules: (props.LifecycleConfiguration?.Rules ?? []).map((rule: any) => ({
      prefix: rule.Prefix ?? rule.Filter?.Prefix,
      expirationDays: rule.ExpirationInDays,
      abortIncompleteMultipartUploadDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
      status: rule.Status,
    })),
    publicAccessBlock: props.PublicAccessBlockConfiguration,
    encryption: props.BucketEncryption,
    objectOwnership: props.OwnershipControls,
    versioning: props.VersioningConfiguration,
    cors: props.CorsConfiguration,
    deletionPolicy: bucket.DeletionPolicy,
    tlsOnly,
    grants: allowStatements(template, flat)
      .filter((s) => JSON.stringify(s.Resource).includes('<bucket>'))
      .map((s) => ({ actions: (asList(s.Action) as string[]).sort(), resources: (asList(s.Resource) as string[]).sort() })),
    environment,
  };
}

/** Allow statements of every identity policy in the template: CDK's and SAM's places for them. */
export function allowStatements(template: Template, flat: (v: unknown) => unknown): Record<string, unknown>[] {
  const documents: unknown[] = [];
  for (const r of Object.values(template.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') documents.push(p.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const policy of p.Policies ?? []) documents.push(policy.PolicyDocument);
    if (r.Type === 'AWS::Serverless::Function') {
      for (const policy of asList(p.Policies)) if (typeof policy === 'object' && policy !== null) documents.push(policy);
    }
  }
  return documents
    .flatMap((d) => asList((flat(d) as { Statement?: unknown }).Statement) as Record<string, unknown>[])
    .filter((s) => s.Effect === 'Allow');
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Resolve intrinsics far enough to compare two templates. */
export function flattener(template: Template, bucketId: string): (value: unknown) => unknown {
  const parameters = template.Parameters ?? {};
  const name = (id: string, attribute?: string): unknown => {
    if (id === bucketId) return attribute === undefined ? '<bucket>' : `<bucket>.${attribute}`;
    if (attribute === undefined && id in parameters && parameters[id].Default !== undefined) {
      return parameters[id].Default;
    }
    return attribute === undefined ? `<${id}>` : `<${id}.${attribute}>`;
  };
  const sub = (text: string, variables: Record<string, unknown> = {}): string =>
    text.replace(/\$\{([^}!]+)\}/g, (_, ref: string) => {
      if (ref in variables) return String(flat(variables[ref]));
      const [id, attribute] = ref.split(/\.(.*)/s);
      return String(name(id, attribute));
    });
  const flat = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(flat);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, any>;
    const keys = Object.keys(object);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = object[key];
      if (key === 'Ref') return name(arg);
      if (key === 'Fn::GetAtt') return name(arg[0], arg[1]);
      if (key === 'Fn::Join') return (flat(arg[1]) as unknown[]).map(String).join(arg[0]);
      if (key === 'Fn::Sub') return Array.isArray(arg) ? sub(arg[0], arg[1]) : sub(arg);
    }
    return Object.fromEntries(keys.map((k) => [k, flat(object[k])]));
  };
  return flat;
}

/** What matters about an offload deployment (issue 12): the bucket's rules and, per function, its offload environment and grants. */
export interface OffloadContract {
  lifecycleRules: SpillContract['lifecycleRules'];
  publicAccessBlock: unknown;
  encryption: unknown;
  objectOwnership: unknown;
  tlsOnly: unknown[];
  /** One entry per function, sorted: `S3_OFFLOAD_*` variables and `<action> on <resource>` for each bucket grant. */
  functions: { environment: Record<string, unknown>; grants: string[] }[];
}

const OFFLOAD_ENV_NAMES = ['S3_OFFLOAD_BUCKET', 'S3_OFFLOAD_PREFIX', 'S3_SPILL_BUCKET', 'S3_DURABLE_PREFIX'];

/** Read the offload contract of a template with one bucket and any number of functions. */
export function offloadContract(template: Template): OffloadContract {
  const resources = Object.entries(template.Resources);
  const buckets = resources.filter(([, r]) => r.Type === 'AWS::S3::Bucket');
  if (buckets.length !== 1) throw new Error(`expected one bucket, found ${buckets.length}`);
  const [bucketId] = buckets[0];
  const flat = flattener(template, bucketId);
  // Reuse the spill contract's reading of the bucket (it wants one function: give it a template with one).
  const firstFn = resources.find(([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::Serverless::Function');
  const bucketOnly: Template = {
    ...template,
    Resources: Object.fromEntries(resources.filter(([, r]) => !r.Type.endsWith('::Function') || r === firstFn?.[1])),
  };
  const spill = spillContract(bucketOnly);

  /** `<action> on <resource>` of Allow statements naming the bucket. */
  const pairs = (documents: unknown[]): string[] =>
    documents
      .flatMap((d) => asList((flat(d) as { Statement?: unknown }).Statement) as Record<string, unknown>[])
      .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes('<bucket>'))
      .flatMap((s) => (asList(s.Action) as string[]).flatMap((a) => (asList(s.Resource) as string[]).map((r) => `${a} on ${r}`)));

  const policies = resources.filter(([, r]) => r.Type === 'AWS::IAM::Policy');
  const functions = resources
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::Serverless::Function')
    .map(([, fn]) => {
      const p = fn.Properties ?? {};
      const variables = (flat(p.Environment?.Variables ?? {}) ?? {}) as Record<string, unknown>;
      const environment = Object.fromEntries(OFFLOAD_ENV_NAMES.map((name) => [name, variables[name]]));
      let documents: unknown[];
      if (fn.Type === 'AWS::Serverless::Function') {
        documents = asList(p.Policies).filter((policy) => typeof policy === 'object' && policy !== null);
      } else {
        const role = String(flat(p.Role)).replace(/\.Arn>$/, '>');
        documents = policies.filter(([, policy]) => (flat(policy.Properties?.Roles) as unknown[]).includes(role)).map(([, policy]) => policy.Properties?.PolicyDocument);
      }
      return { environment, grants: [...new Set(pairs(documents))].sort() };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  return {
    lifecycleRules: spill.lifecycleRules,
    publicAccessBlock: spill.publicAccessBlock,
    encryption: spill.encryption,
    objectOwnership: spill.objectOwnership,
    tlsOnly: spill.tlsOnly,
    functions,
  };
}

/**
 * What must agree between a CDK and a SAM template of a bucket with several
 * key prefixes (uploads, large messages): lifecycle rules, CORS, public access,
 * encryption, the grants on the bucket, and the functions' environments (the
 * variables `envName` keeps; all by default).
 */
export function prefixesContract(template: Template, envName: (name: string) => boolean = () => true) {
  const resources = Object.entries(template.Resources);
  const [bucketId, bucket] = resources.find(([, r]) => r.Type === 'AWS::S3::Bucket')!;
  const flat = flattener(template, bucketId);
  const props = flat(bucket.Properties) as Record<string, any>;
  const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::Serverless::Function');
  return {
    lifecycleRules: props.LifecycleConfiguration.Rules.map((r: any) => ({
      id: r.Id,
      prefix: r.Prefix ?? r.Filter?.Prefix,
      days: r.ExpirationInDays,
      abort: r.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
      status: r.Status,
    })),
    cors: props.CorsConfiguration,
    publicAccessBlock: props.PublicAccessBlockConfiguration,
    encryption: props.BucketEncryption,
    grants: allowStatements(template, flat)
      .filter((s) => JSON.stringify(s.Resource).includes('<bucket>'))
      .map((s) => JSON.stringify({ actions: [s.Action].flat().sort(), resources: [s.Resource].flat().sort() }))
      .sort(),
    environments: functions
      .map(([, f]) =>
        JSON.stringify(Object.entries(flat(f.Properties?.Environment?.Variables ?? {}) as object).filter(([name]) => envName(name)).sort()),
      )
      .sort(),
  };
}
