// The chat conversation, kept while the app runs (switching screens keeps it). Each assistant turn is bound
// to its job: tokens stream in through the job's channel, the job event says when it is done or failed.
import type { ChatTurn } from '$lib/bindings/ChatTurn';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  reasoning: string;
  jobId?: number;
  state: 'streaming' | 'done' | 'failed';
  error?: string;
}

export const conversation: { turns: Turn[] } = $state({ turns: [] });

/** The finished turns, as the next request's history. */
export function history(turns: readonly Turn[]): ChatTurn[] {
  return turns
    .filter((turn) => turn.state === 'done' && turn.content.trim() !== '')
    .map((turn) => ({ role: turn.role, content: turn.content }));
}
