//! Errors of the film crate.

use crate::draft::DraftProblem;
use crate::script::ScriptProblem;

/// Everything that can go wrong inside `studio-film`.
#[derive(Debug, thiserror::Error)]
pub enum FilmError {
    /// A JSON shot list is not well-formed JSON (a missing comma, an unclosed brace…).
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line of the fault.
        line: u32,
        /// 1-based column (in characters) of the fault.
        column: u32,
        /// What the parser found and what it expected.
        message: String,
    },
    /// A Fountain screenplay cannot be read (an unclosed boneyard, an empty file…).
    #[error("malformed Fountain at line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
    MalformedFountain {
        /// 1-based line of the fault.
        line: u32,
        /// 1-based column, when known.
        column: Option<u32>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The file is not text: it is not valid UTF-8.
    #[error("the file is not UTF-8 text (invalid bytes at line {line}, column {column})")]
    NotText {
        /// 1-based line of the first invalid byte.
        line: u32,
        /// 1-based column of the first invalid byte.
        column: u32,
    },
    /// The shot list was read but breaks the rules of the format (unknown speaker, duration out of range…).
    /// Every problem found is listed, first one in the message.
    #[error("{}", describe_problems(problems))]
    InvalidScript {
        /// Each rule broken, in document order, with its position when known.
        problems: Vec<ScriptProblem>,
    },
    /// An M2.7 draft reply could not be turned into a valid shot list.
    #[error("the drafted shot list is not usable: {0}")]
    Draft(DraftProblem),
    /// A schedule was asked for with inputs that cannot describe a plan (a window of zero length…).
    #[error("cannot schedule: {0}")]
    ScheduleInput(String),
}

impl From<DraftProblem> for FilmError {
    fn from(problem: DraftProblem) -> Self {
        FilmError::Draft(problem)
    }
}

/// "the first problem (and 3 more)": the whole list stays in the value for the UI.
fn describe_problems(problems: &[ScriptProblem]) -> String {
    match problems {
        [] => "invalid shot list".to_owned(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, FilmError>;
