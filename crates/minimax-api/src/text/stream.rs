//! Assembly of a streamed chat completion (minimax-api.md §2.2 "Streaming", §11.15):
//! - two endings: a final frame with `object: "chat.completion"` and `message` (full text) plus the only
//!   authoritative usage, or a trailing usage-only chunk with `choices: []`; with or without `[DONE]`;
//! - reasoning fragments may be incremental or cumulative snapshots: a fragment longer than, and
//!   starting with, the reasoning so far is a snapshot and only its new suffix is emitted;
//! - placeholder usage (`total_tokens: 0`) on early chunks is ignored; `delta.role` may be `""`.

use std::collections::VecDeque;

use serde::Deserialize;

use super::types::{ChatMessage, ReasoningDetail, ToolCall, Usage};
use crate::envelope::{BaseResp, check_base_resp};
use crate::error::Result;
use crate::sse::{Flow, FrameAssembler, frame_error, truncated};

/// One event of a streamed chat.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    /// New reasoning text (never repeated, whatever the server's snapshot style).
    Reasoning(String),
    /// New answer text.
    Content(String),
    /// A fragment of a tool call: `arguments` is appended to earlier fragments of the same `index`.
    ToolCall {
        /// Which call.
        index: usize,
        /// The call id, on its first fragment.
        id: Option<String>,
        /// The function name, on its first fragment.
        name: Option<String>,
        /// The next piece of the JSON arguments.
        arguments: String,
    },
    /// The stream ended.
    Done(ChatSummary),
}

/// Everything a finished stream produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatSummary {
    /// Completion id.
    pub id: Option<String>,
    /// Model that answered.
    pub model: Option<String>,
    /// The whole answer.
    pub content: String,
    /// The whole reasoning.
    pub reasoning: String,
    /// Assembled tool calls.
    pub tool_calls: Vec<ToolCall>,
    /// `stop`, `length`, `content_filter`, `tool_calls`.
    pub finish_reason: Option<String>,
    /// The authoritative usage (final frame or usage chunk), if the server sent one.
    pub usage: Option<Usage>,
    /// The `Trace-Id` header.
    pub trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ChunkWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Option<Vec<ChunkChoice>>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}

#[derive(Debug, Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    message: Option<ChatMessage>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning_details: Option<Vec<ReasoningDetail>>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCallDelta>>,
}

#[derive(Debug, Deserialize)]
struct ToolCallDelta {
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<FunctionDelta>,
}

#[derive(Debug, Deserialize)]
struct FunctionDelta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

/// Turns chat chunks into [`ChatEvent`]s.
#[derive(Debug, Default)]
pub(crate) struct ChatStreamAssembler {
    summary: ChatSummary,
    ended: bool,
}

impl ChatStreamAssembler {
    /// A new assembler; `trace_id` is the header of the response.
    pub fn new(trace_id: Option<String>) -> Self {
        ChatStreamAssembler { summary: ChatSummary { trace_id, ..ChatSummary::default() }, ended: false }
    }

    fn take_usage(&mut self, usage: Option<Usage>) {
        if let Some(usage) = usage.filter(Usage::is_real) {
            self.summary.usage = Some(usage);
        }
    }

    fn final_message(&mut self, message: ChatMessage, out: &mut VecDeque<ChatEvent>) {
        // The final frame repeats the whole text: emit only what the deltas did not deliver.
        if let Some(reasoning) = message.reasoning_content.as_deref()
            && let Some(new) = snapshot_suffix(&mut self.summary.reasoning, reasoning)
        {
            out.push_back(ChatEvent::Reasoning(new));
        }
        if let Some(content) = message.text_content()
            && let Some(new) = snapshot_suffix(&mut self.summary.content, &content)
        {
            out.push_back(ChatEvent::Content(new));
        }
        if self.summary.tool_calls.is_empty() {
            self.summary.tool_calls = message.tool_calls.unwrap_or_default();
        }
    }

