//! Finding ffmpeg and ffprobe (a configured path, else PATH) and checking their version.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{FilmError, Result};

/// The oldest ffmpeg we accept: 4.4 has every filter we use (`amix normalize`, `adelay all`, zoompan) and
/// is what Ubuntu 22.04 ships; Debian 12 has 5.1.
pub const MIN_VERSION: (u32, u32) = (4, 4);

/// The version an ffmpeg tool reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FfmpegVersion {
    /// The version word as printed ("5.1.9-0+deb12u1", "n7.0", "N-113000-g1234").
    pub text: String,
    /// Major and minor release, or `None` for a development build (accepted: newer than any release).
    pub release: Option<(u32, u32)>,
}

impl FfmpegVersion {
    /// Reads the first line of `ffmpeg -version` (or `ffprobe -version`).
    pub fn parse(output: &str, tool: &str) -> Option<FfmpegVersion> {
        let first = output.lines().next()?;
        let text = first.strip_prefix(&format!("{tool} version "))?.split_whitespace().next()?.to_owned();
        let numeric = text.strip_prefix('n').unwrap_or(&text);
        let mut parts = numeric.split(|c: char| !c.is_ascii_digit());
        let major = parts.next().and_then(|p| p.parse().ok());
        let minor = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        // Release builds start with a digit; git builds ("N-…", "git-…") do not.
        let release =
            if numeric.starts_with(|c: char| c.is_ascii_digit()) { major.map(|m| (m, minor)) } else { None };
        Some(FfmpegVersion { text, release })
    }

    /// Whether this version is recent enough.
    pub fn is_supported(&self) -> bool {
        self.release.is_none_or(|release| release >= MIN_VERSION)
    }
}

/// ffmpeg and ffprobe, found and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ffmpeg {
    pub(crate) ffmpeg: PathBuf,
    pub(crate) ffprobe: PathBuf,
    version: FfmpegVersion,
}

/// The executable's file name on this OS.
fn exe_name(tool: &str) -> OsString {
    let mut name = OsString::from(tool);
    name.push(std::env::consts::EXE_SUFFIX);
    name
}

/// Looks for `tool` in every folder of PATH.
fn on_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(exe_name(tool))).find(|candidate| candidate.is_file())
}

impl Ffmpeg {
    /// Finds ffmpeg and ffprobe: at `configured` (the ffmpeg program, or the folder holding it; ffprobe is
    /// looked for beside it) when given, else on PATH; then checks that both run and are at least
    /// [`MIN_VERSION`]. A missing or old tool is an error that says how to install one.
    pub async fn locate(configured: Option<&Path>) -> Result<Ffmpeg> {
        let (ffmpeg, ffprobe) = match configured {
            Some(path) => {
                let ffmpeg = if path.is_dir() { path.join(exe_name("ffmpeg")) } else { path.to_path_buf() };
                if !ffmpeg.is_file() {
                    return Err(FilmError::FfmpegMissing {
                        tool: "ffmpeg",
                        searched: format!("the path set in Settings: {}", ffmpeg.display()),
                    });
                }
                let ffprobe = ffmpeg.with_file_name(exe_name("ffprobe"));
                if !ffprobe.is_file() {
                    return Err(FilmError::FfmpegMissing {
                        tool: "ffprobe",
                        searched: format!("beside ffmpeg: {}", ffprobe.display()),
                    });
                }
                (ffmpeg, ffprobe)
            }
            None => {
                let missing = |tool| FilmError::FfmpegMissing { tool, searched: "on PATH".to_owned() };
                (
                    on_path("ffmpeg").ok_or_else(|| missing("ffmpeg"))?,
                    on_path("ffprobe").ok_or_else(|| missing("ffprobe"))?,
                )
            }
        };
        let (version, probe_version) =
            tokio::join!(version_of(&ffmpeg, "ffmpeg"), version_of(&ffprobe, "ffprobe"));
        let (version, probe_version) = (version?, probe_version?);
        for (tool, found) in [("ffmpeg", &version), ("ffprobe", &probe_version)] {
            if !found.is_supported() {
                return Err(FilmError::FfmpegTooOld { tool, found: found.text.clone() });
            }
        }
        Ok(Ffmpeg { ffmpeg, ffprobe, version })
    }

    /// The ffmpeg program.
    pub fn ffmpeg_path(&self) -> &Path {
        &self.ffmpeg
    }

    /// The ffprobe program.
    pub fn ffprobe_path(&self) -> &Path {
        &self.ffprobe
    }

    /// ffmpeg's version.
    pub fn version(&self) -> &FfmpegVersion {
        &self.version
    }
}

/// Runs `program -version` and reads the version.
async fn version_of(program: &Path, tool: &'static str) -> Result<FfmpegVersion> {
    let not_ffmpeg = |detail: String| FilmError::NotFfmpeg { tool, path: program.to_path_buf(), detail };
    let output = tokio::process::Command::new(program)
        .arg("-version")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| not_ffmpeg(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match FfmpegVersion::parse(&stdout, tool) {
        Some(version) if output.status.success() => Ok(version),
        _ => Err(not_ffmpeg(format!(
            "`-version` printed {:?}",
            stdout.lines().next().unwrap_or_default().chars().take(120).collect::<String>()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_table() {
        let cases = [
            ("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026", Some((5, 1)), true),
            ("ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright", Some((4, 4)), true),
            ("ffmpeg version 4.3.1 Copyright", Some((4, 3)), false),
            ("ffmpeg version n7.0.2 Copyright", Some((7, 0)), true),
            ("ffmpeg version 7.1-full_build-www.gyan.dev Copyright", Some((7, 1)), true),
            ("ffmpeg version N-113035-g6b4e1a9 Copyright", None, true),
            ("ffmpeg version 3.4.8 Copyright", Some((3, 4)), false),
        ];
        for (line, release, supported) in cases {
            let version = FfmpegVersion::parse(line, "ffmpeg").expect(line);
            assert_eq!(version.release, release, "{line}");
            assert_eq!(version.is_supported(), supported, "{line}");
        }
        assert!(FfmpegVersion::parse("ffprobe version 6.0 Copyright", "ffmpeg").is_none());
        assert!(FfmpegVersion::parse("", "ffmpeg").is_none());
    }
}
