import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { en, type Message, type MessageKey } from './en';
import {
  currentLocale,
  formatNumber,
  resolveLanguage,
  setLanguage,
  startLanguageSync,
  t,
} from './i18n.svelte';
import { zhCN } from './zh-CN';

const KEYS = Object.keys(en) as MessageKey[];

function forms(message: Message): string[] {
  return typeof message === 'string' ? [message] : [message.one, message.other].filter((f) => f !== undefined);
}

function placeholders(message: Message): string[] {
  return [...new Set(forms(message).flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

// Names that are the same in both languages: the product, a URL example and tier names MiniMax does
// not translate.
const SAME_IN_BOTH = new Set<MessageKey>([
  'app.name',
  'settings.host.placeholder',
  'tier.starter',
  'tier.plus',
  'tier.max',
  // The plan's product name.
  'spend.ledger.plan',
  'library.plan',
  'library.traceId',
  // A format's name, and a path.
  'film.export.edl.otio',
  'film.export.destPlaceholder',
  // Only placeholders and key caps: the same in every language.
  'shell.notifyFailedBody',
  'shortcut.send',
  'shortcut.palette',
]);

beforeEach(() => setLanguage('en'));

describe('t()', () => {
  it('fills placeholders and formats numbers with thousands separators', () => {
    expect(t('error.traceId', { id: 'abc-123' })).toBe('Trace ID: abc-123');
    expect(t('settings.plan.option', { name: 'Plus', count: 4500 })).toBe('Plus — 4,500 requests / 5 h');
    expect(t('settings.quota.usingOverride', { count: 12000, plan: 'Max', published: 15000 })).toBe(
      'Using 12,000 requests per 5-hour window (your override; Max publishes 15,000).',
    );
  });

  it('chooses the singular form by count', () => {
    expect(t('settings.plan.option', { name: 'Tiny', count: 1 })).toBe('Tiny — 1 request / 5 h');
    expect(t('settings.plan.option', { name: 'None', count: 0 })).toBe('None — 0 requests / 5 h');
  });

  it('leaves a placeholder without a value visible instead of dropping it', () => {
    expect(t('error.traceId')).toBe('Trace ID: {id}');
    expect(t('error.traceId', { other: 'x' })).toBe('Trace ID: {id}');
  });

  it('switches language and <html lang> together', () => {
    setLanguage('zh-CN');
    expect(currentLocale()).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(t('screen.settings')).toBe('设置');
    expect(t('settings.plan.option', { name: 'Plus', count: 4500 })).toBe('Plus — 每 5 小时 4,500 次请求');
    setLanguage('en');
    expect(document.documentElement.lang).toBe('en');
    expect(t('screen.settings')).toBe('Settings');
  });

  it('formats numbers in the active locale', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    setLanguage('zh-CN');
    expect(formatNumber(30000)).toBe('30,000');
  });
});

describe('the zh-CN catalog', () => {
  it('has a non-empty translation for every key, with the same placeholders as English', () => {
    for (const key of KEYS) {
      for (const form of forms(zhCN[key])) expect(form.trim(), key).not.toBe('');
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('is translated: only proper names may equal the English text', () => {
    const untranslated = KEYS.filter(
      (key) => !SAME_IN_BOTH.has(key) && forms(zhCN[key]).some((form) => forms(en[key]).includes(form)),
    );
    expect(untranslated).toEqual([]);
  });
});

describe('the "system" language', () => {
  it('resolves zh* to Simplified Chinese and everything else to English', () => {
    expect(resolveLanguage('system', 'zh-CN')).toBe('zh-CN');
    expect(resolveLanguage('system', 'zh')).toBe('zh-CN');
    expect(resolveLanguage('system', 'zh-Hant-TW')).toBe('zh-CN');
    expect(resolveLanguage('system', 'ZH-sg')).toBe('zh-CN');
    expect(resolveLanguage('system', 'en-GB')).toBe('en');
    expect(resolveLanguage('system', 'fr-FR')).toBe('en');
    expect(resolveLanguage('system', undefined)).toBe('en');
  });

  it('is overridden by an explicit choice', () => {
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
    expect(resolveLanguage('zh-CN', 'en-US')).toBe('zh-CN');
  });

  describe('follows the OS language live', () => {
    let stop: () => void = () => {};
    afterEach(() => stop());

    it('when the OS language changes', () => {
      const language = vi.spyOn(navigator, 'language', 'get').mockReturnValue('zh-CN');
      stop = startLanguageSync();
      setLanguage('system');
      expect(t('settings.theme')).toBe('主题');
      expect(document.documentElement.lang).toBe('zh-CN');

      language.mockReturnValue('en-US');
      window.dispatchEvent(new Event('languagechange'));
      expect(t('settings.theme')).toBe('Theme');
      expect(document.documentElement.lang).toBe('en');

      // An explicit choice is not affected by the OS.
      setLanguage('zh-CN');
      language.mockReturnValue('en-GB');
      window.dispatchEvent(new Event('languagechange'));
      expect(t('settings.theme')).toBe('主题');
    });
  });
});
