// What ships to Lambda: handler code under lambdas/ that imports neither the local stack's stand-ins nor any
// package outside package.json's dependencies (devDependencies are for the local stack, tests and CDK).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/bundling.js';

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const imports = sourceFiles(join(REPO_ROOT, 'lambdas')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|[\s}])(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/gm)].map((match) => ({
    file: relative(REPO_ROOT, file),
    specifier: match[1]!,
  })),
);

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

describe('production code', () => {
  it('imports nothing from the local stack or the tests', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.filter(({ specifier }) => /(^|\/)(local|tests)\//.test(specifier) && specifier.startsWith('.'))).toEqual([]);
  });

  it('imports only packages it depends on (or Node built-ins)', () => {
    const outside = imports.filter(({ specifier }) => {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return false;
      return !(packageOf(specifier) in packageJson.dependencies) && packageOf(specifier) !== 'aws-lambda';
    });
    expect(outside).toEqual([]);
  });
});
