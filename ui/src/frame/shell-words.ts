// The tray's and notifications' words, from the catalogs: Rust fills in the `{name}` placeholders itself, so
// they are passed unfilled. The tray's windows reuse the gauge's words where they fit a menu line. Sent on start and whenever the language changes (DesktopShell.svelte).
import type { IpcErrorKind } from '$lib/bindings/IpcErrorKind';
import type { ShellWords } from '$lib/bindings/ShellWords';
import { en, type Message, type MessageKey } from '$lib/i18n/en';
import { currentLocale } from '$lib/i18n/i18n.svelte';
import { zhCN } from '$lib/i18n/zh-CN';
import { errorTitleKey } from '$lib/studio/error-words';

const MODALITIES = ['text', 'speech', 'speechAsync', 'image', 'video', 'music', 'lyrics', 'film'] as const;
const ERROR_KINDS: readonly IpcErrorKind[] = [
  'invalidApiKey', 'wrongRegion', 'quotaExhausted', 'notInPlan', 'rateLimited', 'contentFlagged', 'network', 'api',
  'notFound', 'cancelled', 'invalidInput', 'internal', 'keychainLocked', 'updateRefused',
];

/** A template as written (placeholders kept); a plural message gives its general form. */
function raw(key: MessageKey): string {
  const message: Message = (currentLocale() === 'zh-CN' ? zhCN : en)[key];
  return typeof message === 'string' ? message : message.other;
}

/** The words in the active language. */
export function shellWords(): ShellWords {
  return {
    trayOpen: raw('shell.trayOpen'),
    trayPause: raw('shell.trayPause'),
    trayQuit: raw('shell.trayQuit'),
    trayRemaining: raw('shell.trayRemaining'),
    trayRelease: raw('shell.trayRelease'),
    trayNothingUsed: raw('shell.trayNothingUsed'),
    trayPercentLeft: raw('plans.gauge.percentLeft'),
    trayPercentLeftEstimate: raw('shell.trayPercentLeftEstimate'),
    trayPercentAmount: raw('plans.gauge.percentAmount'),
    trayUnlimited: raw('plans.gauge.unlimited'),
    trayFiveHour: raw('shell.trayFiveHour'),
    trayWeekly: raw('shell.trayWeekly'),
    trayWeeklyResets: raw('shell.trayWeeklyResets'),
    trayResets: raw('shell.trayResets'),
    spanDays: raw('shell.spanDays'),
    spanHours: raw('shell.spanHours'),
    spanMinutes: raw('shell.spanMinutes'),
    spanUnderMinute: raw('shell.spanUnderMinute'),
    notifyDoneTitle: raw('shell.notifyDoneTitle'),
    notifyFailedTitle: raw('shell.notifyFailedTitle'),
    notifyFailedBody: raw('shell.notifyFailedBody'),
    notifyOpen: raw('shell.notifyOpen'),
    kinds: Object.fromEntries(MODALITIES.map((m) => [m, raw(`modality.${m}`)])),
    errorTitles: Object.fromEntries(ERROR_KINDS.map((k) => [k, raw(errorTitleKey(k))])),
  };
}
