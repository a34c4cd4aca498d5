// Inserting a marker at the cursor of a text box: a pause in speech text, a camera move in a video prompt,
// a structure tag in lyrics.

/** Inserts `snippet` into `text` at the selection [start, end); returns the text and the new caret. */
export function insertAt(text: string, start: number, end: number, snippet: string): [string, number] {
  const before = text.slice(0, start);
  const after = text.slice(end);
  return [before + snippet + after, start + snippet.length];
}
