// Whether the sidebar is collapsed to icons, remembered across launches in localStorage. Storage can be
// unavailable (private modes, tests); then the sidebar simply starts expanded.
const KEY = 'tokenplan.sidebarCollapsed';

export function readSidebarCollapsed(): boolean {
  try {
    return localStorage.getItem(KEY) === 'true';
  } catch {
    return false;
  }
}

export function writeSidebarCollapsed(collapsed: boolean): void {
  try {
    localStorage.setItem(KEY, String(collapsed));
  } catch {
    // Not remembered this time; nothing else depends on it.
  }
}
