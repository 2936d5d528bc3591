// Email addresses as accounts know them: one normalised spelling, so "Ann@Example.com " and "ann@example.com"
// are one account.

/** Trimmed and lower-cased (the local part too: no mail provider we serve treats case as distinct). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately loose: the verification email is the real test of an address.
const SHAPE = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmailAddress(email: string): boolean {
  const normalised = normaliseEmail(email);
  return normalised.length <= 254 && SHAPE.test(normalised);
}
