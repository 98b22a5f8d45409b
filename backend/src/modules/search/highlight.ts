/**
 * Both engines mark matches with two private-use characters instead of HTML; this turns such a
 * string into safe HTML: everything is escaped, then the markers become `<mark>`/`</mark>`. So a
 * prompt titled `<img src=x onerror=alert(1)>` comes back as text, whichever engine found it.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
/** Separates the content fragments Postgres' ts_headline returns in one string. */
export const FRAGMENT_SEPARATOR = '\uE002';
/**
 * `<` and `>` as Postgres' headline sees them: its parser would drop `<tag>`-like text from
 * snippets, so the engine swaps them for these before marking and they are restored (escaped) here.
 */
export const LT = '\uE003';
export const GT = '\uE004';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Escaped HTML with `<mark>` around marked parts; markers never nest or dangle in the output. */
export function markedToHtml(marked: string): string {
  let out = '';
  let open = false;
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === MARK_START) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_END) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeHtml(part.replace(/\uE002/g, ' '))
        .replace(/\uE003/g, '&lt;')
        .replace(/\uE004/g, '&gt;');
    }
  }
  if (open) out += '</mark>';
  return out.replace(/<mark><\/mark>/g, '');
}

export const hasMark = (marked: string): boolean => marked.includes(MARK_START);

/** Strips characters that would be read as markers from stored text before an engine marks it. */
export const stripMarkers = (text: string): string => text.replace(/[\uE000-\uE004]/g, '');
