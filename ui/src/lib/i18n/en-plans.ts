// English words of both plan generations (issue 17): the plan choice in Settings, the quota gauge's windows in
// the profile's unit, costs as a share of a window, models not in the plan, MiniMax-H3 in the Video composer,
// music only where the key has it, and recovering paid video tasks. Merged into `en` (en.ts).
import type { Message } from './en';

export const enPlans = {
  'plans.window.5h': '5-hour',
  'plans.window.weekly': 'weekly',
  'plans.window.weeklyShort': 'Week',

  'plans.gauge.unlimited': 'no limit',
  'plans.gauge.percentLeft': '{percent}% left',
  'plans.gauge.percentLeftEstimate': '≈{percent}% left',
  'plans.gauge.percentUsed': '{percent}% used',
  'plans.gauge.percentUsedEstimate': '≈{percent}% used',
  'plans.gauge.percentAmount': '≈{percent}%',
  'plans.gauge.requestsAmount': { one: '{count} request', other: '{count} requests' },
  'plans.gauge.elsewhere': 'Spend from elsewhere detected',
  'plans.gauge.elsewhereHelp':
    'MiniMax counts {amount} more in the {window} window than this app spent: another tool (a coding agent?) uses this key. The gauge follows MiniMax’s figure.',
  'plans.gauge.estimate': 'estimate',
  'plans.gauge.estimateHelp':
    'Converted from the app’s own count: MiniMax publishes no rate for the M Plan, so this share is the best known estimate until MiniMax’s own figure arrives.',
  'plans.gauge.boost': 'boost ×{multiplier}',
  'plans.gauge.weeklyHelp': 'The weekly window: every model counts against it (on the M Plan, video counts only here).',

  'plans.cost.percent5h': '≈{percent}% of 5 h',
  'plans.cost.percentWeekly': '≈{percent}% of the week',
  'plans.cost.leaves5h': 'Leaves ≈{left}% of the 5-hour window (an estimate)',
  'plans.cost.leavesWeekly': 'Leaves ≈{left}% of the weekly window (an estimate)',
  'plans.cost.never5h': 'Larger than the whole 5-hour window on this plan',
  'plans.cost.neverWeekly': 'Larger than the whole weekly window on this plan',
  'plans.cost.over5h': 'Not enough left in the 5-hour window — enough at {at}',
  'plans.cost.overWeekly': 'Blocked by the weekly limit — it resets {at}',

  'plans.ask.over': 'This needs ≈{cost}% of the {window} window (an estimate) and {left}% of it is left. ',
  'plans.ask.overEstimate': 'This needs ≈{cost}% of the {window} window and ≈{left}% of it is left (estimates). ',
  'plans.ask.never': 'It is more than the whole {window} window. ',
  'plans.ask.videoWeekly': 'On the M Plan, video counts only against the weekly window.',
  'plans.ask.fits': 'This needs ≈{cost}% of the {window} window (an estimate). ',

  'plans.spend.weeklyNow': 'The weekly window now',
  'plans.spend.resets': 'Resets {at}',
  'plans.spend.periodTotal': { one: 'Spend in the last day', other: 'Spend in the last {count} days' },
  'plans.spend.periodShare': 'of a weekly window, both keys (an estimate)',
  'plans.spend.perDayShare': 'Spend per day, as a share of the weekly window (≈, both keys)',
  'plans.spend.windowOverTimeShare': 'The 5-hour window over time (≈ share of the window)',
  'plans.spend.inWindowShare': 'Used (≈ %)',
  'plans.spend.limitLine': 'The window (100%)',

  'plans.notInPlan': 'Not in your plan: {reason}',
  'plans.model.notInPlanOption': '{label} — not in your plan',
  'plans.model.older': 'Older models',

  'plans.settings.family': 'Plan generation',
  'plans.settings.family.auto': 'Detect from MiniMax',
  'plans.settings.family.tokenPlan': 'Token Plan (requests per 5 hours)',
  'plans.settings.family.mPlan': 'M Plan (Go, Explore, Build)',
  'plans.settings.familyHelp':
    'MiniMax sells the M Plan (Go, Explore, Build) to new subscribers; Token Plan subscribers keep their plan. “Detect” reads it from MiniMax’s own answer for your key.',
  'plans.settings.detected': 'Detected for this key: {label}',
  'plans.settings.notDetected': 'Not detected yet: the app budgets as the Token Plan until MiniMax answers.',
  'plans.settings.chosen': 'Budgeting as {label} (your choice)',
  'plans.settings.mPlanTier': 'M Plan tier',
  'plans.settings.mTier.go': 'Go — no video',
  'plans.settings.mTier.explore': 'Explore — 3 × Go, with MiniMax-H3',
  'plans.settings.mTier.build': 'Build — 7.5 × Go, with MiniMax-H3',
  'plans.settings.mPlanHelp':
    'Shown in percent of each window. Video counts against the weekly window only; after the plan, the key spends credits at pay-as-you-go prices.',

  'plans.video.mode.reference': 'References',
  'plans.video.older': 'Hailuo 2.3 and 02 are the older video models; MiniMax-H3 is current.',
  'plans.video.reference': 'Reference image {n}',
  'plans.video.addReference': 'Add a reference image ({count} of {max})',
  'plans.video.needReference': 'Add at least one reference image.',
  'plans.video.ratio': 'Aspect ratio',
  'plans.video.generateAudio': 'Make its own soundtrack',

  'plans.music.unknownTitle': 'Does this key have music?',
  'plans.music.unknownBody':
    'MiniMax closed the music API to new accounts on 20 August 2026. One lyrics request (about 75 requests; the lyrics are kept in your Library) tells whether your key still has it.',
  'plans.music.check': 'Check music access',
  'plans.music.checkAgain': 'Check again',
  'plans.music.checking': 'Checking…',
  'plans.music.unavailableTitle': 'Music is not available with this key',
  'plans.music.unavailableBody': 'MiniMax refused music and lyrics for this key: {reason}',
  'plans.music.instead':
    'For a film, import an audio file as its music bed (the film’s Sound panel → “Import audio…”), or let MiniMax-H3 clips carry their own soundtrack.',

  'plans.recover.offerTitle': {
    one: 'MiniMax holds a paid video the library does not know',
    other: 'MiniMax holds {count} paid videos the library does not know',
  },
  'plans.recover.offerBody':
    'Made in the last 7 days with this key (by another tool, or lost in a crash). Importing downloads the video; nothing is paid again.',
  'plans.recover.import': 'Import',
  'plans.recover.byId': 'Recover a video by its MiniMax task id',
  'plans.recover.taskId': 'Task id',
  'plans.recover.placeholder': 'e.g. 3a1f…',
  'plans.recover.submit': 'Recover',
  'plans.recover.working': 'Recovering…',
  'plans.recover.help': 'MiniMax keeps tasks for 7 days. The task becomes a job that downloads its video — never a second paid task.',
  'plans.recover.done': 'Task {id} is now a job: its video downloads into the Library.',

  'plans.filmSound.title': 'Sound',
  'plans.filmSound.clipAudio': 'Clip sound',
  'plans.filmSound.mute': 'Muted',
  'plans.filmSound.keep': 'Kept (lines over it)',
  'plans.filmSound.underLines': 'Mixed under the lines',
  'plans.filmSound.h3Hint':
    'MiniMax-H3 makes a soundtrack only when it will be heard. Clips already made muted stay silent: make them again to hear them.',
  'plans.filmSound.hailuoHint': 'Hailuo clips have no sound; choose MiniMax-H3 for clips with their own soundtrack.',
  'plans.filmSound.music': 'Music bed',
  'plans.filmSound.noBed': 'None yet',
  'plans.filmSound.imported': 'Imported: {name}',
  'plans.filmSound.generated': 'Generated take',
  'plans.filmSound.choose': 'Music take',
  'plans.filmSound.import': 'Import audio…',
  'plans.filmSound.importing': 'Importing…',
  'plans.filmSound.dropHint': 'or drop an MP3, WAV, FLAC, OGG or M4A file here',
  'plans.filmSound.notInPlan':
    'Music generation is not available with this key. Import an audio file as the film’s music bed instead: it is copied into the Library and costs nothing.',
} as const satisfies Record<string, Message>;
