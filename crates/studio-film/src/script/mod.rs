//! The shot list: the `tokenplan-film/1` model every way into a film produces (a JSON file, a Fountain
//! screenplay, an M2.7 draft, the storyboard), its rules, and the importers.
//!
//! The format is documented in this crate's README. Version 1 only ever gains optional fields: a reader
//! ignores fields it does not know (and warns, so a typo does not vanish) and every v1 file stays readable.

mod camera;
mod emotion;
pub mod fountain;
mod import_note;
pub mod json;
pub(crate) mod json_position;
mod validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use camera::CameraMove;
pub use emotion::{EmotionWord, LineEmotion};
pub use import_note::ImportNote;
pub use json_position::{TextPosition, locate_json_path};
pub use validate::{ScriptProblem, normalise_names, validate};

use crate::error::{FilmError, Result};

/// The format marker of version 1, the first field of every shot list.
pub const FORMAT_V1: &str = "tokenplan-film/1";

/// The speaker name of narration: not a cast member, always allowed.
pub const NARRATOR: &str = "Narrator";

/// Limits that come from the APIs a script's text is sent to (`minimax-api.md`), in characters.
pub mod limits {
    /// A Hailuo video prompt is at most 2000 characters (§4.1); a shot's description is its core.
    pub const SHOT_DESCRIPTION_MAX_CHARS: usize = 2000;
    /// T2A text must be under 10,000 characters (§3), so 9,999 is the longest line.
    pub const LINE_TEXT_MAX_CHARS: usize = 9_999;
    /// An image-01 prompt is at most 1500 characters (§5); a character's look goes into keyframe prompts.
    pub const CAST_LOOK_MAX_CHARS: usize = 1500;
    /// A music prompt is at most 2000 characters (§6).
    pub const MUSIC_PROMPT_MAX_CHARS: usize = 2000;
    /// Lyrics are at most 3500 characters (§6).
    pub const MUSIC_LYRICS_MAX_CHARS: usize = 3500;
    /// The style is added to every shot prompt, so it must leave most of the 2000 characters to the shot.
    pub const STYLE_MAX_CHARS: usize = 500;
    /// Titles are shown in lists and file names; longer is a mistake (a pasted paragraph).
    pub const TITLE_MAX_CHARS: usize = 200;
    /// A logline is one or two sentences.
    pub const LOGLINE_MAX_CHARS: usize = 1000;
    /// A name is shown on cards and matched against speakers.
    pub const NAME_MAX_CHARS: usize = 100;
    /// The shortest planned shot, in seconds.
    pub const SHOT_MIN_S: f64 = 1.0;
    /// The longest planned shot, in seconds: Hailuo-02 and 2.3 make 6 or 10 s clips, MiniMax-H3 up to
    /// 15 s; any other length is a planned duration the clip is trimmed or held to.
    pub const SHOT_MAX_S: f64 = 15.0;
    /// The longest target length of a film, in seconds (two hours).
    pub const FILM_MAX_S: f64 = 7200.0;
    /// More shots than this is not a short film and would make every screen slow.
    pub const SHOTS_MAX: usize = 1000;
}

/// A whole shot list (`tokenplan-film/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Script {
    /// Always `"tokenplan-film/1"` ([`FORMAT_V1`]). Empty when absent, so validation can say it is missing.
    #[serde(default)]
    pub format: String,
    /// The film's title.
    pub title: String,
    /// One or two sentences about the film.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub logline: Option<String>,
    /// The frame shape; the film's default (16:9) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub aspect_ratio: Option<AspectRatio>,
    /// Visual style notes added to every shot prompt ("hand-drawn watercolour, warm light").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub style: Option<String>,
    /// The length the film aims at, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target_length_s: Option<f64>,
    /// The characters, in order of appearance. Narration needs no cast member.
    #[serde(default)]
    pub cast: Vec<ScriptCast>,
    /// The shots, in film order.
    pub shots: Vec<ScriptShot>,
    /// The film's music cue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub music: Option<ScriptMusic>,
}

/// The frame shapes a film can have (the shapes image-01 and Hailuo share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AspectRatio {
    /// Landscape.
    #[serde(rename = "16:9")]
    Landscape,
    /// Portrait (phones).
    #[serde(rename = "9:16")]
    Portrait,
    /// Square.
    #[serde(rename = "1:1")]
    Square,
}

impl AspectRatio {
    /// All shapes.
    pub const ALL: [AspectRatio; 3] = [AspectRatio::Landscape, AspectRatio::Portrait, AspectRatio::Square];

