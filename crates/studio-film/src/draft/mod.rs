//! A shot list drafted by M2.7 from an idea: the request, the reading of the reply (repairing what models
//! commonly get wrong), the one re-ask, and an outcome that never throws the reply away.
//!
//! The flow, with the network left to the caller:
//! 1. send [`draft_messages`]; 2. [`after_first_reply`] → either a finished [`DraftOutcome`] or a re-ask;
//! 3. send the re-ask's messages; 4. [`after_repair_reply`] → [`DraftOutcome::Ready`] or
//!    [`DraftOutcome::NeedsEditing`] holding both replies for the user to fix by hand.
//!
//! **The simulator contract.** minimax-sim answers draft requests deterministically. It recognises one by
//! the system prompt containing [`DRAFT_MARKER`] (`tokenplan-film/1`), reads the idea from the user message's
//! line starting with [`IDEA_PREFIX`] (`Idea: `, the idea on one line) and the number of shots from the line
//! starting with [`SHOTS_PREFIX`] (`Shots: N`, present only when the user chose N). A re-ask carries the same
//! system prompt and no `Idea:` line. Changing these strings breaks the simulator and its tests.

mod repair;

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::script::{
    AspectRatio, CameraMove, FORMAT_V1, ImportedScript, LineEmotion, NARRATOR, ScriptProblem, ScriptSource,
};

/// The marker a draft request's system prompt always contains: the format's own name.
pub const DRAFT_MARKER: &str = FORMAT_V1;
/// The start of the user message's idea line.
pub const IDEA_PREFIX: &str = "Idea: ";
/// The start of the user message's shot-count line (only when a count was chosen).
pub const SHOTS_PREFIX: &str = "Shots: ";
/// The longest reply quoted back in a re-ask; a longer one is cut (the model only needs to see its shape).
const REASK_QUOTE_MAX_CHARS: usize = 30_000;

/// The two messages of an M2.7 chat request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DraftMessages {
    /// The system message: the format and its rules; always contains [`DRAFT_MARKER`].
    pub system: String,
    /// The user message.
    pub user: String,
}

/// Why a reply is not a usable shot list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum DraftProblem {
    /// No JSON object in the reply at all.
    NoJson,
    /// A JSON object that does not parse even after repair; the position is in the reply text.
    Malformed {
        /// 1-based line in the reply.
        line: u32,
        /// 1-based column in the reply.
        column: u32,
        /// What the parser expected.
        message: String,
    },
    /// Parsed, but not a valid shot list.
    Invalid {
        /// Every rule broken.
        problems: Vec<ScriptProblem>,
    },
}

impl fmt::Display for DraftProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftProblem::NoJson => f.write_str("the reply contains no JSON object"),
            DraftProblem::Malformed { line, column, message } => {
                write!(f, "the JSON is malformed at line {line}, column {column}: {message}")
            }
            DraftProblem::Invalid { problems } => {
                const SHOWN: usize = 10;
                let listed: Vec<String> = problems.iter().take(SHOWN).map(ToString::to_string).collect();
                write!(f, "{}", listed.join("; "))?;
                if problems.len() > SHOWN {
                    write!(f, "; and {} more", problems.len() - SHOWN)?;
                }
                Ok(())
            }
        }
    }
}

/// Where a draft ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum DraftOutcome {
    /// A valid script, with what was repaired.
    Ready {
        /// The script and the repair warnings.
        imported: ImportedScript,
        /// Whether the one re-ask was needed.
        reasked: bool,
    },
    /// Still not valid after the re-ask: the text is kept for the user to edit (nothing is thrown away).
    NeedsEditing {
        /// The last reply, as received.
        raw_reply: String,
        /// The first reply, when the last one was the re-ask's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        first_reply: Option<String>,
        /// Why the last reply is not usable.
        problem: DraftProblem,
    },
}

/// What to do after the first reply.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftStep {
    /// The draft is finished (it was valid, possibly after repairs).
    Done(DraftOutcome),
    /// Ask once more with these messages, then call [`after_repair_reply`].
    Reask {
        /// The re-ask.
        messages: DraftMessages,
        /// What was wrong with the first reply.
        problem: DraftProblem,
    },
}

