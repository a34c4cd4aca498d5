//! Reads a Fountain screenplay (fountain.io, the plain-text screenplay standard) into a shot list.
//!
//! The mapping (also in the crate README):
//! * title page `Title:` → the title (`Logline:` → the logline); other keys are ignored;
//! * each scene heading (`INT.`, `EXT.`, `EST.`, `INT./EXT.`, `INT/EXT`, `I/E`, forced `.`) → a shot whose
//!   description starts with the place and time ("Kitchen (interior, night).");
//! * action paragraphs (also forced `!`) → the shot's description, continued in new shots of the same
//!   scene past the 2000-character prompt limit;
//! * a character cue (upper case, or forced `@`) with its dialogue → a line; the cue without its
//!   extensions, title-cased, is the speaker and joins the cast (first appearance order); `NARRATOR` is
//!   narration; a parenthetical naming an emotion sets it (a new emotion mid-speech starts a new line);
//! * speakers without V.O./O.S. and cast names written in the action are the shot's characters in frame;
//! * lyrics `~` in dialogue are sung text; outside dialogue they become the music cue's lyrics;
//! * notes, boneyard, sections, synopses, transitions, page breaks and centered text (title cards, with a
//!   warning) are not part of the film; emphasis markers are removed. Dialogue or action before any heading goes into an implicit first shot.

mod assemble;
mod elements;
mod source;

use super::{ImportWarning, ImportedScript, ScriptProblem, ScriptSource, normalise_names, validate};
use crate::error::{FilmError, Result};
use crate::script::json_position::{PathSegment, parse_path};

/// Reads a Fountain screenplay. Everything the film cannot use is dropped quietly (notes, transitions);
/// anything changed on the way (dual dialogue, long action split, whispering) is reported as a warning.
/// Fails only on text that cannot be a screenplay (an unclosed boneyard, nothing in it) or a script that
/// breaks the format's rules (e.g. more than 1000 shots), with the line.
pub fn import_fountain(text: &str) -> Result<ImportedScript> {
    let mut warnings: Vec<ImportWarning> = Vec::new();
    let lines = source::clean_lines(text, &mut warnings)?;
    let (title_page, body_start) = elements::title_page(&lines);
    let body = elements::elements(lines.get(body_start..).unwrap_or_default());
    let (mut script, positions) = assemble::assemble(title_page, body, &mut warnings);
    if script.shots.is_empty() {
        return Err(FilmError::MalformedFountain {
            line: lines.last().map_or(1, |l| l.number),
            column: None,
            message: "no scene heading, action or dialogue was found: a screenplay needs at least one (e.g. \
                      `EXT. HARBOUR - DAY` followed by a paragraph of action)"
                .to_owned(),
        });
    }
    normalise_names(&mut script);
    let problems = validate(&script);
    if !problems.is_empty() {
        let problems = problems.into_iter().map(|p| place(p, &positions)).collect();
        return Err(FilmError::InvalidScript { problems });
    }
    warnings.sort_by_key(|w| w.line.unwrap_or(0));
    Ok(ImportedScript { script, warnings, source: ScriptSource::Fountain })
}

/// Gives a problem the line of the shot, line or title it is about.
fn place(mut problem: ScriptProblem, positions: &assemble::Positions) -> ScriptProblem {
    let segments = parse_path(&problem.path);
    problem.line = match segments.as_slice() {
        [PathSegment::Key(k), ..] if k == "title" => positions.title,
        [
            PathSegment::Key(s),
            PathSegment::Index(shot),
            PathSegment::Key(l),
            PathSegment::Index(line),
            ..,
        ] if s == "shots" && l == "lines" => {
            positions.lines.get(*shot).and_then(|lines| lines.get(*line)).copied()
        }
        [PathSegment::Key(s), PathSegment::Index(shot), ..] if s == "shots" => {
            positions.shots.get(*shot).copied()
        }
        _ => None,
    };
    problem
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
