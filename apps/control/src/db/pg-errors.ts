/** PostgreSQL unique_violation, optionally on the given constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (!('code' in error) || error.code !== '23505') return false;
  if (constraint === undefined) return true;
  return 'constraint' in error && error.constraint === constraint;
}
