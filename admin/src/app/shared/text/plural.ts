/**
 * "1 prompt", "3 prompts": a count with its noun in the right number (English; `many` for the
 * irregular ones, e.g. plural(n, 'entry', 'entries')).
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
