// Films as the Rust side returns them, for the Film screen's tests: a small film with takes in every state,
// and a budget and stage plans that follow it the way studio-film's pricing does (image-01 75 a keyframe,
// HD speech 600 per 1,000 characters, a Hailuo-2.3 768P clip 4,500, a song 3,000).
import type { BlockedJob } from '$lib/bindings/BlockedJob';
import type { Film } from '$lib/bindings/Film';
import type { FilmBudget } from '$lib/bindings/FilmBudget';
import type { FilmStagePlan } from '$lib/bindings/FilmStagePlan';
import type { JobLabel } from '$lib/bindings/JobLabel';
import type { PlannedJob } from '$lib/bindings/PlannedJob';
import type { Shot } from '$lib/bindings/Shot';
import type { StageChoice } from '$lib/bindings/StageChoice';
import type { StageOptions } from '$lib/bindings/StageOptions';
import type { Take } from '$lib/bindings/Take';
import type { Timeline } from '$lib/bindings/Timeline';
import type { WindowSummary } from '$lib/bindings/WindowSummary';

export function take(id: number, fields: Partial<Take> = {}): Take {
  return { id, jobId: id, ordinal: 0, state: 'succeeded', chosen: false, stale: false, ...fields };
}

export function shot(id: number, index: number, fields: Partial<Shot> = {}): Shot {
  return {
    id,
    index,
    description: `Shot ${index + 1} description`,
    camera: [],
    durationS: 6,
    characters: [],
    clipStart: 'keyframe',
    trimInMs: 0,
    lines: [],
    keyframes: [],
    clips: [],
    ...fields,
  };
}

/** Paper Boat, three shots: the first made (keyframe and clip chosen), the second's keyframe on its way, the third empty. */
export function paperBoat(id = 1): Film {
  return {
    id,
    title: 'Paper Boat',
    logline: 'A paper boat races the rain.',
    aspectRatio: '16:9',
    style: 'watercolour',
    settings: {
      videoModel: 'MiniMax-Hailuo-2.3',
      videoResolution: '768P',
      imageModel: 'image-01',
      speechModel: 'speech-2.8-hd',
      narratorVoice: 'English_expressive_narrator',
      clipAudio: 'underLines',
    },
    cast: [{ id: 7, name: 'Mara', look: 'yellow raincoat', notes: '', voice: { voiceId: 'English_Graceful_Lady' }, references: [] }],
    shots: [
      shot(11, 0, {
        keyframes: [take(101, { chosen: true, relPath: 'media/101-0.png', requests: 75 })],
        clips: [take(102, { chosen: true, relPath: 'media/102-0.mp4', requests: 4500 })],
        lines: [
          {
            id: 21,
            speakerId: 7,
            speaker: 'Mara',
            text: 'This one will make it.',
            takes: [take(103, { chosen: true, mediaId: 903, requests: 14, stale: true })],
          },
        ],
        characters: [7],
      }),
      shot(12, 1, { keyframes: [take(104, { state: 'running' })] }),
      shot(13, 2, { lines: [{ id: 22, speaker: 'Narrator', text: 'And the street carried it on.', takes: [] }] }),
    ],
    music: [],
    canUndo: false,
    createdAtMs: 1,
    updatedAtMs: 1,
  };
}

function planned(stage: PlannedJob['stage'], slot: PlannedJob['slot'], s: Shot, requests: number, label?: JobLabel): PlannedJob & { requests: number } {
  return {
    stage,
    slot,
    shotId: s.id,
    label: label ?? (slot === 'clip' ? { kind: 'clip', shot: s.index + 1 } : { kind: 'keyframe', shot: s.index + 1 }),
    request: { kind: 'image', model: 'image-01', prompt: s.description, promptOptimizer: false },
    files: 1,
    madeWith: '',
    requests,
  };
}

const has = (takes: Take[]) => takes.some((t) => t.chosen || t.state !== 'succeeded');

/** What each stage would still send for `film` (`options.shots` narrows it; `redo` makes chosen slots again). */
export function stageJobs(film: Film, stage: StageChoice, options: StageOptions): (PlannedJob & { requests: number })[] {
  const shots = film.shots.filter((s) => options.shots.length === 0 || options.shots.includes(s.id));
  const jobs: (PlannedJob & { requests: number })[] = [];
  for (const s of shots) {
    if ((stage === 'keyframes' || stage === 'all') && (options.redo || !has(s.keyframes))) jobs.push(planned('keyframes', 'keyframe', s, 75 * options.takes));
    if (stage === 'lines' || stage === 'all') {
      for (const line of s.lines) {
        const label: JobLabel = { kind: 'line', shot: s.index + 1, speaker: line.speaker, excerpt: [...line.text].slice(0, 40).join('') };
        if (options.redo || !has(line.takes)) jobs.push({ ...planned('lines', 'line', s, Math.ceil((line.text.length * 600) / 1000), label), lineId: line.id });
      }
    }
    if ((stage === 'clips' || stage === 'all') && (options.redo || !has(s.clips))) {
      const job = planned('clips', 'clip', s, 4500);
      if (!s.keyframes.some((t) => t.chosen)) job.problem = { kind: 'needsKeyframe' };
      jobs.push(job);
    }
  }
  if ((stage === 'music' || stage === 'all') && !has(film.music)) {
    jobs.push({ ...planned('music', 'music', film.shots[0]!, 3000, { kind: 'music' }), shotId: undefined } as PlannedJob & { requests: number });
  }
  return jobs;
}

