// A stack's template with one of its nested stacks inlined: the nested resources in the parent's template, each of
// their parameters replaced by what the parent passes and each output the parent reads by its value. Tests of what a
// stage deploys (grants, roles) then read one template, wherever lib/ puts a resource (lib/function-roles.ts).
import { CfnResource, type NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, any>;

function replaced(value: unknown, replace: (value: Json) => unknown): unknown {
  if (Array.isArray(value)) return value.map((inner) => replaced(inner, replace));
  if (value === null || typeof value !== 'object') return value;
  const replacement = replace(value as Json);
  if (replacement !== undefined) return replacement;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replaced(inner, replace)]));
}

export function inlinedTemplate(stack: Stack, nested: NestedStack): Template {
  const parent = Template.fromStack(stack).toJSON() as Json;
  const child = Template.fromStack(nested).toJSON() as Json;
  const stackResource = nested.nestedStackResource;
  if (!(stackResource instanceof CfnResource)) throw new Error(`${nested.node.path} has no stack resource`);
  const stackId = stack.resolve(stackResource.logicalId) as string;
  const passed = (parent.Resources[stackId].Properties.Parameters ?? {}) as Json;
  const fromParameters = (value: Json) => (typeof value.Ref === 'string' && value.Ref in passed ? passed[value.Ref] : undefined);
  const resources = replaced(child.Resources, fromParameters) as Json;
  const outputs = replaced(child.Outputs ?? {}, fromParameters) as Json;
  const fromOutputs = (value: Json) => {
    const getAtt = value['Fn::GetAtt'];
    if (!Array.isArray(getAtt) || getAtt[0] !== stackId || !String(getAtt[1]).startsWith('Outputs.')) return undefined;
    return outputs[String(getAtt[1]).slice('Outputs.'.length)].Value;
  };
  const withoutStack = Object.fromEntries(Object.entries(parent.Resources as Json).filter(([id]) => id !== stackId));
  const dependsOn = (resource: Json): Json => {
    const kept = [resource.DependsOn ?? []].flat().filter((id: string) => id !== stackId);
    const { DependsOn: _, ...rest } = resource;
    return kept.length > 0 ? { ...rest, DependsOn: kept } : rest;
  };
  const merged = Object.fromEntries(Object.entries(replaced(withoutStack, fromOutputs) as Json).map(([id, resource]) => [id, dependsOn(resource)]));
  for (const id of Object.keys(resources)) if (id in merged) throw new Error(`${id} is in both templates`);
  return Template.fromJSON({ ...parent, Resources: { ...merged, ...resources } }, { skipCyclicalDependenciesCheck: true });
}
