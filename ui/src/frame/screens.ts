// The screens the sidebar offers, in order. A new screen is one entry here (plus its component); only
// screens that exist are listed — no placeholders.
import type { Component } from 'svelte';
import SettingsScreen from '../features/settings/SettingsScreen.svelte';
import type { IconName } from '$lib/components/Icon.svelte';
import type { MessageKey } from '$lib/i18n/en';

/** Where a screen's entry sits: the main list (top) or the footer (bottom, like Settings). */
export type NavGroup = 'main' | 'footer';

export interface Screen {
  /** Stable id; the nav entry's test id is `nav-{id}`. */
  id: string;
  /** The nav label and the top bar title. */
  titleKey: MessageKey;
  icon: IconName;
  group: NavGroup;
  component: Component;
}

export const SCREENS: readonly Screen[] = [
  { id: 'settings', titleKey: 'screen.settings', icon: 'settings', group: 'footer', component: SettingsScreen },
];

/** The screen shown at start. */
export const START_SCREEN: Screen = SCREENS[0]!;
