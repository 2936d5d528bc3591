// Every function of the manifest logs with its Lambda context, publishes its cold start and is traced: its exported
// handler is wrapped in observe(). Read from the entry files, so no handler module (and its clients) is loaded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../lambdas/functions.js';

describe('the function manifest', () => {
  it.each(Object.entries(FUNCTIONS))('%s exports a handler wrapped in observe()', (_name, spec) => {
    const source = readFileSync(spec.entry, 'utf8');
    expect(source).toMatch(new RegExp(`^export const ${spec.handler} = observe\\(`, 'm'));
  });
});
