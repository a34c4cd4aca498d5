//! Images the user brings from outside the library (a first frame, a portrait for a subject reference).
//! They are copied into the data folder before a job names them, so a job's parameters keep working — re-run,
//! remix, retry after a restart — even when the original file is moved or deleted.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// The folder, under the library folder, of imported input images.
pub const INPUTS_DIR: &str = "inputs";

/// The largest input image accepted: the video endpoints' documented limit (the image endpoint's subject
/// reference allows 10 MB; the request's own validation says so when it is sent).
pub const MAX_INPUT_BYTES: u64 = 20 * 1024 * 1024;

/// Extensions the API takes for input images (minimax-api.md: JPG/JPEG/PNG/WebP).
const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp"];

/// Copies `source` into `<root>/inputs/` under a readable, unused name and returns its path relative to
/// `root` (what an `ImageInput::File` stores). The file must be a PNG, JPEG or WebP image under 20 MB.
pub fn import_input_image(root: &Path, source: &Path, now_ms: i64) -> Result<String> {
    let invalid = |reason: String| CoreError::InvalidRequest(reason);
    let extension = source
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| EXTENSIONS.contains(&e.as_str()))
        .ok_or_else(|| invalid(format!("{} is not a PNG, JPEG or WebP image", source.display())))?;
    let meta =
        std::fs::metadata(source).map_err(|e| invalid(format!("cannot read {}: {e}", source.display())))?;
    if !meta.is_file() {
        return Err(invalid(format!("{} is not a file", source.display())));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(invalid(format!(
            "{} is {:.1} MB; input images must be under 20 MB",
            source.display(),
            meta.len() as f64 / 1_048_576.0
        )));
    }
    let bytes =
        std::fs::read(source).map_err(|e| invalid(format!("cannot read {}: {e}", source.display())))?;
    if !looks_like_image(&bytes) {
        return Err(invalid(format!("{} does not hold a PNG, JPEG or WebP image", source.display())));
    }
    let dir = root.join(INPUTS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::MediaFile { path: dir.clone(), source: e })?;
    let stem = readable_stem(source);
    let (name, target) = unused_name(&dir, now_ms, &stem, &extension);
    let temp = dir.join(format!(".{name}.part"));
    std::fs::write(&temp, &bytes)
        .and_then(|()| std::fs::rename(&temp, &target))
        .map_err(|e| CoreError::MediaFile { path: target.clone(), source: e })?;
    Ok(format!("{INPUTS_DIR}/{name}"))
}

/// The magic numbers of PNG, JPEG and WebP: a renamed text file fails here, not at MiniMax.
fn looks_like_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// The original name's ASCII letters and digits (at most 40), so the folder stays browsable by hand and the
/// media server's plain-name rule serves it.
fn readable_stem(source: &Path) -> String {
    let stem: String = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(40)
        .collect();
    let stem = stem.trim_matches('-').to_owned();
    if stem.is_empty() { "image".to_owned() } else { stem }
}

fn unused_name(dir: &Path, now_ms: i64, stem: &str, extension: &str) -> (String, PathBuf) {
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let name = format!("{now_ms}-{stem}{suffix}.{extension}");
        let path = dir.join(&name);
        if !path.exists() {
            return (name, path);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

    #[test]
    fn an_image_is_copied_under_the_library_and_named_readably() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("My portrait (1).PNG");
        std::fs::write(&source, PNG).unwrap();
        let root = tmp.path().join("library");
        let rel = import_input_image(&root, &source, 42).unwrap();
        assert_eq!(rel, "inputs/42-My-portrait--1.png");
        assert_eq!(std::fs::read(root.join(&rel)).unwrap(), PNG);
        // The same file again gets its own name; the first copy is untouched.
        let again = import_input_image(&root, &source, 42).unwrap();
        assert_eq!(again, "inputs/42-My-portrait--1-2.png");
        std::fs::remove_file(&source).unwrap();
        assert!(root.join(&rel).exists(), "the copy outlives the original");
    }

    #[test]
    fn what_is_not_an_image_is_refused_with_the_reason() {
        let tmp = tempfile::tempdir().unwrap();
        let text = tmp.path().join("notes.txt");
        std::fs::write(&text, b"hello").unwrap();
        let err = import_input_image(tmp.path(), &text, 1).unwrap_err().to_string();
        assert!(err.contains("not a PNG, JPEG or WebP"), "{err}");

        let renamed = tmp.path().join("fake.jpg");
        std::fs::write(&renamed, b"hello").unwrap();
        let err = import_input_image(tmp.path(), &renamed, 1).unwrap_err().to_string();
        assert!(err.contains("does not hold"), "{err}");

        let missing = import_input_image(tmp.path(), &tmp.path().join("gone.png"), 1).unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
        assert!(!tmp.path().join(INPUTS_DIR).exists(), "nothing written for a refused file");
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let big = tmp.path().join("big.webp");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_INPUT_BYTES + 1).unwrap();
        let err = import_input_image(tmp.path(), &big, 1).unwrap_err().to_string();
        assert!(err.contains("under 20 MB"), "{err}");
    }

    #[test]
    fn webp_and_jpeg_signatures_are_recognised() {
        assert!(looks_like_image(b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(looks_like_image(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!looks_like_image(b"RIFF\0\0\0\0WAVEfmt "));
    }
}
