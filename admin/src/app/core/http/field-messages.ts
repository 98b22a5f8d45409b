/**
 * The one place that turns the API's validation wording (class-validator's "email must be an
 * email", a domain's "metadataXml has no SAML 2.0 EntityDescriptor") into what a person reads
 * under a field. Every form gets it through `ProblemError.fieldErrors()`; no page rewrites text.
 */

/** Wording for a field whatever the server said (fields whose raw messages name internals). */
const BY_FIELD: Readonly<Record<string, string>> = {
  metadataXml: 'This is not SAML 2.0 metadata: paste the XML your identity provider exports.',
};

type Rule = [RegExp, (...groups: string[]) => string];

/** class-validator's default messages, after the field name they start with. */
const RULES: readonly Rule[] = [
  [/^should not be empty$/, () => 'This field is required.'],
  [/^must be an email$/, () => 'Enter a valid e-mail address, like name@example.com.'],
  [/^must be a URL address$/, () => 'Enter a full web address, like https://example.com.'],
  [/^must be a UUID$/, () => 'Choose an existing item.'],
  [/^must be longer than or equal to (\d+) characters?$/, (n) => `Use at least ${n} characters.`],
  [/^must be shorter than or equal to (\d+) characters?$/, (n) => `Use at most ${n} characters.`],
  [/^must not be greater than (-?[\d.]+)$/, (n) => `Use a number no greater than ${n}.`],
  [/^must not be less than (-?[\d.]+)$/, (n) => `Use a number of at least ${n}.`],
  [/^must be an integer number$/, () => 'Enter a whole number.'],
  [/^must be a number conforming to the specified constraints$/, () => 'Enter a number.'],
  [/^must be a positive number$/, () => 'Enter a number greater than 0.'],
  [/^must be a boolean value$/, () => 'Choose yes or no.'],
  [/^must be one of the following values: (.+)$/, (values) => `Choose one of: ${values}.`],
  [/^must match .+ regular expression$/, () => 'Use only the allowed characters.'],
  [/^must be a string$/, () => 'Enter text.'],
  [/^must be an array$/, () => 'Enter a list.'],
  [
    /^reaches a private address \(([^)]+)\)/,
    (address) => `This address is private (${address}); this server only connects to public addresses.`,
  ],
  [/^could not be fetched/, () => 'Nothing could be fetched from this address; check that it is reachable.'],
];

/** A person-readable message for one field error of a 400 problem. */
export function humanFieldMessage(field: string, message: string): string {
  const leaf = field.split('.').pop() ?? field;
  if (Object.hasOwn(BY_FIELD, leaf)) return BY_FIELD[leaf];
  if (/^property \S+ should not exist$/.test(message)) return 'This field is not accepted here.';
  // class-validator starts with the property name ("email must be …"); strip it, whatever its path.
  const rest = message.startsWith(`${leaf} `)
    ? message.slice(leaf.length + 1)
    : message.startsWith(`${field} `)
      ? message.slice(field.length + 1)
      : null;
  if (rest === null) return message;
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(rest);
    if (match) return say(...match.slice(1));
  }
  return `${rest.charAt(0).toUpperCase()}${rest.slice(1)}${/[.!?]$/.test(rest) ? '' : '.'}`;
}
