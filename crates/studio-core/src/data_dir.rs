//! Where the app and the command line keep their data: one folder, shared by both.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// The environment variable that overrides the data folder (tests, portable installs, the CLI's `--home`).
pub const HOME_ENV: &str = "TOKENPLAN_HOME";

/// The folder name under the OS data directory when no override is given.
pub const APP_FOLDER: &str = "token-plan-studio";

/// The file in the home folder that points the library (database and media) at another folder.
pub const STORAGE_POINTER_FILE: &str = "storage-folder.json";

/// The keys' fallback file (when there is no keychain), in the home folder.
pub const KEYS_FILE: &str = "keys.json";

/// A file in the home folder that says demo mode was on when the app last ran, so it comes back on by
/// itself (until a Token Plan key is saved) instead of showing the welcome screen again.
pub const DEMO_MARKER_FILE: &str = "demo-mode";

/// The settings file's name in the home folder.
const SETTINGS_FILE: &str = "settings.json";

/// The window geometry file's name in the home folder.
const WINDOW_STATE_FILE: &str = "window-state.json";

/// The log folder's name in the home folder.
const LOG_DIR: &str = "logs";

/// Entries of the home folder that stay there when the library moves: they configure this machine's
/// app rather than hold generations.
const HOME_ONLY: &[&str] =
    &[STORAGE_POINTER_FILE, SETTINGS_FILE, WINDOW_STATE_FILE, LOG_DIR, KEYS_FILE, DEMO_MARKER_FILE];

/// Where the library lives when it is not in the home folder, and whether it still has to be moved there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoragePointer {
    folder: PathBuf,
    /// The folder the library is moved out of at the next start (set when the user asked to move it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    move_from: Option<PathBuf>,
}

/// The data folders: `home` (settings, keys, logs, window state — this machine's app) and `root` (the
/// library: database, media, thumbnails, trash, exports). They are the same folder unless the user chose a
/// storage folder in Settings, which the home folder then points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    home: PathBuf,
    root: PathBuf,
}

impl DataDir {
    /// Resolves the folder from `TOKENPLAN_HOME`, else `<OS data dir>/token-plan-studio`, and creates it.
    pub fn resolve() -> Result<Self> {
        let from_env = std::env::var_os(HOME_ENV).map(PathBuf::from);
        Self::resolve_from(from_env, dirs::data_dir())
    }

    /// The pure part of [`DataDir::resolve`]: an explicit override wins over the OS default; an empty
    /// override counts as none, so `TOKENPLAN_HOME=` in a script does not mean "the current folder".
    pub fn resolve_from(override_dir: Option<PathBuf>, os_data_dir: Option<PathBuf>) -> Result<Self> {
        let root = match override_dir.filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir,
            None => os_data_dir.ok_or(CoreError::NoDataDir)?.join(APP_FOLDER),
        };
        Self::at(root)
    }

    /// Uses `home` as the home folder, creating it (and its parents) when missing, and follows its storage
    /// pointer — finishing a library move the user asked for, so the app and the command line agree.
    pub fn at(home: impl Into<PathBuf>) -> Result<Self> {
        let home = create_absolute(home.into())?;
        let root = match read_pointer(&home) {
            None => home.clone(),
            Some(pointer) => {
                let root = create_absolute(pointer.folder.clone())?;
                if let Some(from) = pointer.move_from.as_deref() {
                    move_library(from, &root)?;
                    write_pointer(&home, &StoragePointer { folder: root.clone(), move_from: None })?;
                }
                root
            }
        };
        Ok(Self { home, root })
    }

    /// The library folder: database, media, thumbnails, trash and exports.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The home folder: settings, keys, logs and the storage pointer.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The settings file, written by the app's settings store.
    pub fn settings_file(&self) -> PathBuf {
        self.home.join(SETTINGS_FILE)
    }

    /// The remembered window size and position.
    pub fn window_state_file(&self) -> PathBuf {
        self.home.join(WINDOW_STATE_FILE)
    }

    /// Present while demo mode is on, so the next launch comes back to it ([`DEMO_MARKER_FILE`]).
    pub fn demo_marker_file(&self) -> PathBuf {
        self.home.join(DEMO_MARKER_FILE)
    }

    /// The folder of log files, in the home folder.
    pub fn log_dir(&self) -> PathBuf {
        self.home.join(LOG_DIR)
    }

    /// The storage folder waiting for the next start, when the user chose one that is not in use yet.
    pub fn pending_storage(&self) -> Option<PathBuf> {
        let next = read_pointer(&self.home).map_or_else(|| self.home.clone(), |p| p.folder);
        (next != self.root).then_some(next)
    }

    /// Points the library at `folder` from the next start (`None`: back to the home folder). With
    /// `move_library`, the current library is moved there at that start; without, the folder's own library
    /// (or a new, empty one) is used and the current one stays where it is.
    pub fn choose_storage(&self, folder: Option<&Path>, move_library: bool) -> Result<()> {
        let folder = match folder {
            Some(folder) => create_absolute(folder.to_path_buf())?,
            None => self.home.clone(),
        };
        // The folder in use again: only a pending change is dropped, nothing moves.
        let current = folder == self.root;
        if !current && folder.starts_with(&self.root) {
            return Err(CoreError::InvalidSetting {
                field: "storage folder",
                reason: "it is inside the current library; choose a folder outside it".into(),
            });
        }
        if !current {
            probe_writable(&folder)?;
        }
        let move_from = (move_library && !current).then(|| self.root.clone());
        if folder == self.home && move_from.is_none() {
            return remove_pointer(&self.home);
        }
        write_pointer(&self.home, &StoragePointer { folder, move_from })
    }
}

