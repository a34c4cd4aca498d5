// Shared Intl formatters, and the one get-or-make cache every formatter of the UI goes through. Making a
// formatter is costly and each holds ICU memory outside the JavaScript heap until the collector finalizes
// its small wrapper, so each (locale, options) pair is made once and kept instead of once per card or row.

/** The value cached under `key`, made by `make` the first time it is asked for. */
export function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const relativeTimeFormats = new Map<string, Intl.RelativeTimeFormat>();

function keyOf(locale: string, options: object): string {
  return `${locale}|${JSON.stringify(options)}`;
}

/** `new Intl.DateTimeFormat(locale, options)`, made once per locale and options. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateTimeFormats, keyOf(locale, options), () => new Intl.DateTimeFormat(locale, options));
}

/** `new Intl.RelativeTimeFormat(locale, options)`, made once per locale and options. */
export function relativeTimeFormat(locale: string, options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
  return cached(relativeTimeFormats, keyOf(locale, options), () => new Intl.RelativeTimeFormat(locale, options));
}
