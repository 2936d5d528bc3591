import { describe, expect, it } from 'vitest';
import { DEFAULT_COST, hashPassword, PASSWORD_RULES, passwordProblem, verifyPassword } from '../../../lambdas/customers/domain/password.js';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('password rules', () => {
  it('accepts a long enough password that mixes two kinds of characters', () => {
    expect(passwordProblem('correct horse 42', 'ann@example.com')).toBeUndefined();
    expect(passwordProblem('пароль-пароль', 'ann@example.com')).toBeUndefined();
  });

  it.each([
    ['short1', 'Too short'],
    ['a1'.repeat(65), 'Too long'],
    ['onlyletterslong', 'Only one kind'],
    ['12345678901', 'Only one kind'],
    ['Ann@Example.com', 'same as your email'],
    ['ann.smith99', 'same as your email'],
  ])('refuses %s, stating every rule', (password, reason) => {
    const problem = passwordProblem(password, password === 'ann.smith99' ? 'ann.smith99@example.com' : 'ann@example.com');
    expect(problem).toContain(reason);
    expect(problem).toContain(PASSWORD_RULES);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('ключ-ключ1', 'a@b.cc')).toBeUndefined();
  });
});

describe('password hashes', () => {
  it('stores scrypt with its cost, a salt and the hash, and matches only the same password', async () => {
    const stored = await hashPassword('correct horse 42', CHEAP);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse 42', stored)).toBe(true);
    expect(await verifyPassword('correct horse 43', stored)).toBe(false);
  });

  it('salts every hash differently', async () => {
    expect(await hashPassword('same password 1', CHEAP)).not.toBe(await hashPassword('same password 1', CHEAP));
  });

  it('uses 32 MiB of memory by default and keeps old costs readable', async () => {
    expect(DEFAULT_COST).toEqual({ N: 32768, r: 8, p: 1 });
    const stored = await hashPassword('correct horse 42');
    expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse 42', stored)).toBe(true);
  });

  it('refuses a stored value it cannot read, or one with an absurd cost', async () => {
    expect(await verifyPassword('x', 'plain text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$2$8$1$AAAA$AAAA')).toBe(false);
  });
});
