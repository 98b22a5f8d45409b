/** class-transformer helpers shared by request DTOs. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** E-mails are compared case-insensitively and stored lower-cased. */
export const normalizeEmail = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** Lists of names compared case-insensitively (e-mail domains): each string trimmed and lower-cased. */
export const lowerCaseEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
    : value;
