//! Streamed T2A: `data.status: 1` events carry hex fragments; the `status: 2` event carries
//! `extra_info` and — unless `exclude_aggregated_audio` — the whole audio again, which must not be
//! appended a second time (minimax-api.md §3.1 "Streaming").

use std::collections::VecDeque;

use super::{AudioExtraInfo, T2aWire};
use crate::envelope::check_base_resp;
use crate::error::Result;
use crate::hex::decode_hex;
use crate::sse::{Flow, FrameAssembler, frame_error, truncated};

/// One event of a streamed synthesis.
#[derive(Debug, Clone, PartialEq)]
pub enum SpeechStreamEvent {
    /// The next piece of audio, ready to append to what was already played.
    Audio(Vec<u8>),
    /// The synthesis finished.
    Done {
        /// Duration, size, billed characters…
        extra_info: Option<AudioExtraInfo>,
        /// URL of the subtitle file, when asked for.
        subtitle_file: Option<String>,
        /// Total audio bytes emitted by the `Audio` events.
        total_bytes: u64,
        /// The `Trace-Id` header, else the body's `trace_id`.
        trace_id: Option<String>,
    },
}

/// Turns T2A stream events into [`SpeechStreamEvent`]s.
#[derive(Debug)]
pub(crate) struct SpeechStreamAssembler {
    endpoint: &'static str,
    trace_id: Option<String>,
    emitted_bytes: u64,
    finished: bool,
}

impl SpeechStreamAssembler {
    /// A new assembler; `trace_id` is the header of the response.
    pub fn new(endpoint: &'static str, trace_id: Option<String>) -> Self {
        SpeechStreamAssembler { endpoint, trace_id, emitted_bytes: 0, finished: false }
    }
}

impl FrameAssembler for SpeechStreamAssembler {
    type Event = SpeechStreamEvent;

