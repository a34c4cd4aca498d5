//! Chat request and response types of `POST /v1/chat/completions` (minimax-api.md §2.2) and their
//! documented limits.

use serde::{Deserialize, Serialize};

use crate::envelope::{BaseResp, enveloped_and_traced};
use crate::validation::{Bounds, Checked, ValidationError, check_one_of, check_opt_one_of, check_opt_range};
use crate::wire::opt_count;

/// Model ids of the general chat-completions spec (M3 era) plus the role-play model `M2-her`.
pub const TEXT_MODELS: &[&str] = &[
    "MiniMax-M3",
    "MiniMax-M2.7",
    "MiniMax-M2.7-highspeed",
    "MiniMax-M2.5",
    "MiniMax-M2.5-highspeed",
    "MiniMax-M2.1",
    "MiniMax-M2.1-highspeed",
    "MiniMax-M2",
    "M2-her",
];
/// Message roles (the role-play page adds the last four).
pub const ROLES: &[&str] = &[
    "system",
    "user",
    "assistant",
    "tool",
    "user_system",
    "group",
    "sample_message_user",
    "sample_message_ai",
];
/// `max_completion_tokens` ceiling for MiniMax-M3.
pub const MAX_TOKENS_M3: u32 = 524_288;
/// `max_completion_tokens` ceiling for the other models (the general spec; the role-play page's "2048"
/// contradicts it, §11.12, and is not enforced).
pub const MAX_TOKENS_OTHER: u32 = 204_800;

/// Text, or an array of parts (images and video only for MiniMax-M3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// Multimodal parts.
    Parts(Vec<ContentPart>),
}

/// One part of a multimodal message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentPart {
    /// `{type:"text", text}`.
    Text {
        /// The text.
        text: String,
    },
    /// `{type:"image_url", image_url:{…}}` (≤ 10 MB jpeg/png/gif/webp).
    ImageUrl {
        /// The image.
        image_url: MediaRef,
    },
    /// `{type:"video_url", video_url:{…}}` (≤ 50 MB, or `mm_file://{file_id}`).
    VideoUrl {
        /// The video.
        video_url: MediaRef,
    },
}

/// A media reference of a content part.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaRef {
    /// URL, data URL or `mm_file://{file_id}`.
    pub url: String,
    /// `low`, `default` or `high`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Frames per second for video, `[0.2, 5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Resize bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_long_side_pixel: Option<u32>,
}

/// A function call requested by the model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Call id, echoed in the `tool` message.
    #[serde(default)]
    pub id: String,
    /// Always `function`.
    #[serde(rename = "type", default = "function_type")]
    pub call_type: String,
    /// Name and JSON-string arguments.
    #[serde(default)]
    pub function: FunctionCall,
}

fn function_type() -> String {
    "function".to_owned()
}

/// The function part of a tool call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCall {
    /// Function name.
    #[serde(default)]
    pub name: String,
    /// Arguments as a JSON string.
    #[serde(default)]
    pub arguments: String,
}

/// One `reasoning_details[]` item (`{type:"reasoning.text", id, format, index, text}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReasoningDetail {
    /// `reasoning.text`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub detail_type: Option<String>,
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `MiniMax-response-v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
    /// The reasoning text.
    #[serde(default)]
    pub text: String,
}

/// A message of the conversation. Keep the whole assistant turn (tool calls and reasoning) in history
/// for tool-call continuations (§2.2 "Important note").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// One of [`ROLES`]. May arrive as `""` in streams.
    #[serde(default)]
    pub role: String,
    /// The content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
    /// Optional speaker name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tool calls of an assistant turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// Required when `role` is `tool`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// Separated reasoning (`reasoning_split: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
    /// Structured reasoning (`reasoning_split: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_details: Option<Vec<ReasoningDetail>>,
    /// Unused voice field of the response (`""`).
    #[serde(default, skip_serializing)]
    pub audio_content: Option<String>,
}

impl ChatMessage {
    /// A text message with a role.
    pub fn text(role: impl Into<String>, content: impl Into<String>) -> Self {
        ChatMessage {
            role: role.into(),
            content: Some(MessageContent::Text(content.into())),
            ..Self::default()
        }
    }

