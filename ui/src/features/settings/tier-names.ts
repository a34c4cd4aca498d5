import type { PlanTier } from '$lib/bindings/PlanTier';
import { t } from '$lib/i18n/i18n.svelte';

/** A plan tier's name as MiniMax markets it in the active language. */
export function tierName(tier: PlanTier): string {
  return t(`tier.${tier}`);
}
