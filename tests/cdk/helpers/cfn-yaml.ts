/**
 * Read a CloudFormation / SAM YAML template into the JSON form CDK synthesizes:
 * short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt A.B`, ...) become their long
 * form (`{ Ref }`, `{ 'Fn::Sub' }`, `{ 'Fn::GetAtt': [A, B] }`).
 */
import { parse, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue',
  'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform', 'ToJsonString', 'Length',
];

function longForm(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function getAtt(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const dot = value.indexOf('.');
  return [value.slice(0, dot), value.slice(dot + 1)];
}

const tags: Tags = [...FUNCTIONS, 'Ref', 'Condition', 'GetAtt'].flatMap((name) => {
  const key = longForm(name);
  const wrap = (value: unknown) => ({ [key]: name === 'GetAtt' ? getAtt(value) : value });
  return [
    { tag: `!${name}`, resolve: (text: string) => wrap(text) },
    ...(['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => wrap(node.toJSON()),
    })),
  ];
});

/** A template: what both CDK and SAM produce, loosely typed. */
export interface Template {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** Parse CloudFormation YAML text. */
export function parseCfnYaml(text: string): Template {
  return parse(text, { customTags: tags }) as Template;
}