    /// The written form (`"16:9"`).
    pub fn name(self) -> &'static str {
        match self {
            AspectRatio::Landscape => "16:9",
            AspectRatio::Portrait => "9:16",
            AspectRatio::Square => "1:1",
        }
    }

    /// Reads `"16:9"`, also with spaces or `x`/`/` as the separator (`"16 x 9"`).
    pub fn parse(text: &str) -> Option<AspectRatio> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        let canonical = compact.replace(['x', '/', '×'], ":");
        AspectRatio::ALL.into_iter().find(|r| r.name() == canonical)
    }
}

/// A character of the film.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptCast {
    /// The name speakers and shots refer to (matched case-insensitively).
    pub name: String,
    /// How the character looks, added to keyframe prompts for continuity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub look: Option<String>,
    /// A system voice id for the character's lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub voice: Option<String>,
}

/// One shot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptShot {
    /// What the camera sees: the core of the keyframe and video prompts.
    pub description: String,
    /// Camera moves in the order they happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<CameraMove>>", optional)]
    pub camera: Vec<CameraMove>,
    /// The planned length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_s: Option<f64>,
    /// Cast members in frame (their looks and reference images are used).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub characters: Vec<String>,
    /// What is said over the shot, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ScriptLine>>", optional)]
    pub lines: Vec<ScriptLine>,
}

/// One spoken line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptLine {
    /// A cast member's name or [`NARRATOR`].
    pub speaker: String,
    /// The words.
    pub text: String,
    /// How they are said; the voice's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub emotion: Option<LineEmotion>,
}

/// The film's music cue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptMusic {
    /// Style, mood and instruments.
    pub prompt: String,
    /// Lyrics with structure tags; instrumental when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lyrics: Option<String>,
}

/// Something an importer changed or left out, worth telling the user (the import still succeeded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportWarning {
    /// 1-based line in the source, when the warning is about one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub line: Option<u32>,
    /// What happened, as data the app words in the user's language.
    pub note: ImportNote,
    /// The same in English (what the command line prints).
    pub message: String,
}

impl ImportWarning {
    /// A warning about one line of the source.
    pub fn at(line: u32, note: ImportNote) -> Self {
        ImportWarning { line: Some(line), message: note.to_string(), note }
    }

    /// A warning about the whole script.
    pub fn general(note: ImportNote) -> Self {
        ImportWarning { line: None, message: note.to_string(), note }
    }
}

impl std::fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Which kind of file a script came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScriptSource {
    /// A `tokenplan-film/1` JSON shot list.
    Json,
    /// A Fountain screenplay.
    Fountain,
    /// An M2.7 draft reply.
    Draft,
}

/// A script read from a file, valid, with what the importer had to say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportedScript {
    /// The valid script.
    pub script: Script,
    /// What the importer changed, dropped or could not map.
    pub warnings: Vec<ImportWarning>,
    /// The kind of file it came from.
    pub source: ScriptSource,
}

/// Reads a script file of either kind: a file whose first non-blank character is `{` is a JSON shot list,
/// anything else a Fountain screenplay (Fountain has no fixed first character, JSON does).
pub fn import_text(text: &str) -> Result<ImportedScript> {
    let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
    if first == Some('{') { json::import_json(text) } else { fountain::import_fountain(text) }
}

/// Like [`import_text`] for the raw bytes of a file: bytes that are not UTF-8 are refused with the line
/// and column of the first bad byte.
pub fn import_bytes(bytes: &[u8]) -> Result<ImportedScript> {
    match std::str::from_utf8(bytes) {
        Ok(text) => import_text(text),
        Err(err) => {
            let good = &bytes[..err.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(FilmError::NotText { line: saturating_u32(line), column: saturating_u32(column) })
        }
    }
}

/// Positions and counts shown to people fit in `u32`; a file with more lines is clamped rather than wrapped.
pub(crate) fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspect_ratios_are_read_leniently() {
        let table = [
            ("16:9", Some(AspectRatio::Landscape)),
            (" 9 : 16 ", Some(AspectRatio::Portrait)),
            ("16x9", Some(AspectRatio::Landscape)),
            ("1/1", Some(AspectRatio::Square)),
            ("4:3", None),
            ("", None),
        ];
        for (text, expected) in table {
            assert_eq!(AspectRatio::parse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_position() {
        let err = import_bytes(b"Title: X\nab\xffcd\n").unwrap_err();
        assert!(matches!(err, FilmError::NotText { line: 2, column: 3 }), "{err:?}");
    }

    #[test]
    fn import_text_picks_the_importer_by_the_first_character() {
        let json = format!(r#" {{"format":"{FORMAT_V1}","title":"T","shots":[{{"description":"A"}}]}}"#);
        assert_eq!(import_text(&json).unwrap().source, ScriptSource::Json);
        let fountain = "Title: T\n\nEXT. PORT - DAY\n\nA boat.\n";
        assert_eq!(import_text(fountain).unwrap().source, ScriptSource::Fountain);
    }
}
