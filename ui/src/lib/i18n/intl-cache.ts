// Shared Intl formatters. Making one is costly, and each holds ICU memory outside the JavaScript heap that
// is only freed when the collector finalizes its small wrapper — which a small heap rarely triggers:
// a formatter per Library card left +120 MiB in the web process after scrolling 10,000 items. So each
// (locale, options) pair is made once and kept.

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const relativeTimeFormats = new Map<string, Intl.RelativeTimeFormat>();

function keyOf(locale: string, options: object): string {
  return `${locale}|${JSON.stringify(options)}`;
}

/** `new Intl.DateTimeFormat(locale, options)`, made once per locale and options. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = keyOf(locale, options);
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** `new Intl.RelativeTimeFormat(locale, options)`, made once per locale and options. */
export function relativeTimeFormat(locale: string, options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
  const key = keyOf(locale, options);
  let format = relativeTimeFormats.get(key);
  if (format === undefined) {
    format = new Intl.RelativeTimeFormat(locale, options);
    relativeTimeFormats.set(key, format);
  }
  return format;
}
