//! Text: `POST /v1/chat/completions`, non-streaming and SSE, with `reasoning_split` (`reasoning_content` +
//! `reasoning_details`) or inline `<think>`, usage with reasoning/cached token details, a simulated tool
//! call when tools are offered, a film shot list when the system message asks for one ([`film_draft`]),
//! and the configurable stream ending (a `chat.completion` frame carrying
//! `message`, a `choices: []` usage chunk, or nothing; with or without `data: [DONE]`).

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Value, json};

use crate::config::ChatUsageFrame;
use crate::envelope::{ApiError, ApiResult, ok_json};
use crate::ids::{request_trace_id, trace_id};
use crate::quota;
use crate::routes::{film_draft, paced_sse, split_ranges};
use crate::state::{KeyKind, SimState};
use crate::validate::{Fields, parse_body};

const MODELS: &[&str] = &[
    "MiniMax-M3",
    "MiniMax-M2.7",
    "MiniMax-M2.7-highspeed",
    "MiniMax-M2.5",
    "MiniMax-M2.5-highspeed",
    "MiniMax-M2.1",
    "MiniMax-M2.1-highspeed",
    "MiniMax-M2",
    // The role-play model of the "Text Chat" examples (minimax-api.md §2.1), served like the M2.x models.
    "M2-her",
];
const ROLES: &[&str] = &[
    "system",
    "user",
    "assistant",
    "tool",
    "user_system",
    "group",
    "sample_message_user",
    "sample_message_ai",
];

/// The text of a message's `content` (a string, or the `text` parts of an array).
fn content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => {
            parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join(" ")
        }
        _ => String::new(),
    }
}

fn validate_messages(messages: &[Value], model: &str) -> Result<(), ApiError> {
    if messages.is_empty() {
        return Err(ApiError::invalid("messages", "must not be empty"));
    }
    for (i, message) in messages.iter().enumerate() {
        let Some(object) = message.as_object() else {
            return Err(ApiError::invalid(format!("messages[{i}]"), "must be an object"));
        };
        let m = Fields::root(object);
        let role = m.req_enum("role", ROLES).map_err(|_| {
            ApiError::invalid(format!("messages[{i}].role"), format!("must be one of {}", ROLES.join(", ")))
        })?;
        match m.opt_array("content") {
            Ok(Some(parts)) => {
                for (j, part) in parts.iter().enumerate() {
                    match part.get("type").and_then(Value::as_str) {
                        Some("text") if part.get("text").is_some_and(Value::is_string) => {}
                        Some("image_url" | "video_url") if model == "MiniMax-M3" => {}
                        Some("image_url" | "video_url") => {
                            return Err(ApiError::invalid(
                                format!("messages[{i}].content[{j}].type"),
                                format!("image and video input need MiniMax-M3, not {model}"),
                            ));
                        }
                        _ => {
                            return Err(ApiError::invalid(
                                format!("messages[{i}].content[{j}]"),
                                "must be {type:\"text\",text} or an image_url/video_url part",
                            ));
                        }
                    }
                }
            }
            Ok(None) if role != "assistant" => {
                return Err(ApiError::invalid(format!("messages[{i}].content"), "is required"));
            }
            Ok(None) => {}
            Err(_) if object.get("content").is_some_and(Value::is_string) => {}
            Err(_) => {
                return Err(ApiError::invalid(
                    format!("messages[{i}].content"),
                    "must be a string or an array",
                ));
            }
        }
        if role == "tool" && !object.get("tool_call_id").is_some_and(Value::is_string) {
            return Err(ApiError::invalid(
                format!("messages[{i}].tool_call_id"),
                "is required when role is tool",
            ));
        }
    }
    Ok(())
}

/// The validated request.
struct ChatAsk {
    model: String,
    stream: bool,
    include_usage: bool,
    split: bool,
    thinking: bool,
    max_tokens: Option<u64>,
    tool: Option<String>,
    prompt_chars: usize,
    last_user: String,
    /// The system messages' text (a film draft request carries a marker there).
    system: String,
}

