import { describe, expect, it } from 'vitest';
import { searchQuery } from './search-query';

describe('search query', () => {
  it('adds * to the word being typed', () => {
    expect(searchQuery('light')).toBe('light*');
    expect(searchQuery('red  fo')).toBe('red fo*');
    expect(searchQuery('fox ')).toBe('fox');
    expect(searchQuery('fox*')).toBe('fox*');
    expect(searchQuery('   ')).toBe('');
  });
});