/** The jobs of `jobs` that cannot be sent, with why, as `budget` and `render_stage` list them. */
export function blockedOf(jobs: PlannedJob[]): BlockedJob[] {
  return jobs.flatMap((j) => (j.problem === undefined ? [] : [{ label: j.label, problem: j.problem }]));
}

export function stagePlan(film: Film, stage: StageChoice, options: StageOptions, window: WindowSummary): FilmStagePlan {
  const jobs = stageJobs(film, stage, options);
  const sendable = jobs.filter((j) => j.problem === undefined);
  const total = sendable.reduce((n, j) => n + j.requests, 0);
  const windows = Math.max(1, Math.ceil(total / window.quota));
  return {
    jobs: jobs.map(({ requests: _, ...j }) => j),
    totalRequests: total,
    unknown: 0,
    windowsNeeded: total === 0 ? 0 : windows,
    ...(total > 0 ? { finishesAtMs: window.nowMs + (windows - 1) * window.windowMs + 600_000 } : {}),
  };
}

export function filmBudget(film: Film, window: WindowSummary): FilmBudget {
  const paidOf = (takes: Take[]) => {
    const byJob = new Map<number, number>();
    for (const t of takes) if (t.requests !== undefined) byJob.set(t.jobId, t.requests);
    return [...byJob.values()].reduce((a, b) => a + b, 0);
  };
  const all = stageJobs(film, 'all', { takes: 1, redo: false, shots: [] });
  const stages = (['keyframes', 'lines', 'clips', 'music'] as const).map((stage) => {
    const jobs = all.filter((j) => j.stage === stage && j.problem === undefined);
    const paid =
      stage === 'keyframes'
        ? paidOf(film.shots.flatMap((s) => s.keyframes))
        : stage === 'clips'
          ? paidOf(film.shots.flatMap((s) => s.clips))
          : stage === 'lines'
            ? paidOf(film.shots.flatMap((s) => s.lines.flatMap((l) => l.takes)))
            : paidOf(film.music);
    return { stage, requests: jobs.reduce((n, j) => n + j.requests, 0), jobs: jobs.length, unknown: 0, paid };
  });
  const total = stages.reduce((n, s) => n + s.requests, 0);
  const windows = total === 0 ? 0 : Math.ceil(total / window.quota);
  return {
    stages,
    totalRequests: total,
    paidRequests: stages.reduce((n, s) => n + s.paid, 0),
    windowsNeeded: windows,
    ...(total > 0 ? { finishesAtMs: window.nowMs + Math.max(0, windows - 1) * window.windowMs + 600_000 } : {}),
    unknown: [],
    needsPayAsYouGo: [],
    blocked: blockedOf(all),
    ...(total > 4500
      ? {
          cheaper: {
            totalRequests: Math.round(total * 0.37),
            changes: [{ kind: 'draftClips' as const, count: all.filter((j) => j.stage === 'clips').length, model: 'MiniMax-Hailuo-02', resolution: '512P' }],
            savingPercent: 63,
          },
        }
      : {}),
  };
}

export function filmTimeline(film: Film): Timeline {
  let at = 0;
  const shots = film.shots.map((s) => {
    const start = at;
    at += s.durationS * 1000;
    const clip = s.clips.find((t) => t.chosen);
    const still = s.keyframes.find((t) => t.chosen);
    return {
      id: s.id,
      index: s.index,
      startMs: start,
      endMs: at,
      picture: clip?.relPath
        ? { kind: 'clip' as const, path: clip.relPath, inMs: 0, outMs: s.durationS * 1000, mediaMs: 6000, hasAudio: false }
        : still?.relPath
          ? { kind: 'still' as const, path: still.relPath, motion: { zoom: 1.05, horizontal: 0, vertical: 0, shake: false } }
          : { kind: 'blank' as const },
      extendedMs: 0,
    };
  });
  return {
    aspectRatio: film.aspectRatio,
    shots,
    lines: [],
    music: null,
    ducking: [],
    clipAudio: 'underLines',
    pacing: { leadInMs: 300, speakerGapMs: 400, sameSpeakerGapMs: 200, tailMs: 500, duckAttackMs: 150, duckReleaseMs: 400 },
    cueOverrides: [],
    durationMs: at,
    warnings: [],
  };
}