fn create_absolute(path: PathBuf) -> Result<PathBuf> {
    std::fs::create_dir_all(&path).map_err(|source| CoreError::DataDir { path: path.clone(), source })?;
    // An absolute path keeps the folder stable if the process later changes its working directory.
    std::path::absolute(&path).map_err(|source| CoreError::DataDir { path, source })
}

fn read_pointer(home: &Path) -> Option<StoragePointer> {
    let file = home.join(STORAGE_POINTER_FILE);
    let text = std::fs::read_to_string(&file).ok()?;
    match serde_json::from_str::<StoragePointer>(&text) {
        Ok(pointer) if pointer.folder.is_absolute() => Some(pointer),
        // A hand-edited, broken pointer must not hide the library in the home folder: it is reported, not used.
        Ok(_) | Err(_) => {
            tracing::warn!(file = %file.display(), "ignoring an unreadable storage folder pointer");
            None
        }
    }
}

fn write_pointer(home: &Path, pointer: &StoragePointer) -> Result<()> {
    let file = home.join(STORAGE_POINTER_FILE);
    let temp = home.join(format!("{STORAGE_POINTER_FILE}.tmp"));
    let text = serde_json::to_string_pretty(pointer).expect("a pointer serialises");
    std::fs::write(&temp, text)
        .and_then(|()| std::fs::rename(&temp, &file))
        .map_err(|source| CoreError::DataDir { path: file, source })
}

fn remove_pointer(home: &Path) -> Result<()> {
    let file = home.join(STORAGE_POINTER_FILE);
    match std::fs::remove_file(&file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CoreError::DataDir { path: file, source: e })
        }
        _ => Ok(()),
    }
}

fn probe_writable(folder: &Path) -> Result<()> {
    let probe = folder.join(".token-plan-studio-write-test");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| CoreError::DataDir { path: folder.to_path_buf(), source })
}

/// Moves every library entry of `from` into `to`: a rename where both are on one file system, else a copy
/// that removes the original only once the copy is complete. An entry `to` already has is left in `from`
/// (logged), so nothing is overwritten or lost.
fn move_library(from: &Path, to: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(CoreError::DataDir { path: from.to_path_buf(), source }),
    };
    for entry in entries {
        let entry = entry.map_err(|source| CoreError::DataDir { path: from.to_path_buf(), source })?;
        let name = entry.file_name();
        if HOME_ONLY.iter().any(|keep| name == *keep) {
            continue;
        }
        let target = to.join(&name);
        if target.exists() {
            tracing::warn!(entry = %entry.path().display(), "not moved: the storage folder already has it");
            continue;
        }
        move_entry(&entry.path(), &target)
            .map_err(|source| CoreError::DataDir { path: entry.path(), source })?;
    }
    tracing::info!(from = %from.display(), to = %to.display(), "library moved");
    Ok(())
}

