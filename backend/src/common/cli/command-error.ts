/** An operator command's failure that deserves a one-line message and exit code 1, not a stack. */
export class CommandError extends Error {}
