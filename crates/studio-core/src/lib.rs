//! The domain of Token Plan Studio, free of Tauri so it compiles and tests fast.
//!
//! It holds what the app shell and the command line share: where the data folder is, the user's settings,
//! the Token Plan tiers, the error shape the UI receives, logging, the library (SQLite + media files,
//! [`storage`]), the request-cost table ([`pricing`]) and the quota window arithmetic ([`quota`]).

pub mod data_dir;
pub mod error;
pub mod ipc;
pub mod logging;
pub mod modality;
pub mod plan;
pub mod pricing;
pub mod quota;
pub mod runner;
pub mod settings;
pub mod storage;

pub use data_dir::DataDir;
pub use error::{CoreError, Result};
pub use settings::Settings;
pub use storage::Library;