fn move_entry(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {
            copy_tree(from, to)?;
            if from.is_dir() { std::fs::remove_dir_all(from) } else { std::fs::remove_file(from) }
        }
        Err(e) => Err(e),
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_wins_over_os_default() {
        let tmp = tempfile::tempdir().unwrap();
        let chosen = tmp.path().join("chosen");
        let dir = DataDir::resolve_from(Some(chosen.clone()), Some(tmp.path().join("os"))).unwrap();
        assert_eq!(dir.root(), chosen);
        assert!(chosen.is_dir(), "the folder is created");
        assert!(!tmp.path().join("os").exists(), "the OS default is left alone");
    }

    #[test]
    fn empty_override_falls_back_to_os_default() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve_from(Some(PathBuf::new()), Some(tmp.path().to_path_buf())).unwrap();
        assert_eq!(dir.root(), tmp.path().join(APP_FOLDER));
    }

    #[test]
    fn no_folder_at_all_is_a_clear_error() {
        let err = DataDir::resolve_from(None, None).unwrap_err();
        assert!(matches!(err, CoreError::NoDataDir));
        assert!(err.to_string().contains("TOKENPLAN_HOME"));
    }

    #[test]
    fn unusable_folder_names_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let err = DataDir::at(file.join("below")).unwrap_err();
        assert!(err.to_string().contains("a-file"), "{err}");
    }

    #[test]
    fn relative_override_becomes_absolute() {
        let tmp = tempfile::tempdir().unwrap();
        let relative = pathdiff(tmp.path());
        let dir = DataDir::at(&relative).unwrap();
        assert!(dir.root().is_absolute());
        assert!(dir.settings_file().starts_with(dir.root()));
        assert_eq!(dir.log_dir().file_name().unwrap(), "logs");
    }

    #[test]
    fn home_and_root_are_one_folder_without_a_pointer() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path()).unwrap();
        assert_eq!(dir.home(), dir.root());
        assert_eq!(dir.pending_storage(), None);
    }

    #[test]
    fn a_chosen_storage_folder_is_used_from_the_next_start_and_config_stays_home() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let elsewhere = tmp.path().join("disk").join("studio");
        let dir = DataDir::at(&home).unwrap();
        dir.choose_storage(Some(&elsewhere), false).unwrap();
        assert_eq!(dir.pending_storage(), Some(elsewhere.clone()), "pending until the next start");
        assert_eq!(dir.root(), home, "this run keeps its folder");

        let next = DataDir::at(&home).unwrap();
        assert_eq!(next.root(), elsewhere);
        assert_eq!(next.home(), home);
        assert_eq!(next.pending_storage(), None);
        assert!(next.settings_file().starts_with(&home) && next.log_dir().starts_with(&home));

        next.choose_storage(None, false).unwrap();
        assert!(!home.join(STORAGE_POINTER_FILE).exists(), "back home: no pointer left");
        assert_eq!(next.pending_storage(), Some(home.clone()), "home again from the next start");
        assert_eq!(DataDir::at(&home).unwrap().root(), home);
    }

    #[test]
    fn moving_the_library_takes_generations_and_leaves_configuration() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let target = tmp.path().join("target");
        let dir = DataDir::at(&home).unwrap();
        std::fs::create_dir_all(home.join("media")).unwrap();
        std::fs::write(home.join("media").join("1.mp3"), b"audio").unwrap();
        std::fs::write(home.join("library.sqlite3"), b"db").unwrap();
        std::fs::write(home.join("settings.json"), b"{}").unwrap();
        std::fs::write(home.join(KEYS_FILE), b"{}").unwrap();
        // Already in the target: kept there, and ours is not lost either.
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("notes.txt"), b"theirs").unwrap();
        std::fs::write(home.join("notes.txt"), b"ours").unwrap();

        dir.choose_storage(Some(&target), true).unwrap();
        let next = DataDir::at(&home).unwrap();
        assert_eq!(next.root(), target);
        assert_eq!(std::fs::read(target.join("media").join("1.mp3")).unwrap(), b"audio");
        assert_eq!(std::fs::read(target.join("library.sqlite3")).unwrap(), b"db");
        assert!(!home.join("media").exists() && !home.join("library.sqlite3").exists());
        assert!(home.join("settings.json").exists() && home.join(KEYS_FILE).exists());
        assert!(!target.join("settings.json").exists());
        assert_eq!(std::fs::read(target.join("notes.txt")).unwrap(), b"theirs");
        assert_eq!(std::fs::read(home.join("notes.txt")).unwrap(), b"ours");
        // The move happened once: a second start finds nothing left to move and keeps the folder.
        let pointer = std::fs::read_to_string(home.join(STORAGE_POINTER_FILE)).unwrap();
        assert!(!pointer.contains("moveFrom"), "{pointer}");
        assert_eq!(DataDir::at(&home).unwrap().root(), target);
    }

    #[test]
    fn a_folder_inside_the_media_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path()).unwrap();
        let err = dir.choose_storage(Some(&tmp.path().join("media").join("x")), true).unwrap_err();
        assert!(err.to_string().contains("inside the current library"), "{err}");
        assert_eq!(dir.pending_storage(), None);
    }

    #[test]
    fn a_broken_pointer_keeps_the_library_at_home() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(STORAGE_POINTER_FILE), b"{not json").unwrap();
        let dir = DataDir::at(tmp.path()).unwrap();
        assert_eq!(dir.root(), std::path::absolute(tmp.path()).unwrap());
    }

    /// `path` relative to the current directory, through `..` as needed.
    fn pathdiff(path: &Path) -> PathBuf {
        let cwd = std::env::current_dir().unwrap();
        let ups = cwd.components().count() - 1;
        let mut rel = PathBuf::new();
        for _ in 0..ups {
            rel.push("..");
        }
        rel.join(path.strip_prefix("/").unwrap())
    }
}
