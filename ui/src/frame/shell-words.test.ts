import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '$lib/i18n/i18n.svelte';
import { shellWords } from './shell-words';

describe('shell words', () => {
  afterEach(() => setLanguage('en'));

  it('are the catalog templates in the active language, placeholders kept for Rust', () => {
    setLanguage('en');
    const en = shellWords();
    expect(en.trayRemaining).toBe('{remaining} of {quota} requests left');
    expect(en.kinds['video']).toBe('Video');
    expect(en.errorTitles['quotaExhausted']).toBe('Quota used up');
    expect(en.trayPercentLeftEstimate).toBe('≈{percent}% left (estimate)');
    expect(en.trayWeeklyResets).toBe('Week: {left} · resets in {span}');
    setLanguage('zh-CN');
    const zh = shellWords();
    expect(zh.trayQuit).toBe('退出');
    expect(zh.trayRemaining).toContain('{remaining}');
    expect(zh.notifyDoneTitle).toBe('{kind}已完成');
    expect(zh.trayWeekly).toBe('本周：{left}');
    expect(zh.trayPercentLeft).toBe('剩余 {percent}%');
  });
});
