/**
 * Whether a key event was typed into a field: inputs, editors and anything contenteditable keep
 * their keys (`/`, `?`), which are shortcuts only elsewhere.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // Editors such as CodeMirror type into a contenteditable element.
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])'))
    return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}
