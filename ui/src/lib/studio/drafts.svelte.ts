// The composers' drafts live here, not in the screens: switching screens keeps what was typed, and a chat
// reply can be "sent to" another composer, or a Library item remixed, by writing its draft before navigating
// there. Each starts from its request's defaults (`requests/<kind>.ts`).
import { CHAT_DEFAULTS, type ChatDraft } from './requests/chat';
import { IMAGE_DEFAULTS, type ImageDraft } from './requests/image';
import { MUSIC_DEFAULTS, type MusicDraft } from './requests/music';
import { SPEECH_DEFAULTS, type SpeechDraft } from './requests/speech';
import { VIDEO_DEFAULTS, type VideoDraft } from './requests/video';

export const speechDraft: SpeechDraft = $state({ ...SPEECH_DEFAULTS });
export const imageDraft: ImageDraft = $state({ ...IMAGE_DEFAULTS });
export const videoDraft: VideoDraft = $state({ ...VIDEO_DEFAULTS });
export const musicDraft: MusicDraft = $state({ ...MUSIC_DEFAULTS });
export const chatDraft: ChatDraft = $state({ ...CHAT_DEFAULTS });
