/** The message of an error, or the value as text. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message !== '' ? err.message : err.name;
  return String(err);
}
