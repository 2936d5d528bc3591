// A cursor carries a Query's ExclusiveStartKey; one that is not exactly the key attributes of the table (and index)
// read makes DynamoDB answer a ValidationException, so a tampered cursor is refused before it gets there.

/** True when `value` holds exactly the attributes `names`, each a non-empty string (this table's keys are all strings). */
export function isStartKey(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length === names.length &&
    entries.every(([name, attribute]) => names.includes(name) && typeof attribute === 'string' && attribute.length > 0 && attribute.length <= 1024)
  );
}