    /// The text content (parts of type text joined), if any.
    pub fn text_content(&self) -> Option<String> {
        match self.content.as_ref()? {
            MessageContent::Text(text) => Some(text.clone()),
            MessageContent::Parts(parts) => Some(
                parts
                    .iter()
                    .filter_map(|p| match p {
                        ContentPart::Text { text } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }
}

/// A function tool (`type` is always `function`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// Must be `function`.
    #[serde(rename = "type")]
    pub tool_type: String,
    /// The function.
    pub function: FunctionDefinition,
}

/// A function the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionDefinition {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<serde_json::Value>,
}

/// `stream_options`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatStreamOptions {
    /// Ask for a trailing usage chunk (`choices: []`).
    pub include_usage: bool,
}

/// `thinking` (M3 era): `adaptive` or `disabled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thinking {
    /// `adaptive` or `disabled`.
    #[serde(rename = "type")]
    pub thinking_type: String,
}

/// A `/v1/chat/completions` request. `stream` is set by the call used (`chat` / `chat_stream`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// One of [`TEXT_MODELS`].
    pub model: String,
    /// The conversation.
    pub messages: Vec<ChatMessage>,
    /// Set by `chat_stream`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
    /// Streaming options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<ChatStreamOptions>,
    /// Output token limit (≥ 1; ≤ 524,288 for M3, ≤ 204,800 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    /// `[0, 2]` for M3, `(0, 1]` for M2.x.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `(0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Function tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// `none` or `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<String>,
    /// Move thinking into `reasoning_content` / `reasoning_details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_split: Option<bool>,
    /// M3 thinking switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Thinking>,
    /// `standard` or `priority` (M3 era).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

impl ChatRequest {
    /// A request with `reasoning_split: true` (the app always separates thinking).
    pub fn new(model: impl Into<String>, messages: Vec<ChatMessage>) -> Self {
        ChatRequest { model: model.into(), messages, reasoning_split: Some(true), ..Self::default() }
    }

    /// Checks every documented limit of §2.2.
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), TEXT_MODELS)?;
        let m3 = self.model == "MiniMax-M3";
        if self.messages.is_empty() {
            return Err(ValidationError::new("messages", "is empty", "at least one message"));
        }
        for (i, message) in self.messages.iter().enumerate() {
            check_one_of(&format!("messages[{i}].role"), &message.role.as_str(), ROLES)?;
            if message.role == "tool" && message.tool_call_id.as_deref().is_none_or(str::is_empty) {
                return Err(ValidationError::new(
                    format!("messages[{i}].tool_call_id"),
                    "missing",
                    "the id of the tool call answered",
                ));
            }
            if let Some(MessageContent::Parts(parts)) = &message.content {
                for (j, part) in parts.iter().enumerate() {
                    check_part(&format!("messages[{i}].content[{j}]"), part, m3)?;
                }
            }
        }
        let max_tokens = if m3 { MAX_TOKENS_M3 } else { MAX_TOKENS_OTHER };
        check_opt_range(
            "max_completion_tokens",
            self.max_completion_tokens,
            1,
            max_tokens,
            Bounds::Inclusive,
        )?;
        if m3 {
            check_opt_range("temperature", self.temperature, 0.0, 2.0, Bounds::Inclusive)?;
        } else {
            check_opt_range("temperature", self.temperature, 0.0, 1.0, Bounds::ExclusiveMin)?;
        }
        check_opt_range("top_p", self.top_p, 0.0, 1.0, Bounds::ExclusiveMin)?;
        for tool in self.tools.as_deref().unwrap_or_default() {
            check_one_of("tools[].type", &tool.tool_type.as_str(), &["function"])?;
        }
        check_opt_one_of("tool_choice", self.tool_choice.as_deref().as_ref(), &["none", "auto"])?;
        check_opt_one_of(
            "thinking.type",
            self.thinking.as_ref().map(|t| t.thinking_type.as_str()).as_ref(),
            &["adaptive", "disabled"],
        )?;
        check_opt_one_of("service_tier", self.service_tier.as_deref().as_ref(), &["standard", "priority"])
    }
}

