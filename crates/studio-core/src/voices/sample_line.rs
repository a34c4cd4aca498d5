//! The short line a preview speaks, in the voice's own language.
//!
//! The language is read from what the voice says about itself — its description and name (a description in
//! Chinese characters, "a … voice in Japanese", "粤语"), or what we stored when the voice was designed or
//! cloned — before MiniMax's id naming (`Japanese_…`): legacy ids (`male-qn-qingse`), cloned and designed
//! ids (`moss_audio_…`, `ttv-voice-…`, ours) carry no language at all, and `Cantonese_…` is not a
//! `language_boost` value. A line is short on purpose: a preview costs what it says (Turbo: 300 requests
//! per 1,000 characters), so ~40 characters cost ~12 requests.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language a preview line exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SampleLanguage {
    /// English.
    English,
    /// Mandarin Chinese.
    Mandarin,
    /// Cantonese.
    Cantonese,
    /// Japanese.
    Japanese,
    /// Korean.
    Korean,
    /// Spanish.
    Spanish,
    /// French.
    French,
    /// German.
    German,
    /// Portuguese.
    Portuguese,
    /// Italian.
    Italian,
    /// Russian.
    Russian,
}

/// Every language, with the words that name it in a description or an id, its `language_boost` value and
/// its line. Order matters for detection: Cantonese before Mandarin (both are "Chinese").
const LANGUAGES: &[(SampleLanguage, &[&str], &str, &str)] = &[
    (
        SampleLanguage::Cantonese,
        &["cantonese", "粤语", "粵語", "廣東話", "广东话"],
        "Chinese,Yue",
        "你好，呢個係我把聲，專登為你嘅故事準備。",
    ),
    (
        SampleLanguage::Mandarin,
        &["mandarin", "chinese", "普通话", "中文", "国语"],
        "Chinese",
        "你好，这是我的声音，为你的故事而来。",
    ),
    (
        SampleLanguage::Japanese,
        &["japanese", "日本語"],
        "Japanese",
        "こんにちは。これが、あなたの物語のための私の声です。",
    ),
    (
        SampleLanguage::Korean,
        &["korean", "한국어"],
        "Korean",
        "안녕하세요. 당신의 이야기를 위한 제 목소리예요.",
    ),
    (SampleLanguage::Spanish, &["spanish", "español"], "Spanish", "Hola, así sueno yo en tu historia."),
    (
        SampleLanguage::French,
        &["french", "français"],
        "French",
        "Bonjour, voici ma voix pour votre histoire.",
    ),
    (SampleLanguage::German, &["german", "deutsch"], "German", "Hallo, so klinge ich in deiner Geschichte."),
    (
        SampleLanguage::Portuguese,
        &["portuguese", "português"],
        "Portuguese",
        "Olá, é assim que eu soo na sua história.",
    ),
    (SampleLanguage::Italian, &["italian", "italiano"], "Italian", "Ciao, ecco come suono nella tua storia."),
    (
        SampleLanguage::Russian,
        &["russian", "русский"],
        "Russian",
        "Привет, вот так звучит мой голос в вашей истории.",
    ),
    (
        SampleLanguage::English,
        &["english", "american", "british", "australian"],
        "English",
        "Hi, this is how I sound in your story.",
    ),
];

/// What a voice tells about itself (the fields of [`super::VoiceInfo`], or of a stored custom voice).
#[derive(Debug, Clone, Copy, Default)]
pub struct VoiceMetadata<'a> {
    /// The voice id (consulted last).
    pub voice_id: &'a str,
    /// Its display name.
    pub name: &'a str,
    /// Its description.
    pub description: &'a str,
    /// A language we know for it (stored when we designed or cloned it, or given by the list).
    pub language: Option<&'a str>,
}

impl SampleLanguage {
    fn row(self) -> &'static (SampleLanguage, &'static [&'static str], &'static str, &'static str) {
        // Every variant has a row (checked by a test); English is the fallback of the fallback.
        LANGUAGES.iter().find(|row| row.0 == self).unwrap_or(&LANGUAGES[LANGUAGES.len() - 1])
    }

