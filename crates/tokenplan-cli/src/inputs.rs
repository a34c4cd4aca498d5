//! Input images named on the command line (`--first-frame`, `--last-frame`, `--subject-reference`) are copied
//! into the library's `inputs/` folder before the job is made, as the app does: a request only ever reads
//! images the library holds (studio-core's `input_images`), and the job keeps working when the original moves.

use std::path::PathBuf;

use studio_core::input_images::import_input_image;
use studio_core::runner::{Clock, SystemClock};

use crate::error::Result;
use crate::session::Session;

/// Replaces each given path by its copy in the library (an absolute path under `inputs/`).
pub fn import_into_library(session: &Session, paths: &mut [&mut Option<PathBuf>]) -> Result<()> {
    let root = session.data_dir.root();
    for path in paths.iter_mut() {
        if let Some(source) = path.as_ref() {
            let rel = import_input_image(root, source, SystemClock.now_ms())?;
            **path = Some(root.join(rel));
        }
    }
    Ok(())
}
