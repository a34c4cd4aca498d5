//! Films in Token Plan Studio, free of Tauri and of the network.
//!
//! A film starts as a shot list ([`script`]): read from a `tokenplan-film/1` JSON file or a Fountain
//! screenplay. Everything here is a pure function of its inputs, so it tests without a window, a database
//! or a clock.

pub mod demo_film;
pub mod draft;
pub mod error;
pub mod schedule;
pub mod script;

pub use error::{FilmError, Result};
pub use script::{ImportedScript, Script};