    /// The line a preview in this language speaks.
    pub fn line(self) -> &'static str {
        self.row().3
    }

    /// The `language_boost` sent with the preview, so a short line is not misread as another language.
    pub fn language_boost(self) -> &'static str {
        self.row().2
    }

    /// The language some text names (`"Chinese (Mandarin)"`, `"A calm voice in Japanese"`), if any.
    /// Cantonese wins wherever it is named ("Chinese (Cantonese)"); otherwise the language named first
    /// ("an English voice with a French accent" is English).
    pub fn named_in(text: &str) -> Option<SampleLanguage> {
        let text = text.to_lowercase();
        let first_at = |words: &[&str]| words.iter().filter_map(|w| text.find(w)).min();
        LANGUAGES
            .iter()
            .filter_map(|(language, words, _, _)| Some((*language, first_at(words)?)))
            .min_by_key(|(language, at)| (*language != SampleLanguage::Cantonese, *at))
            .map(|(language, _)| language)
    }

    /// The language the script of some text shows: kana ⇒ Japanese, hangul ⇒ Korean, Cyrillic ⇒ Russian,
    /// Han characters ⇒ Mandarin (Cantonese is only told by name).
    pub fn script_of(text: &str) -> Option<SampleLanguage> {
        let has = |range: std::ops::RangeInclusive<u32>| text.chars().any(|c| range.contains(&(c as u32)));
        if has(0x3040..=0x30FF) {
            Some(SampleLanguage::Japanese)
        } else if has(0xAC00..=0xD7AF) {
            Some(SampleLanguage::Korean)
        } else if has(0x0400..=0x04FF) {
            Some(SampleLanguage::Russian)
        } else if has(0x4E00..=0x9FFF) {
            Some(SampleLanguage::Mandarin)
        } else {
            None
        }
    }

    /// The language of a voice: a language we stored or were given, then what its description says in
    /// words, then its description's script, then its name (a legacy voice named `青涩青年音色`), then
    /// MiniMax's id naming; English when nothing tells.
    pub fn of_voice(voice: VoiceMetadata<'_>) -> SampleLanguage {
        voice
            .language
            .and_then(SampleLanguage::named_in)
            .or_else(|| SampleLanguage::named_in(voice.description))
            .or_else(|| SampleLanguage::script_of(voice.description))
            .or_else(|| SampleLanguage::named_in(voice.name))
            .or_else(|| SampleLanguage::script_of(voice.name))
            .or_else(|| {
                voice.voice_id.split_once('_').and_then(|(prefix, _)| SampleLanguage::named_in(prefix))
            })
            .unwrap_or(SampleLanguage::English)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(voice_id: &str, name: &str, description: &str) -> SampleLanguage {
        SampleLanguage::of_voice(VoiceMetadata { voice_id, name, description, language: None })
    }

    #[test]
    fn every_language_has_a_short_line_and_a_boost_minimax_knows() {
        for (language, _, boost, line) in LANGUAGES {
            assert_eq!(language.line(), *line);
            assert!(minimax_api::speech::LANGUAGE_BOOSTS.contains(boost), "{boost}");
            assert!(line.chars().count() <= 50, "{line} is short (a preview costs what it says)");
        }
        let all = [
            SampleLanguage::English,
            SampleLanguage::Mandarin,
            SampleLanguage::Cantonese,
            SampleLanguage::Japanese,
            SampleLanguage::Korean,
            SampleLanguage::Spanish,
            SampleLanguage::French,
            SampleLanguage::German,
            SampleLanguage::Portuguese,
            SampleLanguage::Italian,
            SampleLanguage::Russian,
        ];
        for language in all {
            assert_eq!(language.row().0, language, "{language:?} has its own row");
        }
    }

    #[test]
    fn the_description_wins_over_the_id() {
        // The description says Japanese although the id would say nothing useful.
        assert_eq!(
            of("moss_audio_42", "Aiko", "A bright young voice in Japanese."),
            SampleLanguage::Japanese
        );
        assert_eq!(
            of("English_Graceful_Lady", "Graceful Lady", "An elegant voice."),
            SampleLanguage::English
        );
        assert_eq!(
            of("Chinese (Mandarin)_News_Anchor", "News Anchor", "一位专业的女性新闻主播。"),
            SampleLanguage::Mandarin
        );
        assert_eq!(of("Cantonese_GentleLady", "Gentle Lady", "温柔的粤语女声。"), SampleLanguage::Cantonese);
        // A legacy id has no language prefix; its Chinese name tells.
        assert_eq!(
            of("male-qn-qingse", "青涩青年音色", "Legacy voice: a young male voice."),
            SampleLanguage::Mandarin
        );
        assert_eq!(of("ttv-voice-2026", "ttv-voice-2026", ""), SampleLanguage::English);
        assert_eq!(of("Korean_SweetGirl", "Sweet Girl", ""), SampleLanguage::Korean);
        assert_eq!(of("x", "Oksana", "Тёплый женский голос"), SampleLanguage::Russian);
    }

    #[test]
    fn a_stored_language_comes_first() {
        let voice = VoiceMetadata {
            voice_id: "StudioNarrator01",
            name: "Narrator",
            description: "A warm English narrator",
            language: Some("Spanish"),
        };
        assert_eq!(SampleLanguage::of_voice(voice), SampleLanguage::Spanish);
        assert_eq!(SampleLanguage::Cantonese.language_boost(), "Chinese,Yue");
        assert_eq!(SampleLanguage::named_in("Chinese (Cantonese)"), Some(SampleLanguage::Cantonese));
        assert_eq!(
            SampleLanguage::named_in("An English voice, a French accent"),
            Some(SampleLanguage::English)
        );
    }
}
