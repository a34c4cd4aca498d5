//! Music: `POST /v1/music_generation` (lyrics / instrumental / cover rules per model, hex or url output,
//! `music_*` extra info, SSE when streaming) and `POST /v1/lyrics_generation`.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::json;

use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::ids::{fnv1a, request_trace_id};
use crate::media::synthesize;
use crate::quota;
use crate::routes::paced_sse;
use crate::routes::speech::{audio_output_field, audio_sse_events};
use crate::state::{KeyKind, SimState};
use crate::validate::{Fields, parse_body};

const MODELS: &[&str] = &[
    "music-1.5",
    "music-2.0",
    "music-2.5",
    "music-2.5+",
    "music-2.6",
    "music-2.6-free",
    "music-cover",
    "music-cover-free",
];

/// Refuses a key without music access. The answer for such callers is undocumented since the music API
/// closed to new users (minimax-api-2026.md §5); `2061 your current token plan not support model` is the
/// one refusal recorded on a plan key for a music model (openclaw#64870) and the code the official CLI maps
/// to "not available on your current Token Plan". The other candidate, `2056 … (0/0 used)`, reads as a
/// quota to wait for, which would make the app wait for a reset that never helps. Sent with HTTP 200 and
/// `base_resp`, like every native endpoint; the same answer for both keys keeps one path in the app.
fn check_music_access(state: &SimState, what: &str) -> Result<(), ApiError> {
    if state.config().music_access {
        return Ok(());
    }
    Err(ApiError::Base {
        code: 2061,
        message: format!("your current token plan not support model, {what}"),
        kind: crate::envelope::OutcomeKind::Error,
    })
}

/// Seconds of music for a song: ~3 s per sung line plus an 8 s intro, 10 s – 240 s; 30 s instrumental.
fn song_seconds(lyrics: Option<&str>) -> f64 {
    let lines = lyrics
        .map(|l| {
            l.lines().filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('[')).count()
        })
        .unwrap_or(0);
    if lines == 0 { 30.0 } else { (8.0 + 3.0 * lines as f64).clamp(10.0, 240.0) }
}

/// Checks the prompt/lyrics/instrumental/cover rules of `model`; returns the lyrics that will be sung.
fn validate_text<'a>(f: &Fields<'a>, model: &str) -> Result<Option<&'a str>, ApiError> {
    let prompt = f.opt_str("prompt")?.filter(|p| !p.is_empty());
    let lyrics = f.opt_str("lyrics")?.filter(|l| !l.is_empty());
    let instrumental = f.opt_bool("is_instrumental")?.unwrap_or(false);
    let optimizer = f.opt_bool("lyrics_optimizer")?.unwrap_or(false);
    if instrumental && !matches!(model, "music-2.6" | "music-2.6-free" | "music-2.5+") {
        return Err(ApiError::invalid("is_instrumental", format!("not supported by {model}")));
    }
    if optimizer && !matches!(model, "music-2.6" | "music-2.6-free" | "music-2.5" | "music-2.5+") {
        return Err(ApiError::invalid("lyrics_optimizer", format!("not supported by {model}")));
    }
    match model {
        "music-cover" | "music-cover-free" => {
            let feature = f.opt_str("cover_feature_id")?.filter(|id| !id.is_empty());
            let sources = usize::from(f.has("audio_url")) + usize::from(f.has("audio_base64"));
            if feature.is_none() && sources != 1 {
                return Err(ApiError::invalid(
                    "audio_url",
                    "exactly one of audio_url or audio_base64 is required",
                ));
            }
            f.check_len("prompt", prompt.unwrap_or(""), 10, 300)?;
            match lyrics {
                Some(l) => f.check_len("lyrics", l, 10, 1_000)?,
                None if feature.is_some() => {
                    return Err(ApiError::invalid("lyrics", "is required with cover_feature_id"));
                }
                None => {}
            }
        }
        "music-1.5" | "music-2.0" => {
            f.check_len("prompt", prompt.unwrap_or(""), 10, 300)?;
            f.check_len("lyrics", lyrics.unwrap_or(""), 10, 600)?;
        }
        _ => {
            if instrumental {
                f.check_len("prompt", prompt.unwrap_or(""), 1, 2_000)?;
            } else {
                if let Some(p) = prompt {
                    f.check_len("prompt", p, 0, 2_000)?;
                }
                match lyrics {
                    Some(l) => f.check_len("lyrics", l, 1, 3_500)?,
                    None if optimizer => {}
                    None => {
                        return Err(ApiError::invalid(
                            "lyrics",
                            "is required unless is_instrumental or lyrics_optimizer",
                        ));
                    }
                }
            }
        }
    }
    Ok(if instrumental { None } else { lyrics.or(Some("[Verse]\nla la la\nla la la\n[Chorus]\noh oh oh")) })
}

