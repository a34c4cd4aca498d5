// The English catalog: the source of truth for every user-visible string. Other languages are typed
// against its keys, so adding a key here is a compile error until every translation has it.
//
// Placeholders are `{name}`; numbers passed as parameters are formatted with the active locale's
// thousands separators. A message that depends on a count is `{ one, other }`, chosen by `count`.

/** One message: plain text, or plural forms selected by the `count` parameter. */
export type Message = string | { readonly one?: string; readonly other: string };

export const en = {
  'app.name': 'Token Plan Studio',
  'app.navigation': 'Main navigation',

  'screen.settings': 'Settings',

  'sidebar.collapse': 'Collapse sidebar',
  'sidebar.expand': 'Expand sidebar',

  'startup.title': 'Your settings could not be read',
  'startup.hint': 'Nothing was changed. Fix the problem below, then try again.',
  'startup.retry': 'Retry',
  'startup.retrying': 'Retrying…',

  'error.traceId': 'Trace ID: {id}',
  'error.dismiss': 'Dismiss',

  'settings.loading': 'Loading settings…',
  'settings.saveFailed': 'This change was not saved',

  'settings.appearance': 'Appearance',
  'settings.theme': 'Theme',
  'settings.theme.system': 'System',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.language': 'Language',
  'settings.language.system': 'System',

  'settings.tokenPlan': 'Token Plan',
  'settings.tokenPlan.help': 'Every cost in the app is measured against this plan’s quota.',
  'settings.region': 'Region',
  'settings.region.global': 'Global — api.minimax.io',
  'settings.region.mainland': 'Mainland China — api.minimaxi.com',
  'settings.region.custom': 'Custom host',
  'settings.region.help': 'A Token Plan key only works on the host of the region it was issued for.',
  'settings.host': 'Host URL',
  'settings.host.placeholder': 'https://proxy.example.com',
  'settings.host.help': 'A proxy or the local simulator. Saved when you press Enter or leave the field.',
  'settings.plan': 'Plan',
  'settings.plan.help':
    'High-Speed plans include MiniMax-M2.7-highspeed, which costs 2 requests per call.',
  'settings.plan.standardGroup': 'Standard plans',
  'settings.plan.highspeedGroup': 'High-Speed plans',
  'settings.plan.option': {
    one: '{name} — {count} request / 5 h',
    other: '{name} — {count} requests / 5 h',
  },
  'settings.plan.loadFailed': 'The plan list could not be loaded: {message}',
  'settings.quota': 'Quota override',
  'settings.quota.placeholder': 'Plan default',
  'settings.quota.unit': 'requests',
  'settings.quota.usingPublished': {
    one: 'Using {count} request per 5-hour window, as published for {plan}. Enter a figure only if yours differs.',
    other: 'Using {count} requests per 5-hour window, as published for {plan}. Enter a figure only if yours differs.',
  },
  'settings.quota.usingOverride': {
    one: 'Using {count} request per 5-hour window (your override; {plan} publishes {published}).',
    other: 'Using {count} requests per 5-hour window (your override; {plan} publishes {published}).',
  },
  'settings.quota.notWhole': 'Enter a whole number of requests, or leave the field empty.',

  'settings.about': 'About',
  'settings.about.version': 'Version',
  'settings.about.dataDir': 'Data folder',
  'settings.about.logDir': 'Log folder',
  'settings.about.loadFailed': 'The app details could not be read: {message}',

  'tier.starter': 'Starter',
  'tier.plus': 'Plus',
  'tier.max': 'Max',
  'tier.plusHighspeed': 'Plus-Highspeed',
  'tier.maxHighspeed': 'Max-Highspeed',
  'tier.ultraHighspeed': 'Ultra-Highspeed',
} as const satisfies Record<string, Message>;

/** A key of the message catalogs. */
export type MessageKey = keyof typeof en;