fn check_part(field: &str, part: &ContentPart, m3: bool) -> Checked {
    let media = match part {
        ContentPart::Text { .. } => return Ok(()),
        ContentPart::ImageUrl { image_url } => image_url,
        ContentPart::VideoUrl { video_url } => {
            check_opt_range(&format!("{field}.video_url.fps"), video_url.fps, 0.2, 5.0, Bounds::Inclusive)?;
            video_url
        }
    };
    if !m3 {
        return Err(ValidationError::new(
            field,
            "image/video input",
            "image and video parts with MiniMax-M3 only",
        ));
    }
    check_opt_one_of(
        &format!("{field}.detail"),
        media.detail.as_deref().as_ref(),
        &["low", "default", "high"],
    )
}

/// `completion_tokens_details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionTokensDetails {
    /// Tokens spent thinking.
    #[serde(default, deserialize_with = "opt_count")]
    pub reasoning_tokens: Option<i64>,
}

/// `prompt_tokens_details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptTokensDetails {
    /// Prompt-cache hits.
    #[serde(default, deserialize_with = "opt_count")]
    pub cached_tokens: Option<i64>,
}

/// Token usage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Total tokens.
    #[serde(default, deserialize_with = "opt_count")]
    pub total_tokens: Option<i64>,
    /// Total characters (usually 0).
    #[serde(default, deserialize_with = "opt_count")]
    pub total_characters: Option<i64>,
    /// Prompt tokens.
    #[serde(default, deserialize_with = "opt_count")]
    pub prompt_tokens: Option<i64>,
    /// Completion tokens.
    #[serde(default, deserialize_with = "opt_count")]
    pub completion_tokens: Option<i64>,
    /// Reasoning tokens.
    #[serde(default)]
    pub completion_tokens_details: Option<CompletionTokensDetails>,
    /// Cached tokens.
    #[serde(default)]
    pub prompt_tokens_details: Option<PromptTokensDetails>,
}

impl Usage {
    /// False for the placeholder `{"total_tokens":0,"total_characters":0}` of early stream chunks.
    pub fn is_real(&self) -> bool {
        [self.total_tokens, self.prompt_tokens, self.completion_tokens].iter().any(|n| n.unwrap_or(0) > 0)
    }
}

/// One choice of a completion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatChoice {
    /// Index (0).
    #[serde(default)]
    pub index: i64,
    /// `stop`, `length`, `content_filter` or `tool_calls`.
    #[serde(default)]
    pub finish_reason: Option<String>,
    /// The assistant message.
    #[serde(default)]
    pub message: ChatMessage,
}

/// A non-streamed completion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatCompletion {
    /// Completion id.
    #[serde(default)]
    pub id: String,
    /// `chat.completion`.
    #[serde(default)]
    pub object: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: Option<i64>,
    /// Model that answered.
    #[serde(default)]
    pub model: Option<String>,
    /// The choices (one).
    #[serde(default)]
    pub choices: Vec<ChatChoice>,
    /// Usage.
    #[serde(default)]
    pub usage: Option<Usage>,
    /// Whether the input was flagged.
    #[serde(default)]
    pub input_sensitive: Option<bool>,
    /// Whether the output was flagged.
    #[serde(default)]
    pub output_sensitive: Option<bool>,
    /// 1 severe, 2 porn, 3 ads, 4 prohibited, 5 abuse, 6 violence/terror, 7 other.
    #[serde(default)]
    pub input_sensitive_type: Option<i64>,
    /// Same scale as `input_sensitive_type`.
    #[serde(default)]
    pub output_sensitive_type: Option<i64>,
    /// The `Trace-Id` header (filled in by the client).
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) base_resp: Option<BaseResp>,
}
enveloped_and_traced!(ChatCompletion);

impl ChatCompletion {
    /// The first choice's message.
    pub fn message(&self) -> Option<&ChatMessage> {
        self.choices.first().map(|c| &c.message)
    }
}

/// Splits inline thinking (`<think>…</think>` at the start of `content`, used without
/// `reasoning_split`) from the answer: `(reasoning, answer)`.
pub fn split_think(content: &str) -> (Option<&str>, &str) {
    let trimmed = content.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<think>")
        && let Some(end) = rest.find("</think>")
    {
        return (Some(rest[..end].trim()), rest[end + "</think>".len()..].trim_start());
    }
    (None, content)
}
