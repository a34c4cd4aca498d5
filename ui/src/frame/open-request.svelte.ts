// A request to open one generation (or film) on the screen that shows it, from anywhere: the command palette,
// a clicked notification. The screen takes the request when it is shown.
const pending = $state({ generation: null as number | null, film: null as number | null });

/** Asks the Library to open generation `id` (navigate there too). */
export function requestOpenGeneration(id: number): void {
  pending.generation = id;
}

/** The generation to open, if one was asked for; taking it clears the request. */
export function takeOpenGeneration(): number | null {
  const id = pending.generation;
  if (id !== null) pending.generation = null;
  return id;
}

/** Asks the Films screen to open film `id`. */
export function requestOpenFilm(id: number): void {
  pending.film = id;
}

/** The film to open, if one was asked for; taking it clears the request. */
export function takeOpenFilm(): number | null {
  const id = pending.film;
  if (id !== null) pending.film = null;
  return id;
}
