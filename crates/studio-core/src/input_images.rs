//! Images the user brings from outside the library (a first frame, a portrait for a subject reference).
//! They are copied into the data folder before a job names them, so a job's parameters keep working — re-run,
//! remix, retry after a restart — even when the original file is moved or deleted.
//!
//! The copy is also the security boundary: a request names its input images by path, and
//! [`read_library_image`] — the only way a request reads one — accepts only regular files under the library's
//! `media/` and `inputs/` folders, of at most [`MAX_INPUT_BYTES`]. A request injected into the webview, a
//! hand-edited job row or a script therefore cannot send `/etc/passwd`, `~/.ssh/id_ed25519` or `/dev/zero`
//! to MiniMax (or to a custom host): the user picks an outside file, and [`import_input_image`] copies it in.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{CoreError, InputImageError, Result};
use crate::storage::MEDIA_DIR;

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

/// The library's own file for an input image named by `path` (relative to `root`, or absolute), checked
/// without reading it: after following links it must be a regular file under `root/media/` or `root/inputs/`,
/// of at most [`MAX_INPUT_BYTES`]. A path with `..` is refused outright, whatever it resolves to.
pub fn library_image_path(root: &Path, path: &str) -> std::result::Result<PathBuf, InputImageError> {
    library_file_path(root, path, MAX_INPUT_BYTES)
}

/// [`library_image_path`] with another size limit: the same folders and rules for any input file (reference
/// videos and audios of MiniMax-H3 are larger than images may be).
pub fn library_file_path(
    root: &Path,
    path: &str,
    limit: u64,
) -> std::result::Result<PathBuf, InputImageError> {
    let given = Path::new(path);
    let outside = || InputImageError::OutsideLibrary { path: path.to_owned() };
    if path.is_empty() || given.components().any(|c| c == Component::ParentDir) {
        return Err(outside());
    }
    let joined = if given.is_absolute() { given.to_path_buf() } else { root.join(given) };
    let folders = [MEDIA_DIR, INPUTS_DIR].map(|dir| root.join(dir));
    let canonical = match std::fs::canonicalize(&joined) {
        Ok(canonical) => canonical,
        // A missing file of the library is named as such; a missing file elsewhere is simply not ours.
        Err(source) if folders.iter().any(|dir| joined.starts_with(dir)) => {
            return Err(InputImageError::Io { path: path.to_owned(), source });
        }
        Err(_) => return Err(outside()),
    };
    // Compared after resolving both sides, so a link inside `media/` that points out is refused, and a
    // library reached through a linked folder is still recognised.
    let inside = folders
        .iter()
        .filter_map(|dir| std::fs::canonicalize(dir).ok())
        .any(|dir| canonical.starts_with(&dir) && canonical != dir);
    if !inside {
        return Err(outside());
    }
    let meta = std::fs::metadata(&canonical)
        .map_err(|source| InputImageError::Io { path: path.to_owned(), source })?;
    if !meta.is_file() {
        return Err(InputImageError::NotAFile { path: path.to_owned() });
    }
    if meta.len() > limit {
        return Err(InputImageError::TooLarge { path: path.to_owned(), bytes: meta.len(), limit });
    }
    Ok(canonical)
}

/// Reads an input image the library holds ([`library_image_path`] decides first) and returns its bytes.
/// At most [`MAX_INPUT_BYTES`] are read even if the file grows after the check.
pub fn read_library_image(root: &Path, path: &str) -> std::result::Result<Vec<u8>, InputImageError> {
    read_library_file(root, path, MAX_INPUT_BYTES)
}

/// [`read_library_image`] with another size limit ([`library_file_path`]).
pub fn read_library_file(
    root: &Path,
    path: &str,
    limit: u64,
) -> std::result::Result<Vec<u8>, InputImageError> {
    let file = library_file_path(root, path, limit)?;
    let io = |source| InputImageError::Io { path: path.to_owned(), source };
    let mut bytes = Vec::new();
    std::fs::File::open(&file).map_err(io)?.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(InputImageError::TooLarge { path: path.to_owned(), bytes: read, limit });
    }
    Ok(bytes)
}

