// uPlot builds a number formatter from `navigator.language` when it is imported. WebKitGTK passes the POSIX
// locale through unchanged when LANG=C, and `Intl` rejects the tag "C", so the import would throw and the
// screen would never load. Imported before uPlot: the app's own formatting uses the UI language anyway.
function usable(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** Replaces a `navigator.language` that `Intl` cannot use; runs once when this module is imported. */
export function guardLocale(): void {
  if (typeof navigator !== 'undefined' && !usable(navigator.language)) {
    Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
  }
}

guardLocale();
