// The admin API's optional source allow-list, as the REST API's resource policy. A RestApi has one policy for all its
// paths, so it allows every caller everywhere and denies only `/admin/...` to sources outside the list; the local
// gateway enforces the same list (CODEX_ADMIN_ALLOWED_SOURCES).
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { parseIpAllowList } from '../lambdas/access/domain/ip-allow-list.js';

/** `execute-api:/<stage>/<method>/<path>`: API Gateway expands the shorthand to this API's ARN. */
const EVERYTHING = 'execute-api:/*';
const ADMIN_PATHS = 'execute-api:/*/*/admin/*';

/** Canonical CIDR ranges (a single address gets /32 or /128), from a comma-separated list; throws naming bad entries. */
export function adminSourceRanges(list: string): string[] {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  let ranges: string[];
  try {
    ranges = parseIpAllowList(entries);
  } catch (error) {
    throw new Error(`adminAllowedSources: ${(error as Error).message}`);
  }
  if (ranges.length === 0) throw new Error('adminAllowedSources: name at least one address or CIDR range, or leave it out');
  return ranges.map((range) => (range.includes('/') ? range : `${range}/${range.includes(':') ? 128 : 32}`));
}

export function adminSourcePolicy(ranges: readonly string[]): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({ effect: Effect.ALLOW, principals: [new AnyPrincipal()], actions: ['execute-api:Invoke'], resources: [EVERYTHING] }),
      new PolicyStatement({
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [ADMIN_PATHS],
        conditions: { NotIpAddress: { 'aws:SourceIp': [...ranges] } },
      }),
    ],
  });
}
