// Lets any screen move to another (a chat reply sent to Speech, the Welcome screen's "Try the demo").
import { getContext, setContext } from 'svelte';
import type { ScreenId } from './screens';

export type Navigate = (id: ScreenId) => void;

const KEY = Symbol('navigate');

export function provideNavigate(navigate: Navigate): void {
  setContext(KEY, navigate);
}

/** The frame's navigation; a no-op outside the frame (components rendered alone in tests). */
export function useNavigate(): Navigate {
  return getContext<Navigate | undefined>(KEY) ?? (() => {});
}
