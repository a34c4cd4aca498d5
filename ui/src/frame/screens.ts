// The screens the sidebar offers, in order. A new screen is one entry here (plus its component). Screens
// are loaded on first visit (dynamic import): the first frame only parses what it shows, which keeps
// start-up fast and idle memory low.
import type { Component } from 'svelte';
import type { IconName } from '$lib/components/Icon.svelte';
import type { MessageKey } from '$lib/i18n/en';
import { prefetchFirstPage } from '$lib/library/first-page';

/** Where a screen's entry sits: CREATE (composers), the main list, the footer (Settings), or nowhere. */
export type NavGroup = 'create' | 'main' | 'footer' | 'hidden';

export type ScreenId =
  | 'film'
  | 'chat'
  | 'speech'
  | 'voices'
  | 'image'
  | 'video'
  | 'music'
  | 'jobs'
  | 'library'
  | 'spend'
  | 'settings'
  | 'welcome';

export interface Screen {
  /** Stable id; the nav entry's test id is `nav-{id}`. */
  id: ScreenId;
  /** The nav label and the top bar title. */
  titleKey: MessageKey;
  icon: IconName;
  group: NavGroup;
  load: () => Promise<{ default: Component }>;
  /** Starts loading the data the screen shows first, alongside its code (called on navigation). */
  prefetch?: () => void;
}

export const SCREENS: readonly Screen[] = [
  { id: 'film', titleKey: 'screen.film', icon: 'film', group: 'create', load: () => import('../features/film/FilmScreen.svelte') },
  { id: 'chat', titleKey: 'screen.chat', icon: 'chat', group: 'create', load: () => import('../features/chat/ChatScreen.svelte') },
  { id: 'speech', titleKey: 'screen.speech', icon: 'speech', group: 'create', load: () => import('../features/speech/SpeechScreen.svelte') },
  { id: 'voices', titleKey: 'screen.voices', icon: 'voices', group: 'create', load: () => import('../features/voices/VoicesScreen.svelte') },
  { id: 'image', titleKey: 'screen.image', icon: 'image', group: 'create', load: () => import('../features/image/ImageScreen.svelte') },
  { id: 'video', titleKey: 'screen.video', icon: 'video', group: 'create', load: () => import('../features/video/VideoScreen.svelte') },
  { id: 'music', titleKey: 'screen.music', icon: 'music', group: 'create', load: () => import('../features/music/MusicScreen.svelte') },
  { id: 'jobs', titleKey: 'screen.jobs', icon: 'jobs', group: 'main', load: () => import('../features/jobs/JobsScreen.svelte') },
  { id: 'library', titleKey: 'screen.library', icon: 'library', group: 'main', load: () => import('../features/library/LibraryScreen.svelte'), prefetch: () => prefetchFirstPage() },
  { id: 'spend', titleKey: 'screen.spend', icon: 'spend', group: 'main', load: () => import('../features/spend/SpendScreen.svelte') },
  { id: 'settings', titleKey: 'screen.settings', icon: 'settings', group: 'footer', load: () => import('../features/settings/SettingsScreen.svelte') },
  { id: 'welcome', titleKey: 'screen.welcome', icon: 'sparkle', group: 'hidden', load: () => import('../features/welcome/WelcomeScreen.svelte') },
];

export function screenById(id: ScreenId): Screen {
  return SCREENS.find((s) => s.id === id)!;
}

/** The screen a composer's results belong to, from a job's modality. */
export function screenOfModality(modality: string): ScreenId {
  switch (modality) {
    case 'text':
      return 'chat';
    case 'speech':
    case 'speechAsync':
      return 'speech';
    case 'image':
      return 'image';
    case 'video':
      return 'video';
    default:
      return 'music';
  }
}
