//! Checking a clone sample before it is uploaded (minimax-api.md §3.4: mp3/m4a/wav, 10 s – 5 min,
//! ≤ 20 MB). The length and the loudness come from decoding the file, which the caller does with the
//! player's decoder (`studio_audio::analyze`): the domain does not decode audio. A refused sample costs
//! nothing and is never uploaded; the reason says what to change.

use minimax_api::files::{
    CLONE_SAMPLE_SECONDS, FilePurpose, MAX_AUDIO_UPLOAD_BYTES, check_upload, sniff_audio_format,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Below this RMS level (dBFS) a sample is taken as silence: room tone sits around −60, speech −30 to −15.
pub const SILENT_BELOW_DBFS: f32 = -50.0;
/// A sample whose voiced part is shorter than this share of it is mostly silence.
pub const MIN_VOICED_SHARE: f32 = 0.2;

/// What decoding a sample told.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecodedSample {
    /// Playing time.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// RMS level over the whole sample, dBFS.
    pub rms_dbfs: f32,
    /// Share of 50 ms windows louder than the silence threshold.
    pub voiced_share: f32,
}

/// A sample file as the checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleFacts {
    /// The file's name (its extension is the declared format).
    pub file_name: String,
    /// Bytes.
    pub size_bytes: u64,
    /// The first bytes (the container is sniffed from them).
    pub head: Vec<u8>,
    /// What decoding gave; `None` when it did not decode as audio.
    pub decoded: Option<DecodedSample>,
}

/// Why a sample is refused before upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(tag = "problem", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum SampleProblem {
    /// Not an mp3, m4a or wav file by its name.
    #[error("{file_name} is not an mp3, m4a or wav file")]
    Format {
        /// The file's name.
        file_name: String,
    },
    /// It does not start like audio, or does not decode.
    #[error("{file_name} is not audio that can be decoded")]
    NotAudio {
        /// The file's name.
        file_name: String,
    },
    /// Over 20 MB.
    #[error("the sample is {size_bytes} bytes; MiniMax takes at most 20 MB")]
    TooLarge {
        /// Its size.
        #[ts(type = "number")]
        size_bytes: u64,
    },
    /// Under 10 s.
    #[error("the sample is {duration_ms} ms long; it needs at least 10 seconds of speech")]
    TooShort {
        /// Its length.
        #[ts(type = "number")]
        duration_ms: u64,
    },
    /// Over 5 minutes.
    #[error("the sample is {duration_ms} ms long; MiniMax takes at most 5 minutes")]
    TooLong {
        /// Its length.
        #[ts(type = "number")]
        duration_ms: u64,
    },
    /// (Almost) nothing but silence.
    #[error(
        "the sample is almost silent (RMS {rms_dbfs:.0} dBFS, {voiced_percent}% voiced); record closer to the microphone"
    )]
    Silent {
        /// Its RMS level.
        rms_dbfs: f32,
        /// Percent of it louder than silence.
        voiced_percent: u32,
    },
}

/// A picked clone sample as the app shows it before upload: what it is and, when refused, why (the UI words
/// each problem in the user's language; nothing has been uploaded or spent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SampleCheck {
    /// The file as picked (the upload reads it again).
    pub path: String,
    /// Its name.
    pub file_name: String,
    /// Bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// What decoding told, when it decoded.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoded: Option<DecodedSample>,
    /// Why it is refused; absent: it may be uploaded.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<SampleProblem>,
}

impl SampleCheck {
    /// The check of the sample at `path` with these facts.
    pub fn of(path: &str, facts: &SampleFacts) -> SampleCheck {
        let problem = check_sample(facts).err();
        SampleCheck {
            path: path.to_owned(),
            file_name: facts.file_name.clone(),
            size_bytes: facts.size_bytes,
            decoded: facts.decoded,
            problem,
        }
    }
}

/// Checks a sample: format by name and first bytes, size, length, silence. `Ok` means it may be uploaded.
pub fn check_sample(facts: &SampleFacts) -> Result<DecodedSample, SampleProblem> {
    let file_name = facts.file_name.clone();
    let extension = facts.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !["mp3", "m4a", "wav"].contains(&extension.as_str()) {
        return Err(SampleProblem::Format { file_name });
    }
    if facts.size_bytes > MAX_AUDIO_UPLOAD_BYTES {
        return Err(SampleProblem::TooLarge { size_bytes: facts.size_bytes });
    }
    if sniff_audio_format(&facts.head).is_none()
        || check_upload(FilePurpose::VoiceClone, &facts.file_name, facts.size_bytes, Some(&facts.head))
            .is_err()
    {
        return Err(SampleProblem::NotAudio { file_name });
    }
    let Some(decoded) = facts.decoded else { return Err(SampleProblem::NotAudio { file_name }) };
    let (min_s, max_s) = CLONE_SAMPLE_SECONDS;
    if decoded.duration_ms < u64::from(min_s) * 1000 {
        return Err(SampleProblem::TooShort { duration_ms: decoded.duration_ms });
    }
    if decoded.duration_ms > u64::from(max_s) * 1000 {
        return Err(SampleProblem::TooLong { duration_ms: decoded.duration_ms });
    }
    if decoded.rms_dbfs < SILENT_BELOW_DBFS || decoded.voiced_share < MIN_VOICED_SHARE {
        return Err(SampleProblem::Silent {
            rms_dbfs: decoded.rms_dbfs,
            voiced_percent: (decoded.voiced_share * 100.0).round().clamp(0.0, 100.0) as u32,
        });
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str, size: u64, decoded: Option<DecodedSample>) -> SampleFacts {
        SampleFacts {
            file_name: name.into(),
            size_bytes: size,
            head: b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec(),
            decoded,
        }
    }

    fn speech(ms: u64) -> Option<DecodedSample> {
        Some(DecodedSample { duration_ms: ms, rms_dbfs: -22.0, voiced_share: 0.8 })
    }

    #[test]
    fn a_good_sample_passes_and_each_bad_one_says_why() {
        assert!(check_sample(&facts("me.wav", 1_000_000, speech(30_000))).is_ok());
        assert!(check_sample(&facts("me.WAV", 1_000_000, speech(10_000))).is_ok(), "10 s is enough");
        let cases = [
            (facts("me.flac", 10, speech(30_000)), "format"),
            (facts("me.wav", 21 * 1024 * 1024, speech(30_000)), "tooLarge"),
            (facts("me.wav", 1_000, None), "notAudio"),
            (
                SampleFacts { head: b"%PDF-1.7".to_vec(), ..facts("me.wav", 1_000, speech(30_000)) },
                "notAudio",
            ),
            (facts("me.wav", 1_000, speech(9_999)), "tooShort"),
            (facts("me.wav", 1_000, speech(300_001)), "tooLong"),
            (
                facts(
                    "me.wav",
                    1_000,
                    Some(DecodedSample { duration_ms: 30_000, rms_dbfs: -70.0, voiced_share: 0.0 }),
                ),
                "silent",
            ),
            (
                facts(
                    "me.wav",
                    1_000,
                    Some(DecodedSample { duration_ms: 60_000, rms_dbfs: -30.0, voiced_share: 0.1 }),
                ),
                "silent",
            ),
        ];
        for (facts, problem) in cases {
            let refused = check_sample(&facts).expect_err(problem);
            assert_eq!(serde_json::to_value(&refused).unwrap()["problem"], problem, "{refused}");
        }
    }
}
