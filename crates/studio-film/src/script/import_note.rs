//! What an importer changed or left out, as data: the app words it in the user's language, the command line
//! prints the English of [`fmt::Display`] (the UI's English reads the same: `import-notes.ts`).

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One thing an import changed or left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum ImportNote {
    /// A `[[note]]` is never closed; the rest is kept as text.
    UnclosedNote,
    /// No title page with a `Title:`; the film is called "Untitled".
    NoTitle,
    /// Centered text (a title card) left out.
    CenteredLeftOut {
        /// The text.
        text: String,
    },
    /// A long action went on in more shots.
    ActionContinued {
        /// How many more shots.
        shots: u32,
        /// A shot description's limit.
        max_chars: u32,
    },
    /// Dual dialogue is spoken one after the other.
    DualDialogue {
        /// Who speaks second.
        speaker: String,
        /// Who spoke at the same time, when known.
        other: Option<String>,
    },
    /// A whisper the voices cannot do; voiced normally.
    CannotWhisper {
        /// The parenthetical as written.
        text: String,
    },
    /// A long speech split into several lines.
    SpeechSplit {
        /// A line's limit.
        max_chars: u32,
        /// Into how many lines.
        lines: u32,
    },
    /// Lyrics past a song's limit left out.
    LyricsCut {
        /// A song's limit.
        max_chars: u32,
    },
    /// Lyrics outside dialogue became the film's music cue.
    LyricsBecameMusic,
    /// A field this version does not read.
    UnknownField {
        /// The field.
        field: String,
        /// Where it is (`shots[2]`), when not at the top.
        parent: Option<String>,
    },
    /// More unknown fields than are listed one by one.
    MoreUnknownFields {
        /// How many more.
        count: u32,
    },
    /// A repair of M2.7's draft, in its own words (the draft's repairs are many and small).
    Repaired {
        /// What was repaired.
        text: String,
    },
}

impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportNote::UnclosedNote => {
                f.write_str("a note opened with `[[` is never closed with `]]`; kept as text")
            }
            ImportNote::NoTitle => {
                f.write_str("no title page with a Title: field; the film is called \"Untitled\"")
            }
            ImportNote::CenteredLeftOut { text } => {
                write!(f, "centered text \"{text}\" left out (title cards belong in the edit)")
            }
            ImportNote::ActionContinued { shots, max_chars } => write!(
                f,
                "long action continued in {shots} more shot{} (a shot description holds at most {max_chars} characters)",
                if *shots == 1 { "" } else { "s" }
            ),
            ImportNote::DualDialogue { speaker, other } => {
                let other = other.as_ref().map_or_else(String::new, |p| format!(" with {p}"));
                write!(
                    f,
                    "dual dialogue flattened: {speaker}'s line{other} is spoken after, not at the same time"
                )
            }
            ImportNote::CannotWhisper { text } => {
                write!(f, "({text}): speech-2.8 voices cannot whisper; the line is voiced normally")
            }
            ImportNote::SpeechSplit { max_chars, lines } => {
                write!(f, "a speech over {max_chars} characters was split into {lines} lines")
            }
            ImportNote::LyricsCut { max_chars } => {
                write!(f, "lyrics from here on left out: a song holds at most {max_chars} characters")
            }
            ImportNote::LyricsBecameMusic => f.write_str(
                "lyrics outside dialogue became the film's music cue; describe its style in the music prompt",
            ),
            ImportNote::UnknownField { field, parent } => {
                let place = parent.as_ref().map_or_else(String::new, |p| format!(" in {p}"));
                write!(f, "unknown field \"{field}\"{place} ignored (this version does not read it)")
            }
            ImportNote::MoreUnknownFields { count } => write!(f, "and {count} more unknown fields ignored"),
            ImportNote::Repaired { text } => f.write_str(text),
        }
    }
}
