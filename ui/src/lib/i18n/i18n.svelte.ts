// Translation and number formatting in the active language. `t()` reads rune state, so markup that calls
// it re-renders when the language setting (or, for "system", the OS language) changes.
import type { Language } from '$lib/bindings/Language';
import { en, type Message, type MessageKey } from './en';
import { cached } from './intl-cache';
import { zhCN } from './zh-CN';

/** A language the UI is written in: what a Language setting resolves to. */
export type Locale = 'en' | 'zh-CN';

/** Values for `{name}` placeholders. Numbers get the locale's thousands separators. */
export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGS: Record<Locale, Record<MessageKey, Message>> = { en, 'zh-CN': zhCN };

/** Each language's name in that language, as language pickers show them. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** The locale a setting means, given the OS language (a BCP 47 tag such as `navigator.language`). */
export function resolveLanguage(setting: Language, systemLanguage: string | undefined): Locale {
  if (setting !== 'system') return setting;
  return systemLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function readSystemLanguage(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

const state = $state({ setting: 'system' as Language, systemLanguage: readSystemLanguage() });
const locale = $derived(resolveLanguage(state.setting, state.systemLanguage));

function applyDocumentLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** The language the UI is shown in now. */
export function currentLocale(): Locale {
  return locale;
}

/** Switches the UI language (and `<html lang>`) to what `setting` resolves to. */
export function setLanguage(setting: Language): void {
  state.setting = setting;
  applyDocumentLanguage();
}

/** Follows OS language changes while the setting is "system". Returns the function that stops it. */
export function startLanguageSync(): () => void {
  const update = () => {
    state.systemLanguage = readSystemLanguage();
    applyDocumentLanguage();
  };
  update();
  window.addEventListener('languagechange', update);
  return () => window.removeEventListener('languagechange', update);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const pluralRules = new Map<Locale, Intl.PluralRules>();

/** `n` with the active locale's digit grouping, e.g. 4,500. */
export function formatNumber(n: number): string {
  const active = locale;
  return cached(numberFormats, active, () => new Intl.NumberFormat(active)).format(n);
}

function pick(message: Message, count: unknown, active: Locale): string {
  if (typeof message === 'string') return message;
  if (typeof count !== 'number') return message.other;
  const category = cached(pluralRules, active, () => new Intl.PluralRules(active)).select(count);
  return (category === 'one' ? message.one : undefined) ?? message.other;
}

/** The message `key` in the active language with its `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: MessageParams): string {
  const active = locale;
  const text = pick(CATALOGS[active][key], params?.count, active);
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    if (value === undefined) return placeholder;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}