/// `POST /v1/music_generation`.
pub async fn generate(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let model = f.req_enum("model", MODELS)?;
    check_music_access(&state, model)?;
    let sung = validate_text(&f, model)?;
    let stream = f.opt_bool("stream")?.unwrap_or(false);
    let output_format = f.opt_enum("output_format", &["hex", "url"])?.unwrap_or("hex");
    if stream && output_format == "url" {
        return Err(ApiError::invalid("output_format", "only hex is supported when streaming"));
    }
    if f.opt_bool("aigc_watermark")? == Some(true) && stream {
        return Err(ApiError::invalid("aigc_watermark", "only for non-streaming requests"));
    }
    if let Some(seed) = f.opt_i64("seed")?
        && !(0..=1_000_000).contains(&seed)
    {
        return Err(ApiError::invalid("seed", format!("{seed} is outside [0, 1000000]")));
    }
    let (format, sample_rate) = match f.opt_object("audio_setting")? {
        Some(audio) => {
            let rate =
                audio.opt_int_enum("sample_rate", &[16_000, 24_000, 32_000, 44_100])?.unwrap_or(44_100);
            audio.opt_int_enum("bitrate", &[32_000, 64_000, 128_000, 256_000])?;
            (audio.opt_enum("format", &["mp3", "wav", "pcm"])?.unwrap_or("mp3"), rate as u32)
        }
        None => ("mp3", 44_100),
    };
    state.charge(key, quota::music_cost(model), false)?;
    let config = state.config();
    let Some((audio, info)) = synthesize(format, song_seconds(sung), sample_rate, 2) else {
        return Err(ApiError::other(1000, "unknown error: unsupported format"));
    };
    let extra = json!({
        "music_duration": info.length_ms, "music_sample_rate": info.sample_rate, "music_channel": info.channels,
        "bitrate": info.bitrate, "music_size": info.size,
    });
    let trace = request_trace_id();
    if stream {
        let events = audio_sse_events(&audio, &info.format, config.stream_chunks, &extra, &trace, true);
        return Ok(paced_sse(events, config.ttfb_ms, config.chunk_interval_ms));
    }
    let audio_field = audio_output_field(
        &state,
        output_format == "url",
        audio,
        &info,
        &trace,
        "music",
        config.media_url_ttl_ms,
    );
    Ok(ok_json(json!({
        "data": { "audio": audio_field, "status": 2 }, "trace_id": trace, "extra_info": extra,
        "analysis_info": null, "base_resp": base_ok(),
    })))
}

/// `POST /v1/lyrics_generation`.
pub async fn lyrics(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    check_music_access(&state, "lyrics_generation")?;
    let mode = f.req_enum("mode", &["write_full_song", "edit"])?;
    let prompt = f.opt_str("prompt")?.unwrap_or("");
    f.check_len("prompt", prompt, 0, 2_000)?;
    if let Some(lyrics) = f.opt_str("lyrics")? {
        if mode != "edit" {
            return Err(ApiError::invalid("lyrics", "only used with mode \"edit\""));
        }
        f.check_len("lyrics", lyrics, 0, 3_500)?;
    }
    let title = f.opt_str("title")?;
    state.charge(key, quota::LYRICS_COST, false)?;
    let theme = if prompt.is_empty() { "a quiet evening" } else { prompt };
    let words: Vec<&str> = theme.split_whitespace().take(4).collect();
    let hook = words.join(" ");
    let song_title = title.map(str::to_owned).unwrap_or_else(|| format!("Song of {hook}"));
    let styles =
        ["Pop, Upbeat, Female Vocals", "Indie Folk, Melancholic, Male Vocals", "Synthwave, Dreamy, Duet"];
    let style_tags = styles[(fnv1a(theme.as_bytes()) % styles.len() as u64) as usize];
    let lyrics = format!(
        "[Intro]\n(Ooh)\n[Verse]\nI woke up thinking of {hook}\nThe morning light was soft and slow\n\
         [Pre-Chorus]\nAnd every step leads back to you\n[Chorus]\nOh, {hook}, carry me home\n\
         Sing it loud, we're not alone\n[Bridge]\nWhen the night comes falling down\n[Outro]\n{hook}, {hook}"
    );
    Ok(ok_json(
        json!({ "song_title": song_title, "style_tags": style_tags, "lyrics": lyrics, "base_resp": base_ok() }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn songs_grow_with_their_lyrics() {
        assert_eq!(song_seconds(None), 30.0);
        assert_eq!(song_seconds(Some("[Verse]\na\nb\n[Chorus]\nc")), 17.0);
        let long = "line\n".repeat(500);
        assert_eq!(song_seconds(Some(&long)), 240.0);
    }
}