/// The M2.7 request for a shot list from an idea. `shots` is the number of shots the user wants (the model
/// chooses when `None`); `aspect_ratio` and `style` are passed on when chosen.
pub fn draft_messages(
    idea: &str,
    shots: Option<u32>,
    aspect_ratio: Option<AspectRatio>,
    style: Option<&str>,
) -> DraftMessages {
    // One line each, so the simulator (and the model) read them unambiguously.
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut user = String::from("Write the shot list for this short film.\n");
    user.push_str(&format!("{IDEA_PREFIX}{}\n", one_line(idea)));
    if let Some(n) = shots {
        user.push_str(&format!("{SHOTS_PREFIX}{n}\n"));
    }
    if let Some(ratio) = aspect_ratio {
        user.push_str(&format!("Aspect ratio: {}\n", ratio.name()));
    }
    if let Some(style) = style.map(one_line).filter(|s| !s.is_empty()) {
        user.push_str(&format!("Style: {style}\n"));
    }
    DraftMessages { system: system_prompt(), user }
}

/// The format, its rules and the palettes, for the model.
fn system_prompt() -> String {
    let moves =
        CameraMove::PALETTE.iter().map(|m| format!("\"{}\"", m.name())).collect::<Vec<_>>().join(", ");
    let emotions =
        LineEmotion::ALL.iter().map(|e| format!("\"{}\"", e.name())).collect::<Vec<_>>().join(", ");
    format!(
        "You are a film director planning a short film shot by shot for AI generation: each shot becomes a \
keyframe image, then a video clip of 6 or 10 seconds; lines are voiced by text-to-speech; one music cue scores the film.

Answer with only one JSON object in the format {DRAFT_MARKER}, no prose and no code fences:
{{\"format\": \"{DRAFT_MARKER}\", \"title\": string, \"logline\": string, \"aspectRatio\": \"16:9\" | \"9:16\" | \"1:1\", \
\"style\": string, \"targetLengthS\": number,
 \"cast\": [{{\"name\": string, \"look\": string}}],
 \"shots\": [{{\"description\": string, \"camera\": [string], \"durationS\": 6 | 10, \"characters\": [string],
   \"lines\": [{{\"speaker\": string, \"text\": string, \"emotion\": string}}]}}],
 \"music\": {{\"prompt\": string}}}}

Rules:
- description: what the camera sees, concrete and visual, at most 400 characters; repeat each character's look.
- camera: zero to two moves from exactly this list: {moves}.
- durationS: 6 or 10.
- characters: names from the cast who are in frame.
- speaker: a cast name or \"{NARRATOR}\"; keep lines short (under 200 characters); emotion, if any, one of {emotions}.
- look: age, face, hair, clothes, so keyframes keep the character consistent.
- music.prompt: genre, mood and instruments, instrumental.
- Use the number of shots asked for; otherwise 4 to 8 shots."
    )
}

/// Reads a reply: the JSON whether bare, fenced or surrounded by prose; common faults repaired (trailing
/// commas, smart quotes, comments, a missing `format`, `duration` for `durationS`, snake_case keys, camera
/// moves in any spelling, speakers missing from the cast added); then every rule checked. Repairs are
/// listed as warnings of the returned script.
pub fn parse_draft_reply(text: &str) -> Result<ImportedScript, DraftProblem> {
    let (script, warnings) = repair::read_reply(text)?;
    Ok(ImportedScript { script, warnings, source: ScriptSource::Draft })
}

/// The one re-ask: tells the model why its reply failed and asks for only the corrected JSON.
pub fn repair_messages(reply: &str, problem: &DraftProblem) -> DraftMessages {
    let quoted: String = reply.chars().take(REASK_QUOTE_MAX_CHARS).collect();
    let user = format!(
        "Your previous reply was not a valid {DRAFT_MARKER} shot list because: {problem}.\n\
Here is your previous reply:\n<<<\n{quoted}\n>>>\n\
Answer again with only the corrected JSON object, no prose and no code fences."
    );
    DraftMessages { system: system_prompt(), user }
}

/// Judges the first reply: finished when it reads (with repairs), otherwise the re-ask to send.
pub fn after_first_reply(reply: &str) -> DraftStep {
    match parse_draft_reply(reply) {
        Ok(imported) => DraftStep::Done(DraftOutcome::Ready { imported, reasked: false }),
        Err(problem) => DraftStep::Reask { messages: repair_messages(reply, &problem), problem },
    }
}

/// Judges the re-ask's reply: ready, or kept for editing together with the first reply.
pub fn after_repair_reply(first_reply: &str, reply: &str) -> DraftOutcome {
    match parse_draft_reply(reply) {
        Ok(imported) => DraftOutcome::Ready { imported, reasked: true },
        Err(problem) => DraftOutcome::NeedsEditing {
            raw_reply: reply.to_owned(),
            first_reply: Some(first_reply.to_owned()),
            problem,
        },
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
