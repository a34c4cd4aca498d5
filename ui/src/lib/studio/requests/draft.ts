// A composer's draft is the request it sends, as generated from Rust (`lib/bindings/*Params.ts`), with only
// the fields whose form differs from the request kept apart (a seed typed as text, the video mode, the chat
// message box). A field added in Rust is then a compile error in the composer's defaults until it has one,
// and a remix is the defaults with the stored request written over them.

/**
 * Every field of the request `P` present, so a form can bind each and a remix overwrites them all: an optional
 * field may hold `undefined` (not sent), but its key is always there.
 */
export type Draft<P> = { [K in keyof Required<P>]: P[K] };

/** `D` with the fields `K` always holding a value: the form shows one (a slider, a select, a text box). */
export type Filled<D, K extends keyof D> = Omit<D, K> & { [F in K]-?: NonNullable<D[F]> };

/**
 * The defaults with every field `stored` holds written over them. Fields the defaults do not have (the
 * request's `kind`) are left out; absent ones keep their default.
 */
export function overDefaults<D extends object>(defaults: Readonly<D>, stored: Partial<D>): D {
  const draft = { ...defaults } as D;
  for (const key of Object.keys(defaults) as (keyof D)[]) {
    const value = stored[key];
    if (value !== undefined) draft[key] = value as D[keyof D];
  }
  return draft;
}

/** The request as Rust receives it: fields left `undefined` are not sent (JSON would drop them anyway). */
export function sent<R extends object>(request: R): R {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as R;
}
