// Keyboard shortcuts as each OS writes them: ⌘ on macOS, Ctrl elsewhere. Handlers accept either key so a
// shortcut works the same on every keyboard; only the label differs.

/** The platform string, or '' outside a browser (tests, build). */
function platform(): string {
  return typeof navigator === 'undefined' ? '' : navigator.platform || navigator.userAgent;
}

/** macOS (and iPadOS): the primary modifier is ⌘. */
export function isMac(os: string = platform()): boolean {
  return /Mac|iPhone|iPad/.test(os);
}

/** The primary modifier's label: `⌘` on macOS, `Ctrl` elsewhere. */
export function modLabel(os: string = platform()): string {
  return isMac(os) ? '⌘' : 'Ctrl';
}

/** The event has the primary modifier (Ctrl or ⌘) and no Alt. */
export function hasMod(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey;
}