/// The magic numbers of PNG, JPEG and WebP: a renamed text file fails here, not at MiniMax.
fn looks_like_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// The original name's ASCII letters and digits (at most 40), so the folder stays browsable by hand and the
/// media server's plain-name rule serves it.
pub(crate) fn readable_stem(source: &Path) -> String {
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

pub(crate) fn unused_name(dir: &Path, now_ms: i64, stem: &str, extension: &str) -> (String, PathBuf) {
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

    /// A library with `inputs/` and `media/`, and a secret file beside it.
    fn library() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("library");
        std::fs::create_dir_all(root.join(INPUTS_DIR)).unwrap();
        std::fs::create_dir_all(root.join(MEDIA_DIR)).unwrap();
        let secret = tmp.path().join("secret.png");
        std::fs::write(&secret, PNG).unwrap();
        (tmp, root, secret)
    }

    fn refused(root: &Path, path: &str) -> String {
        match read_library_image(root, path) {
            Ok(bytes) => panic!("{path} was read ({} bytes)", bytes.len()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn library_images_are_read_by_relative_or_absolute_path() {
        let (_tmp, root, _) = library();
        std::fs::write(root.join("inputs/1-a.png"), PNG).unwrap();
        std::fs::write(root.join("media/7-0.jpg"), PNG).unwrap();
        assert_eq!(read_library_image(&root, "inputs/1-a.png").unwrap(), PNG);
        assert_eq!(read_library_image(&root, "media/7-0.jpg").unwrap(), PNG);
        let absolute = root.join("inputs/1-a.png").display().to_string();
        assert_eq!(read_library_image(&root, &absolute).unwrap(), PNG);
    }

    #[test]
    fn paths_outside_the_library_are_refused_before_reading() {
        let (_tmp, root, secret) = library();
        for path in ["/etc/passwd", "/dev/zero", "../secret.png", "inputs/../../secret.png", "", "keys.json"]
        {
            let err = refused(&root, path);
            assert!(err.contains("outside the library"), "{path}: {err}");
        }
        let err = refused(&root, &secret.display().to_string());
        assert!(err.contains("outside the library"), "{err}");
        // The data folder itself holds the database and the key file: not an input folder.
        std::fs::write(root.join("keys.json"), b"{}").unwrap();
        assert!(refused(&root, "keys.json").contains("outside the library"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_library_is_refused() {
        let (_tmp, root, secret) = library();
        std::os::unix::fs::symlink(&secret, root.join("inputs/frame.png")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("media/9-0.png")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("media/9-1.png")).unwrap();
        for path in ["inputs/frame.png", "media/9-0.png", "media/9-1.png"] {
            let err = refused(&root, path);
            assert!(err.contains("outside the library"), "{path}: {err}");
        }
        // A link that stays inside the library is the library's file.
        std::fs::write(root.join("media/3-0.png"), PNG).unwrap();
        std::os::unix::fs::symlink(root.join("media/3-0.png"), root.join("inputs/again.png")).unwrap();
        assert_eq!(read_library_image(&root, "inputs/again.png").unwrap(), PNG);
    }

    #[test]
    fn huge_files_folders_and_missing_files_are_refused_with_the_reason() {
        let (_tmp, root, _) = library();
        // 2 GB, sparse: refused from its size, so nothing close to it is ever read.
        let big = std::fs::File::create(root.join("inputs/big.png")).unwrap();
        big.set_len(2 * 1024 * 1024 * 1024).unwrap();
        let err = refused(&root, "inputs/big.png");
        assert!(err.contains("2048.0 MB") && err.contains("at most 20 MB"), "{err}");
        let just_over = std::fs::File::create(root.join("inputs/over.png")).unwrap();
        just_over.set_len(MAX_INPUT_BYTES + 1).unwrap();
        assert!(refused(&root, "inputs/over.png").contains("at most 20 MB"));

        std::fs::create_dir_all(root.join("inputs/folder.png")).unwrap();
        assert!(refused(&root, "inputs/folder.png").contains("not a regular file"));
        let missing = refused(&root, "media/nope.png");
        assert!(missing.contains("cannot read media/nope.png"), "{missing}");
    }

    #[test]
    fn webp_and_jpeg_signatures_are_recognised() {
        assert!(looks_like_image(b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(looks_like_image(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!looks_like_image(b"RIFF\0\0\0\0WAVEfmt "));
    }
}
