//! Where the app and the command line keep their data: one folder, shared by both.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// The environment variable that overrides the data folder (tests, portable installs, the CLI's `--home`).
pub const HOME_ENV: &str = "TOKENPLAN_HOME";

/// The folder name under the OS data directory when no override is given.
pub const APP_FOLDER: &str = "token-plan-studio";

/// The data folder and the well-known paths inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
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

    /// Uses `root` as the data folder, creating it (and its parents) when missing.
    pub fn at(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(|source| CoreError::DataDir { path: root.clone(), source })?;
        // An absolute path keeps the folder stable if the process later changes its working directory.
        let root = std::path::absolute(&root).map_err(|source| CoreError::DataDir { path: root, source })?;
        Ok(Self { root })
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings file, written by the app's settings store.
    pub fn settings_file(&self) -> PathBuf {
        self.root.join("settings.json")
    }

    /// The remembered window size and position.
    pub fn window_state_file(&self) -> PathBuf {
        self.root.join("window-state.json")
    }

    /// The folder of log files.
    pub fn log_dir(&self) -> PathBuf {
        self.root.join("logs")
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
