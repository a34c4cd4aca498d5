// What the search field sends: the words typed, with `*` added to the word still being typed so results
// follow each keystroke (FTS5 prefix search). A trailing space means the last word is finished.

/** The search string for `typed`; empty when there is nothing to search. */
export function searchQuery(typed: string): string {
  const words = typed.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '';
  const typing = !/\s$/.test(typed);
  const last = words.length - 1;
  if (typing && !words[last]!.endsWith('*')) words[last] = `${words[last]}*`;
  return words.join(' ');
}
