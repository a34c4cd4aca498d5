// A model in a composer's picker and whether the Token Plan tier includes it. Each request's own models,
// choices and documented limits (minimax-api.md; the same tables as crates/minimax-api) are in
// `requests/<kind>.ts`, kept as data: a new model is one row.
import type { PlanTier } from '$lib/bindings/PlanTier';

/** One model in a picker. */
export interface ModelOption {
  id: string;
  /** Only on High-Speed plans (the dedicated highspeed text model). */
  highspeedOnly?: boolean;
}

/** Whether `tier` may use `model`. */
export function planAllows(model: ModelOption, tier: PlanTier): boolean {
  return !model.highspeedOnly || isHighspeed(tier);
}

/** High-Speed tiers include MiniMax-M2.7-highspeed. */
export function isHighspeed(tier: PlanTier): boolean {
  return tier === 'plusHighspeed' || tier === 'maxHighspeed' || tier === 'ultraHighspeed';
}
