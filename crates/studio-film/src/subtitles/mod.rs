//! Subtitles from the voiced lines: cues timed by MiniMax's sentence data when the request asked for it
//! (`subtitle_file`, `minimax-api.md` §3.1), otherwise by sharing the decoded audio's length between the
//! line's sentences by how long each takes to say; placed at the line's place on the timeline, broken into
//! lines that fit the screen, with text the user may retype; written as SRT and WebVTT.

mod format;
#[cfg(test)]
mod tests;
pub mod text;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use format::{parse_srt, parse_vtt, to_srt, to_vtt};
pub use text::{split_sentences, wrap};

use crate::error::{FilmError, Result};
use crate::timeline::{Ms, TimedLine, Timeline};

/// One sentence of MiniMax's `subtitle_file`: times in ms from the start of the audio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubtitleTiming {
    /// The sentence.
    pub text: String,
    /// Start, ms from the audio's start (MiniMax may send a fraction).
    pub time_begin: f64,
    /// End, ms from the audio's start.
    pub time_end: f64,
}

/// Reads the JSON array MiniMax's `subtitle_file` URL serves.
pub fn parse_minimax_subtitles(json: &str) -> Result<Vec<SubtitleTiming>> {
    serde_json::from_str(json)
        .map_err(|source| FilmError::Decode { what: "MiniMax subtitle file".to_owned(), source })
}

/// A subtitle cue on the film's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Cue {
    /// Start.
    #[ts(type = "number")]
    pub start_ms: Ms,
    /// End.
    #[ts(type = "number")]
    pub end_ms: Ms,
    /// Text; at most [`CueLayout::lines_per_cue`] lines separated by `\n`.
    pub text: String,
    /// The line it comes from (`None` for cues read from a file without identifiers).
    #[ts(type = "number | null")]
    pub line_id: Option<i64>,
    /// Its position among its line's cues.
    pub index: u32,
}

/// Text typed by the user over a generated cue; it keeps the cue's timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CueOverride {
    /// The line.
    #[ts(type = "number")]
    pub line_id: i64,
    /// The cue's position among the line's cues.
    pub cue_index: u32,
    /// The text to show (may hold `\n`).
    pub text: String,
}

/// How wide a cue may be: ~42 Latin or ~16 CJK characters a line (CJK counted wide in mixed text), two
/// lines a cue (the common broadcast and streaming guidelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CueLayout {
    /// Latin characters on a full line.
    pub latin_per_line: u32,
    /// CJK characters on a full line.
    pub cjk_per_line: u32,
    /// Lines in one cue; more text becomes more cues.
    pub lines_per_cue: u32,
}

impl Default for CueLayout {
    fn default() -> Self {
        CueLayout { latin_per_line: 42, cjk_per_line: 16, lines_per_cue: 2 }
    }
}

impl CueLayout {
    /// A character's width in units where a line holds [`CueLayout::line_budget`]: a Latin character is
    /// `cjk_per_line` wide and a CJK one `latin_per_line`, so either script alone fills a line exactly.
    pub fn char_width(&self, c: char) -> u32 {
        if text::is_wide(c) { self.latin_per_line.max(1) } else { self.cjk_per_line.max(1) }
    }

    /// The width of a line in [`CueLayout::char_width`] units.
    pub fn line_budget(&self) -> u32 {
        self.latin_per_line.max(1) * self.cjk_per_line.max(1)
    }
}

/// A sentence of a line: text and times relative to the line's start.
struct Sentence {
    text: String,
    begin: Ms,
    end: Ms,
}

/// The sentences of a line: MiniMax's when present, else estimated from the audio's length.
fn sentences(line: &TimedLine) -> Vec<Sentence> {
    let length = line.end_ms - line.start_ms;
    if let Some(timings) = line.subtitles.as_ref().filter(|t| !t.is_empty()) {
        return timings
            .iter()
            .filter(|t| !t.text.trim().is_empty())
            .map(|t| {
                let begin = (t.time_begin.max(0.0).round() as Ms).min(length);
                let end = (t.time_end.max(0.0).round() as Ms).clamp(begin, length);
                Sentence { text: t.text.trim().to_owned(), begin, end }
            })
            .collect();
    }
    let parts = split_sentences(&line.text);
    let weights: Vec<u64> = parts.iter().map(|s| text::speaking_weight(s)).collect();
    parts
        .into_iter()
        .zip(text::share(length, &weights))
        .map(|(text, (begin, end))| Sentence { text, begin, end })
        .collect()
}

/// The cues of one line (relative times are made absolute), before overrides.
pub fn line_cues(line: &TimedLine, layout: &CueLayout) -> Vec<Cue> {
    let per_cue = layout.lines_per_cue.max(1) as usize;
    let mut cues = Vec::new();
    for sentence in sentences(line) {
        let rows = wrap(&sentence.text, layout);
        let groups: Vec<String> = rows.chunks(per_cue).map(|c| c.join("\n")).collect();
        let weights: Vec<u64> = groups.iter().map(|g| text::speaking_weight(g)).collect();
        for (text, (begin, end)) in
            groups.into_iter().zip(text::share(sentence.end - sentence.begin, &weights))
        {
            cues.push(Cue {
                start_ms: line.start_ms + sentence.begin + begin,
                end_ms: line.start_ms + sentence.begin + end,
                text,
                line_id: Some(line.id),
                index: cues.len() as u32,
            });
        }
    }
    cues
}

/// Every cue of the film in time order, with the user's text where they retyped it, cut at the film's end.
pub fn cues(timeline: &Timeline, layout: &CueLayout) -> Vec<Cue> {
    let mut all: Vec<Cue> = timeline
        .lines
        .iter()
        .flat_map(|line| line_cues(line, layout))
        .filter(|cue| cue.start_ms < timeline.duration_ms && cue.start_ms < cue.end_ms)
        .map(|mut cue| {
            cue.end_ms = cue.end_ms.min(timeline.duration_ms);
            if let Some(o) = timeline
                .cue_overrides
                .iter()
                .find(|o| Some(o.line_id) == cue.line_id && o.cue_index == cue.index)
            {
                cue.text = o.text.clone();
            }
            cue
        })
        .collect();
    all.sort_by_key(|c| (c.start_ms, c.line_id, c.index));
    all
}
