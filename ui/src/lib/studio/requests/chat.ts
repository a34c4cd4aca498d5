// The chat request as the composer describes it (its models come from the model table): the draft (the message being written, apart
// from the conversation it joins) and its defaults, the check, the request sent, and the draft a stored
// request gives back.
import type { ChatParams } from '$lib/bindings/ChatParams';
import type { ChatTurn } from '$lib/bindings/ChatTurn';
import type { GenerationRequest } from '$lib/bindings/GenerationRequest';
import { overDefaults, sent, type Draft, type Filled } from './draft';
import { collect, required, type Problems } from './problems';

/** `max_completion_tokens` ceiling for the M2.x models. */
export const CHAT_MAX_TOKENS = 196_608;

export type ChatDraft = Filled<Omit<Draft<ChatParams>, 'messages'>, 'system'> & {
  /** The message box; the request's messages are the conversation so far and then this. */
  message: string;
};

export const CHAT_DEFAULTS: Readonly<ChatDraft> = {
  model: 'MiniMax-M2.7',
  system: '',
  message: '',
  maxTokens: undefined,
  temperature: undefined,
};

export function chatProblems(d: ChatDraft): Problems {
  return collect([['message', required(d.message)]]);
}

export function chatRequest({ message, ...d }: ChatDraft, history: ChatTurn[]): GenerationRequest {
  return sent({
    kind: 'chat',
    ...d,
    system: d.system.trim() !== '' ? d.system : undefined,
    messages: [...history, { role: 'user', content: message }],
  });
}

/** The message box gets the last thing the user said. */
export function chatDraftOf({ messages, ...stored }: ChatParams): ChatDraft {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return { ...overDefaults(CHAT_DEFAULTS, stored), message: last?.content ?? '' };
}
