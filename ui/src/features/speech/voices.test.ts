import { describe, expect, it } from 'vitest';
import type { VoiceInfo } from '$lib/bindings/VoiceInfo';
import { filterVoices, languagesOf, previewText } from './voices';

const voices: VoiceInfo[] = [
  { voiceId: 'English_Graceful_Lady', name: 'Graceful Lady', description: 'elegant', kind: 'system', language: 'English', gender: 'female' },
  { voiceId: 'English_Aussie_Bloke', name: 'Aussie Bloke', description: 'friendly', kind: 'system', language: 'English', gender: 'male' },
  { voiceId: 'Chinese (Mandarin)_Warm_Girl', name: 'Warm Girl', description: '温暖', kind: 'system', language: 'Chinese (Mandarin)', gender: 'female' },
  { voiceId: 'moss_audio_1', name: 'My voice', description: '', kind: 'cloned' },
];

describe('voice browser', () => {
  it('filters by words, language, gender and kind', () => {
    const all = { search: '', language: '', gender: '' as const, kind: '' as const };
    expect(filterVoices(voices, { ...all, search: 'friendly aussie' }).map((v) => v.name)).toEqual(['Aussie Bloke']);
    expect(filterVoices(voices, { ...all, gender: 'female', language: 'English' })).toHaveLength(1);
    expect(filterVoices(voices, { ...all, kind: 'cloned' })[0]?.voiceId).toBe('moss_audio_1');
    expect(languagesOf(voices)).toEqual(['English', 'Chinese (Mandarin)']);
    expect(previewText('Chinese (Mandarin)')).toMatch(/你好/);
  });
});
