//! The domain of Token Plan Studio, free of Tauri so it compiles and tests fast.
//!
//! It holds what the app shell and the command line share: where the data folder is, the user's settings,
//! the Token Plan tiers, the error shape the UI receives, logging, the library (SQLite + media files,
//! [`storage`]), the request-cost table ([`pricing`]), the quota window arithmetic ([`quota`]), the job
//! runner ([`runner`]) and the clients it calls with ([`clients`]), the saved API keys ([`keys`],
//! [`key_check`]) and the voice list ([`voices`]). Demo mode's built-in simulator is the app shell's
//! (the domain never depends on the simulator); the loopback server the webview plays media from is the
//! `studio-media` crate.

pub mod clients;
pub mod data_dir;
pub mod desktop;
pub mod error;
pub mod events;
pub mod input_images;
pub mod ipc;
pub mod key_check;
pub mod keys;
pub mod logging;
pub mod modality;
pub mod model_catalog;
pub mod plan;
pub mod pricing;
pub mod profile;
pub mod quota;
pub mod quota_view;
pub mod reference_media;
pub mod request;
pub mod runner;
pub mod settings;
pub mod storage;
pub mod voices;

pub use data_dir::DataDir;
pub use error::{CoreError, Result};
pub use settings::Settings;
pub use storage::Library;