    fn frame(&mut self, data: &str, out: &mut VecDeque<SpeechStreamEvent>) -> Result<Flow> {
        let wire: T2aWire<'_> = serde_json::from_str(data).map_err(|e| {
            frame_error(self.endpoint, format!("invalid event: {e}"), data, self.trace_id.as_deref())
        })?;
        if self.trace_id.is_none() {
            self.trace_id = wire.trace_id.clone();
        }
        check_base_resp(wire.base_resp.as_ref(), 200, self.trace_id.as_deref())?;
        let Some(payload) = wire.data else { return Ok(Flow::Continue) };
        let final_event = payload.status == Some(2);
        let decode = |hex| {
            decode_hex(hex).map_err(|e| {
                frame_error(self.endpoint, format!("data.audio: {e}"), data, self.trace_id.as_deref())
            })
        };
        match payload.audio.as_ref().filter(|hex| !hex.is_empty()) {
            // The final event repeats everything already emitted: use it only if nothing came before.
            Some(hex) if final_event && self.emitted_bytes > 0 => {
                let repeated_len = hex.len() as u64 / 2;
                if repeated_len != self.emitted_bytes {
                    tracing::debug!(
                        repeated_len,
                        emitted = self.emitted_bytes,
                        "final T2A audio differs in length from the chunks"
                    );
                }
            }
            Some(hex) => {
                let bytes = decode(hex)?;
                self.emitted_bytes += bytes.len() as u64;
                out.push_back(SpeechStreamEvent::Audio(bytes));
            }
            None => {}
        }
        if final_event {
            self.finished = true;
            out.push_back(SpeechStreamEvent::Done {
                extra_info: wire.extra_info,
                subtitle_file: payload.subtitle_file,
                total_bytes: self.emitted_bytes,
                trace_id: self.trace_id.clone(),
            });
            return Ok(Flow::Finished);
        }
        Ok(Flow::Continue)
    }

    fn finish(&mut self, _out: &mut VecDeque<SpeechStreamEvent>) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        Err(truncated(self.endpoint, "the final `status: 2` event", self.trace_id.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::assemble;
    use futures_util::StreamExt;
    use proptest::prelude::*;

    /// A streamed body: chunks "aa", "bbcc", then the final event repeating "aabbcc".
    fn body(with_repeat: bool, with_done: bool) -> String {
        let mut text = String::new();
        for hex in ["aa", "bbcc"] {
            text.push_str(&format!(
                "data: {{\"data\":{{\"audio\":\"{hex}\",\"status\":1}},\"trace_id\":\"t1\",\"base_resp\":{{\"status_code\":0,\"status_msg\":\"\"}}}}\n\n"
            ));
        }
        let final_audio = if with_repeat { "aabbcc" } else { "" };
        text.push_str(&format!(
            "data: {{\"data\":{{\"audio\":\"{final_audio}\",\"status\":2}},\"extra_info\":{{\"audio_length\":3,\"audio_size\":3}},\"trace_id\":\"t1\",\"base_resp\":{{\"status_code\":0,\"status_msg\":\"success\"}}}}\n\n"
        ));
        if with_done {
            text.push_str("data: [DONE]\n\n");
        }
        text
    }

    fn run(chunks: Vec<Vec<u8>>) -> Vec<std::result::Result<SpeechStreamEvent, String>> {
        let source = futures_util::stream::iter(
            chunks.into_iter().map(|chunk| Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))),
        );
        let stream = assemble(
            source,
            SpeechStreamAssembler::new("/v1/t2a_v2", None),
            "/v1/t2a_v2",
            std::time::Duration::from_secs(60),
            crate::sse::io_failure,
        );
        crate::sse::block_on(stream.map(|r| r.map_err(|e| e.to_string())).collect())
    }

    fn audio_of(events: &[std::result::Result<SpeechStreamEvent, String>]) -> Vec<u8> {
        events
            .iter()
            .filter_map(|e| match e {
                Ok(SpeechStreamEvent::Audio(bytes)) => Some(bytes.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn final_repeat_is_not_appended_twice() {
        for (repeat, done) in [(true, false), (true, true), (false, false)] {
            let events = run(vec![body(repeat, done).into_bytes()]);
            assert_eq!(audio_of(&events), vec![0xaa, 0xbb, 0xcc], "repeat={repeat} done={done}");
            assert!(matches!(events.last(), Some(Ok(SpeechStreamEvent::Done { total_bytes: 3, .. }))));
        }
    }

    #[test]
    fn only_a_final_event_is_used_whole() {
        let text = "data: {\"data\":{\"audio\":\"0102\",\"status\":2},\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}\n\n";
        let events = run(vec![text.as_bytes().to_vec()]);
        assert_eq!(audio_of(&events), vec![1, 2]);
    }

    #[test]
    fn a_stream_cut_before_status_2_is_an_error() {
        let text = body(true, false);
        let cut = text.find("\"status\":2").unwrap();
        let events = run(vec![text.as_bytes()[..cut].to_vec()]);
        assert!(events.last().unwrap().as_ref().unwrap_err().contains("status: 2"));
    }

    #[test]
    fn errors_inside_the_stream_surface() {
        let text =
            "data: {\"data\":null,\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate limit\"}}\n\n";
        let events = run(vec![text.as_bytes().to_vec()]);
        assert!(events[0].as_ref().unwrap_err().contains("1002"));
        let odd = "data: {\"data\":{\"audio\":\"abc\",\"status\":1}}\n\n";
        assert!(run(vec![odd.as_bytes().to_vec()])[0].as_ref().unwrap_err().contains("odd length"));
    }

    /// Measures the cost of one huge final event (the aggregated audio of a long text) arriving in
    /// 16 KiB chunks. Run with `--ignored --nocapture`.
    #[test]
    #[ignore = "timing report, not a check"]
    fn large_final_event_timing() {
        for mib in [1usize, 2, 4] {
            let hex = "ab".repeat(mib * 1024 * 1024);
            let text = format!(
                "data: {{\"data\":{{\"audio\":\"{hex}\",\"status\":2}},\"base_resp\":{{\"status_code\":0,\"status_msg\":\"success\"}}}}\n\n"
            );
            let chunks: Vec<Vec<u8>> = text.as_bytes().chunks(16 * 1024).map(<[u8]>::to_vec).collect();
            let start = std::time::Instant::now();
            let events = run(chunks);
            println!("final event with {mib} MiB audio: {:?} ({} events)", start.elapsed(), events.len());
        }
    }

    proptest! {
        #[test]
        fn chunking_does_not_change_the_audio(cuts in proptest::collection::vec(0usize..2000, 0..12), repeat in any::<bool>()) {
            let text = body(repeat, true).into_bytes();
            let mut points: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for point in points {
                chunks.push(text[start..point].to_vec());
                start = point;
            }
            chunks.push(text[start..].to_vec());
            let events = run(chunks);
            prop_assert_eq!(audio_of(&events), vec![0xaa, 0xbb, 0xcc]);
            let ends_done = matches!(events.last(), Some(Ok(SpeechStreamEvent::Done { .. })));
            prop_assert!(ends_done);
        }
    }

    fn t2a_like() -> impl Strategy<Value = serde_json::Value> {
        use crate::json_strategies::object_with;
        let data = prop_oneof![
            object_with(&["audio", "status", "subtitle_file"]),
            ("[0-9a-f]{0,40}", 1i64..3)
                .prop_map(|(audio, status)| serde_json::json!({ "audio": audio, "status": status })),
        ];
        (data, object_with(&["extra_info", "trace_id", "base_resp"])).prop_map(|(data, mut event)| {
            event["data"] = data;
            event
        })
    }

    proptest! {
        #[test]
        fn no_event_payload_makes_the_speech_stream_panic(
            frames in proptest::collection::vec(prop_oneof![
                t2a_like().prop_map(|v| v.to_string()),
                crate::json_strategies::json_value().prop_map(|v| v.to_string()),
                "\\PC{0,40}",
            ], 0..8),
        ) {
            let text: String = frames.iter().map(|f| format!("data: {}\n\n", f.replace('\n', " "))).collect();
            let events = run(vec![text.into_bytes()]);
            let dones = events.iter().filter(|e| matches!(e, Ok(SpeechStreamEvent::Done { .. }))).count();
            prop_assert!(dones <= 1);
            let emitted: usize = events.iter().map(|e| match e {
                Ok(SpeechStreamEvent::Audio(bytes)) => bytes.len(),
                _ => 0,
            }).sum();
            if let Some(Ok(SpeechStreamEvent::Done { total_bytes, .. })) = events.last() {
                prop_assert_eq!(*total_bytes as usize, emitted);
            }
        }

        #[test]
        fn no_byte_stream_makes_the_speech_parser_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = run(vec![bytes]);
        }
    }
}
