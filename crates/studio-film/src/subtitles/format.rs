//! SRT and WebVTT: writers, and parsers that read back what players read (tests check our files with them).

use std::fmt::Write as _;

use super::Cue;
use crate::error::{FilmError, Result};
use crate::timeline::Ms;

/// `HH:MM:SS` + `sep` + `mmm`.
fn timestamp(ms: Ms, sep: char) -> String {
    format!("{:02}:{:02}:{:02}{sep}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Cue text lines, never empty (an empty line would end the cue).
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Writes cues as SubRip (SRT), numbered from 1.
pub fn to_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, cue) in cues.iter().enumerate() {
        let _ = writeln!(out, "{}", i + 1);
        let _ = writeln!(out, "{} --> {}", timestamp(cue.start_ms, ','), timestamp(cue.end_ms, ','));
        for line in text_lines(&cue.text) {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    out
}

/// Escapes what WebVTT cue text reserves.
fn vtt_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn vtt_unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

/// Writes cues as WebVTT. Cues of a line carry the identifier `line-{id}-{index}`, so an edited file can be
/// matched back to the film.
pub fn to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for cue in cues {
        if let Some(line_id) = cue.line_id {
            let _ = writeln!(out, "line-{line_id}-{}", cue.index);
        }
        let _ = writeln!(out, "{} --> {}", timestamp(cue.start_ms, '.'), timestamp(cue.end_ms, '.'));
        for line in text_lines(&cue.text) {
            let _ = writeln!(out, "{}", vtt_escape(line).replace("-->", "--&gt;"));
        }
        out.push('\n');
    }
    out
}

/// Reads `[HH:]MM:SS[,.]mmm`.
fn parse_timestamp(text: &str, line: usize) -> Result<Ms> {
    let bad = || FilmError::SubtitleParse {
        line,
        reason: format!("expected a time like 00:01:02,345, found {text:?}"),
    };
    let (clock, millis) = text.trim().split_once([',', '.']).ok_or_else(bad)?;
    if millis.len() != 3 {
        return Err(bad());
    }
    let millis: Ms = millis.parse().map_err(|_| bad())?;
    let parts: Vec<&str> = clock.split(':').collect();
    let numbers = parts.iter().map(|p| p.parse::<Ms>().map_err(|_| bad())).collect::<Result<Vec<_>>>()?;
    let (h, m, s) = match numbers.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return Err(bad()),
    };
    if m >= 60 || s >= 60 {
        return Err(bad());
    }
    Ok(((h * 60 + m) * 60 + s) * 1000 + millis)
}

/// Reads `start --> end [settings]`.
fn parse_timing(text: &str, line: usize) -> Result<(Ms, Ms)> {
    let (start, rest) = text.split_once("-->").ok_or_else(|| FilmError::SubtitleParse {
        line,
        reason: format!("expected `start --> end`, found {text:?}"),
    })?;
    let end = rest.split_whitespace().next().unwrap_or_default();
    let (start, end) = (parse_timestamp(start, line)?, parse_timestamp(end, line)?);
    if end < start {
        return Err(FilmError::SubtitleParse { line, reason: "the cue ends before it starts".to_owned() });
    }
    Ok((start, end))
}

/// Blocks of non-blank lines with the 1-based number of their first line.
fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut first = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push((first, std::mem::take(&mut current)));
            }
        } else {
            if current.is_empty() {
                first = i + 1;
            }
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push((first, current));
    }
    out
}

/// Parses SubRip (SRT). Cues have no line id (SRT has no identifiers).
pub fn parse_srt(text: &str) -> Result<Vec<Cue>> {
    let mut cues = Vec::new();
    for (first, lines) in blocks(text) {
        let mut rest = lines.as_slice();
        let mut at = first;
        if let Some(index) = rest.first()
            && !index.contains("-->")
        {
            if index.trim().parse::<u64>().is_err() {
                return Err(FilmError::SubtitleParse {
                    line: at,
                    reason: format!("expected a cue number, found {index:?}"),
                });
            }
            rest = &rest[1..];
            at += 1;
        }
        let Some((timing, body)) = rest.split_first() else {
            return Err(FilmError::SubtitleParse {
                line: at,
                reason: "a cue number without a time line".to_owned(),
            });
        };
        let (start_ms, end_ms) = parse_timing(timing, at)?;
        cues.push(Cue { start_ms, end_ms, text: body.join("\n"), line_id: None, index: 0 });
    }
    Ok(cues)
}

/// Parses WebVTT; `NOTE`, `STYLE` and `REGION` blocks are skipped, cue settings ignored, identifiers of the
/// form `line-{id}-{index}` give the cue's line.
pub fn parse_vtt(text: &str) -> Result<Vec<Cue>> {
    let all = blocks(text);
    let Some(((_, header), rest)) = all.split_first() else {
        return Err(FilmError::SubtitleParse { line: 1, reason: "empty file, expected WEBVTT".to_owned() });
    };
    let signature = header[0];
    if !(signature == "WEBVTT" || signature.starts_with("WEBVTT ") || signature.starts_with("WEBVTT\t")) {
        return Err(FilmError::SubtitleParse {
            line: 1,
            reason: format!("expected WEBVTT, found {signature:?}"),
        });
    }
    let mut cues = Vec::new();
    for (first, lines) in rest {
        let head = lines[0];
        if ["NOTE", "STYLE", "REGION"].iter().any(|k| head == *k || head.starts_with(&format!("{k} "))) {
            continue;
        }
        let (identifier, timing_at) = if head.contains("-->") { (None, 0) } else { (Some(head), 1) };
        let Some(timing) = lines.get(timing_at) else {
            return Err(FilmError::SubtitleParse {
                line: *first,
                reason: "a cue identifier without a time line".to_owned(),
            });
        };
        let (start_ms, end_ms) = parse_timing(timing, first + timing_at)?;
        let (line_id, index) = identifier.and_then(parse_identifier).map_or((None, 0), |(l, i)| (Some(l), i));
        let text = lines[timing_at + 1..].iter().map(|l| vtt_unescape(l)).collect::<Vec<_>>().join("\n");
        cues.push(Cue { start_ms, end_ms, text, line_id, index });
    }
    Ok(cues)
}

fn parse_identifier(identifier: &str) -> Option<(i64, u32)> {
    let rest = identifier.strip_prefix("line-")?;
    let (line, index) = rest.rsplit_once('-')?;
    Some((line.parse().ok()?, index.parse().ok()?))
}
