// Whether the Token Plan tier includes a model of the model table (`list_models`): the dedicated highspeed
// text models are on the High-Speed tiers only. What the server says the plan lacks is the quota view's
// (`studio.plans.blocked`).
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import type { PlanTier } from '$lib/bindings/PlanTier';

/** Whether `tier` may use `model`. */
export function planAllows(model: ModelInfo, tier: PlanTier): boolean {
  const highspeedOnly = model.params.kind === 'text' && model.params.highspeedOnly;
  return !highspeedOnly || isHighspeed(tier);
}

/** High-Speed tiers include MiniMax-M2.7-highspeed. */
export function isHighspeed(tier: PlanTier): boolean {
  return tier === 'plusHighspeed' || tier === 'maxHighspeed' || tier === 'ultraHighspeed';
}
