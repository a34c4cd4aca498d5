//! Films as projects in the library: the model ([`model`]), reading ([`store`]), making and editing with
//! undo ([`edit`]). Every take is an ordinary job of studio-core's runner and Library, linked to its slot.

pub mod assemble;
pub mod budget;
pub mod edit;
mod edit_apply;
pub mod ipc;
pub mod job_words;
pub mod model;
pub mod music_import;
pub mod service;
pub mod stages;
pub mod store;
mod undo;

pub use edit::{FilmEdit, Speaker, apply_edit, create_film, create_from_script, delete_film, undo_edit};
pub use job_words::{BlockedJob, CheaperChange, JobLabel, JobProblem};
pub use model::{
    CastMember, ClipStart, Film, FilmSettings, FilmSummary, Line, MusicCue, Shot, Slot, Take, Voice,
};
pub use store::{list_films, load_film};

#[cfg(test)]
mod sound_tests;
#[cfg(test)]
mod tests;
