// What is wrong with a draft, field by field, in words the catalogs translate: the checks every composer's
// validation is made of.
import type { Phrase } from '../cost';
import { charCount } from '../format';

/** Field → what is wrong with it. An empty object means the draft can be sent. */
export type Problems = Record<string, Phrase>;

export function tooLong(text: string, limit: number): Phrase | null {
  const n = charCount(text);
  return n > limit ? { key: 'form.tooLong', params: { count: n, limit } } : null;
}

export function required(text: string): Phrase | null {
  return text.trim() === '' ? { key: 'form.required' } : null;
}

export function atLeast(text: string, n: number): Phrase | null {
  return charCount(text.trim()) < n ? { key: 'form.atLeast', params: { count: n } } : null;
}

export function collect(entries: [string, Phrase | null][]): Problems {
  const problems: Problems = {};
  for (const [field, problem] of entries) if (problem !== null) problems[field] = problem;
  return problems;
}
