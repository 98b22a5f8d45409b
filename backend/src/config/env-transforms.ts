/** class-transformer `@Transform`s that turn environment strings into the types the rules check. */
export const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : value;
export const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
export const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? []
    : typeof value !== 'string'
      ? value
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
export const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
