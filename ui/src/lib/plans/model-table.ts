// Reading the model table that `list_models` returns (minimax-api's own, issue 17): which models a
// composer offers, and what each accepts. Pure functions of the table, so pickers never offer what the
// Rust validation refuses and a new model is a row in Rust, not an edit here.
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import type { ModelModality } from '$lib/bindings/ModelModality';
import type { ModelParams } from '$lib/bindings/ModelParams';
import type { SpeechDelivery } from '$lib/bindings/SpeechDelivery';

type ParamsOf<K extends ModelParams['kind']> = Extract<ModelParams, { kind: K }>;

/** The params of `info` when it is of `kind`. */
export function paramsOf<K extends ModelParams['kind']>(info: ModelInfo | undefined, kind: K): ParamsOf<K> | undefined {
  return info?.params.kind === kind ? (info.params as ParamsOf<K>) : undefined;
}

/** The models of `modality`, current first (the table's order within a generation). */
export function modelsOf(models: readonly ModelInfo[], modality: ModelModality): ModelInfo[] {
  const of = models.filter((m) => m.modality === modality);
  return [...of.filter((m) => m.generation === 'current'), ...of.filter((m) => m.generation === 'older')];
}

/** Speech models that take `delivery`. */
export function speechModels(models: readonly ModelInfo[], delivery: SpeechDelivery): ModelInfo[] {
  return modelsOf(models, 'speech').filter((m) => paramsOf(m, 'speech')?.deliveries.includes(delivery));
}

/** The emotions a speech model accepts. */
export function speechEmotions(info: ModelInfo | undefined): string[] {
  return paramsOf(info, 'speech')?.emotions ?? [];
}

/** The formats a speech model writes for `delivery`. */
export function speechFormats(info: ModelInfo | undefined, delivery: SpeechDelivery): string[] {
  const params = paramsOf(info, 'speech');
  if (!params) return ['mp3'];
  return [...(delivery === 'async' ? params.asyncFormats : params.formats)];
}

/** Characters per request for `delivery`. */
export function speechLimit(info: ModelInfo | undefined, delivery: SpeechDelivery): number {
  const params = paramsOf(info, 'speech');
  if (!params) return delivery === 'async' ? 50_000 : 9_999;
  return delivery === 'async' ? params.maxAsyncTextChars : params.maxTextChars;
}

/**
 * The composer's video modes: from text, from a first frame, between a first and a last frame, or (H3) from
 * reference images.
 */
export type VideoMode = 'text' | 'image' | 'firstLast' | 'reference';

/** The table's name of a composer mode for a V1 (Hailuo) or V2 (H3) model. */
function tableMode(info: ModelInfo, mode: VideoMode): string {
  const v2 = paramsOf(info, 'video')?.api === 'v2';
  if (!v2) return mode;
  return mode === 'image' || mode === 'firstLast' ? 'frames' : mode;
}

/** The video models that take `mode`, current (H3) first. */
export function videoModels(models: readonly ModelInfo[], mode: VideoMode): ModelInfo[] {
  return modelsOf(models, 'video').filter((m) =>
    paramsOf(m, 'video')?.modes.some((option) => option.mode === tableMode(m, mode)),
  );
}

/** The resolution → durations of a model in a mode, default first. */
export function videoResolutions(info: ModelInfo | undefined, mode: VideoMode): [string, number[]][] {
  const params = paramsOf(info, 'video');
  const option = info && params?.modes.find((m) => m.mode === tableMode(info, mode));
  return option ? option.resolutions.map((r) => [r.resolution, [...r.durations]]) : [];
}

/** A resolution and duration the model takes in the mode, as close to the draft's as the table allows. */
export function validVideoPair(
  info: ModelInfo | undefined,
  mode: VideoMode,
  resolution: string,
  durationS: number,
): { resolution: string; durationS: number } {
  const table = videoResolutions(info, mode);
  const row = table.find(([r]) => r === resolution) ?? table[0];
  if (!row) return { resolution, durationS };
  const durations = row[1];
  return { resolution: row[0], durationS: durations.includes(durationS) ? durationS : (durations[0] ?? durationS) };
}