    fn delta(&mut self, delta: Delta, out: &mut VecDeque<ChatEvent>) {
        let reasoning = match (delta.reasoning_content, delta.reasoning_details) {
            (Some(text), _) if !text.is_empty() => Some(text),
            (_, Some(details)) => Some(details.into_iter().map(|d| d.text).collect::<String>()),
            _ => None,
        };
        if let Some(fragment) = reasoning.filter(|f| !f.is_empty())
            && let Some(new) = reasoning_novelty(&mut self.summary.reasoning, &fragment)
        {
            out.push_back(ChatEvent::Reasoning(new));
        }
        if let Some(content) = delta.content.filter(|c| !c.is_empty()) {
            self.summary.content.push_str(&content);
            out.push_back(ChatEvent::Content(content));
        }
        for (position, call) in delta.tool_calls.unwrap_or_default().into_iter().enumerate() {
            let index = call.index.unwrap_or(position);
            while self.summary.tool_calls.len() <= index {
                self.summary
                    .tool_calls
                    .push(ToolCall { call_type: "function".into(), ..ToolCall::default() });
            }
            let slot = &mut self.summary.tool_calls[index];
            let (name, arguments) =
                call.function.map(|f| (f.name, f.arguments.unwrap_or_default())).unwrap_or_default();
            if let Some(id) = &call.id {
                slot.id.clone_from(id);
            }
            if let Some(name) = &name {
                slot.function.name.clone_from(name);
            }
            slot.function.arguments.push_str(&arguments);
            out.push_back(ChatEvent::ToolCall { index, id: call.id, name, arguments });
        }
    }
}

impl FrameAssembler for ChatStreamAssembler {
    type Event = ChatEvent;

    fn frame(&mut self, data: &str, out: &mut VecDeque<ChatEvent>) -> Result<Flow> {
        let chunk: ChunkWire = serde_json::from_str(data).map_err(|e| {
            frame_error(
                "/v1/chat/completions",
                format!("invalid chunk: {e}"),
                data,
                self.summary.trace_id.as_deref(),
            )
        })?;
        check_base_resp(chunk.base_resp.as_ref(), 200, self.summary.trace_id.as_deref())?;
        if self.summary.id.is_none() {
            self.summary.id = chunk.id;
        }
        if self.summary.model.is_none() {
            self.summary.model = chunk.model;
        }
        let final_frame = chunk.object.as_deref() == Some("chat.completion");
        let choices = chunk.choices.unwrap_or_default();
        if choices.is_empty() && chunk.usage.as_ref().is_some_and(Usage::is_real) {
            self.ended = true; // the trailing usage chunk
        }
        self.take_usage(chunk.usage);
        for choice in choices {
            if let Some(reason) = choice.finish_reason.filter(|r| !r.is_empty()) {
                self.summary.finish_reason = Some(reason);
                self.ended = true;
            }
            match (choice.delta, choice.message) {
                (Some(delta), _) if !final_frame => self.delta(delta, out),
                (_, Some(message)) => {
                    self.final_message(message, out);
                    self.ended = true;
                }
                (Some(delta), None) => self.delta(delta, out),
                (None, None) => {}
            }
        }
        Ok(Flow::Continue)
    }

    fn finish(&mut self, out: &mut VecDeque<ChatEvent>) -> Result<()> {
        if !self.ended {
            return Err(truncated(
                "/v1/chat/completions",
                "a finish_reason or usage",
                self.summary.trace_id.as_deref(),
            ));
        }
        out.push_back(ChatEvent::Done(std::mem::take(&mut self.summary)));
        Ok(())
    }
}

/// Below this length an exact repeat of the reasoning so far is taken as new incremental text.
const MIN_SNAPSHOT_REPEAT_LEN: usize = 8;

/// Reasoning dedup: a fragment strictly longer than, and starting with, the text so far is a cumulative
/// snapshot (emit its suffix); anything else is incremental (append). `None` when nothing is new.
fn reasoning_novelty(accumulated: &mut String, fragment: &str) -> Option<String> {
    if !accumulated.is_empty()
        && fragment.len() > accumulated.len()
        && fragment.starts_with(accumulated.as_str())
    {
        let new = fragment[accumulated.len()..].to_owned();
        accumulated.push_str(&new);
        return Some(new);
    }
    // The same snapshot again. Short texts are exempt: an incremental fragment can equal them ("ha", "ha").
    if accumulated.len() >= MIN_SNAPSHOT_REPEAT_LEN && fragment == accumulated.as_str() {
        return None;
    }
    accumulated.push_str(fragment);
    Some(fragment.to_owned())
}

/// For a final full text: the part not yet delivered, when the full text extends what was streamed.
fn snapshot_suffix(accumulated: &mut String, full: &str) -> Option<String> {
    if full.len() > accumulated.len() && full.starts_with(accumulated.as_str()) {
        let new = full[accumulated.len()..].to_owned();
        accumulated.push_str(&new);
        return Some(new);
    }
    None
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