fn validate(f: &Fields<'_>) -> Result<ChatAsk, ApiError> {
    let model = f.req_enum("model", MODELS)?;
    let Some(messages) = f.opt_array("messages")? else {
        return Err(ApiError::invalid("messages", "is required"));
    };
    validate_messages(messages, model)?;
    let m3 = model == "MiniMax-M3";
    let stream = f.opt_bool("stream")?.unwrap_or(false);
    let include_usage = match f.opt_object("stream_options")? {
        Some(options) => options.opt_bool("include_usage")?.unwrap_or(false),
        None => false,
    };
    let limit = if m3 { 524_288 } else { 204_800 };
    let mut max_tokens = None;
    for name in ["max_completion_tokens", "max_tokens"] {
        if let Some(v) = f.opt_i64(name)? {
            if v < 1 || v > limit {
                return Err(ApiError::invalid(name, format!("{v} is outside [1, {limit}] for {model}")));
            }
            max_tokens = Some(v as u64);
        }
    }
    if m3 {
        f.opt_range("temperature", 0.0, 2.0, false)?
    } else {
        f.opt_range("temperature", 0.0, 1.0, true)?
    };
    f.opt_range("top_p", 0.0, 1.0, true)?;
    if let Some(n) = f.opt_i64("n")?
        && n != 1
    {
        return Err(ApiError::invalid("n", "only n = 1 is supported"));
    }
    let tool_choice = f.opt_enum("tool_choice", &["none", "auto"])?.unwrap_or("auto");
    let mut first_tool = None;
    if let Some(tools) = f.opt_array("tools")? {
        for (i, tool) in tools.iter().enumerate() {
            let name = tool.pointer("/function/name").and_then(Value::as_str);
            if tool.get("type").and_then(Value::as_str) != Some("function") || name.is_none_or(str::is_empty)
            {
                return Err(ApiError::invalid(
                    format!("tools[{i}]"),
                    "must be {type:\"function\", function:{name, …}}",
                ));
            }
            first_tool = first_tool.or(name.map(str::to_owned));
        }
    }
    let split = f.opt_bool("reasoning_split")?.unwrap_or(false);
    let thinking = match f.opt_object("thinking")? {
        Some(t) => t.req_enum("type", &["adaptive", "disabled"])? == "adaptive" || !m3,
        None => true,
    };
    f.opt_enum("service_tier", &["standard", "priority"])?;
    let last = messages.last();
    let last_role = last.and_then(|m| m.get("role")).and_then(Value::as_str).unwrap_or("");
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .map(|m| content_text(m.get("content")))
        .unwrap_or_default();
    Ok(ChatAsk {
        model: model.to_owned(),
        stream,
        include_usage,
        split,
        thinking,
        max_tokens,
        tool: first_tool.filter(|_| tool_choice == "auto" && last_role == "user"),
        prompt_chars: messages.iter().map(|m| content_text(m.get("content")).chars().count() + 16).sum(),
        last_user,
        system: messages
            .iter()
            .filter(|m| m.get("role").and_then(Value::as_str) == Some("system"))
            .map(|m| content_text(m.get("content")))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// `POST /v1/chat/completions`.
pub async fn completions(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let ask = validate(&Fields::root(&body))?;
    state.charge(key, quota::chat_cost(&ask.model), true)?;
    let config = state.config();
    let snippet: String = ask.last_user.chars().take(80).collect();
    let reasoning = if ask.thinking {
        format!("The user wrote \"{snippet}\". I should answer briefly and helpfully.")
    } else {
        String::new()
    };
    let draft = film_draft::draft_ask(&ask.system, &ask.last_user);
    let mut answer = match &draft {
        Some(draft) => film_draft::draft_reply(&state, draft),
        None => format!(
            "This is the MiniMax simulator answering \"{snippet}\". In demo mode every reply is generated locally, \
             so nothing is spent."
        ),
    };
    let mut finish_reason = "stop";
    if let Some(limit) = ask.max_tokens
        && tokens(&answer) > limit
    {
        answer = answer.chars().take(limit as usize * 4).collect();
        finish_reason = "length";
    }
    // A film draft is answered as text even when tools are offered.
    let tool_calls = ask.tool.as_ref().filter(|_| draft.is_none()).map(|name| {
        finish_reason = "tool_calls";
        answer.clear();
        json!([{ "id": format!("call_{}", &trace_id()[..24]), "type": "function",
                 "function": { "name": name, "arguments": "{}" } }])
    });
    let prompt_tokens = (ask.prompt_chars as u64).div_ceil(4);
    let reasoning_tokens = tokens(&reasoning);
    let completion_tokens = reasoning_tokens + tokens(&answer) + u64::from(tool_calls.is_some()) * 8;
    let usage = json!({
        "total_tokens": prompt_tokens + completion_tokens, "total_characters": 0,
        "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
        "completion_tokens_details": { "reasoning_tokens": reasoning_tokens },
        "prompt_tokens_details": { "cached_tokens": 0 },
    });
    let id = request_trace_id();
    let created = state.clock.now_ms() / 1000;
    let details = |text: &str| {
        json!([{ "type": "reasoning.text", "id": "reasoning-text-1",
                                         "format": "MiniMax-response-v1", "index": 0, "text": text }])
    };
    let mut message = json!({ "role": "assistant", "name": "MiniMax AI", "audio_content": "" });
    if ask.split && !reasoning.is_empty() {
        message["content"] = Value::String(answer.clone());
        message["reasoning_content"] = Value::String(reasoning.clone());
        message["reasoning_details"] = details(&reasoning);
    } else if !reasoning.is_empty() {
        message["content"] = Value::String(format!("<think>\n{reasoning}\n</think>\n\n{answer}"));
    } else {
        message["content"] = Value::String(answer.clone());
    }
    if let Some(calls) = &tool_calls {
        message["tool_calls"] = calls.clone();
    }
    let sensitive = json!({ "input_sensitive": false, "output_sensitive": false, "input_sensitive_type": 0,
                            "output_sensitive_type": 0, "output_sensitive_int": 0 });
    let completion = |message: Value| {
        let mut body = json!({
            "id": id, "object": "chat.completion", "created": created, "model": ask.model,
            "choices": [{ "index": 0, "finish_reason": finish_reason, "message": message }],
            "usage": usage, "base_resp": { "status_code": 0, "status_msg": "" },
        });
        if let (Some(target), Some(extra)) = (body.as_object_mut(), sensitive.as_object()) {
            target.extend(extra.clone());
        }
        body
    };
    if !ask.stream {
        return Ok(ok_json(completion(message)));
    }
    let placeholder = if config.chat_usage_frame == ChatUsageFrame::Completion {
        json!({ "total_tokens": 0, "total_characters": 0 })
    } else {
        Value::Null
    };
    let chunk = |delta: Value, finish: Option<&str>| {
        json!({ "id": id, "object": "chat.completion.chunk", "created": created, "model": ask.model,
                "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }],
                "usage": placeholder, "input_sensitive": false, "output_sensitive": false })
        .to_string()
    };
    let mut deltas: Vec<Value> = Vec::new();
    let reasoning_words: Vec<&str> = reasoning.split_inclusive(' ').collect();
    for (n, range) in split_ranges(reasoning_words.len(), 4).into_iter().enumerate() {
        let piece = if ask.split && config.chat_cumulative_reasoning {
            reasoning_words[..range.end].concat()
        } else {
            reasoning_words[range].concat()
        };
        deltas.push(if ask.split {
            json!({ "role": "assistant", "reasoning_content": piece, "reasoning_details": details(&piece) })
        } else {
            let open = if n == 0 { "<think>\n" } else { "" };
            json!({ "role": "assistant", "content": format!("{open}{piece}") })
        });
    }
    if !ask.split && !reasoning.is_empty() {
        deltas.push(json!({ "role": "assistant", "content": "\n</think>\n\n" }));
    }
    let answer_words: Vec<&str> = answer.split_inclusive(' ').collect();
    for range in split_ranges(answer_words.len(), config.stream_chunks as usize) {
        deltas.push(json!({ "role": "assistant", "content": answer_words[range].concat() }));
    }
    if let Some(calls) = &tool_calls {
        let mut indexed = calls.clone();
        indexed[0]["index"] = json!(0);
        deltas.push(json!({ "role": "assistant", "tool_calls": indexed }));
    }
    // The last chunk carries finish_reason, and its role is "" (a quirk seen in the wild, §2.2).
    if let Some(final_delta) = deltas.last_mut() {
        final_delta["role"] = Value::String(String::new());
    }
    let last = deltas.len().saturating_sub(1);
    let mut events: Vec<String> = deltas
        .into_iter()
        .enumerate()
        .map(|(i, delta)| chunk(delta, (i == last).then_some(finish_reason)))
        .collect();
    match config.chat_usage_frame {
        ChatUsageFrame::Completion => events.push(completion(message).to_string()),
        ChatUsageFrame::EmptyChoices if ask.include_usage => events.push(
            json!({ "id": id, "object": "chat.completion.chunk", "created": created, "model": ask.model,
                    "choices": [], "usage": usage })
            .to_string(),
        ),
        _ => {}
    }
    if config.chat_done_marker {
        events.push("[DONE]".to_owned());
    }
    Ok(paced_sse(events, config.ttfb_ms, config.chunk_interval_ms))
}
