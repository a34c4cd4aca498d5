//! Text chat through the OpenAI-compatible `POST /v1/chat/completions`, plain or streamed (SSE).

mod stream;
mod types;

pub use stream::{ChatEvent, ChatSummary};
pub use types::*;

use crate::envelope::decode_reply;
use crate::error::Result;
use crate::sse::{EventStream, open_event_stream};
use crate::transport::{CallKind, MiniMaxClient, RequestSpec};

const CHAT_PATH: &str = "/v1/chat/completions";

/// Text calls.
#[derive(Debug, Clone, Copy)]
pub struct Text<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Text<'_> {
    /// A non-streamed completion. `base_resp` is checked even on HTTP 200.
    pub async fn chat(self, request: &ChatRequest) -> Result<ChatCompletion> {
        let mut request = request.clone();
        request.stream = false;
        request.stream_options = None;
        request.validate()?;
        let spec = RequestSpec::post(CHAT_PATH, &request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_reply::<ChatCompletion>(CHAT_PATH, reply)).await
    }

    /// A streamed completion: reasoning and content deltas (de-duplicated), tool-call fragments, then
    /// [`ChatEvent::Done`] with the assembled text and the authoritative usage. Ends on `[DONE]` or EOF;
    /// a stream that stops before any finish reason or usage is an error. Asks for the usage chunk
    /// (`stream_options.include_usage`, minimax-api.md §2.2) unless the caller set `stream_options`.
    pub async fn chat_stream(self, request: &ChatRequest) -> Result<EventStream<ChatEvent>> {
        let mut request = request.clone();
        request.stream = true;
        if request.stream_options.is_none() {
            request.stream_options = Some(ChatStreamOptions { include_usage: true });
        }
        request.validate()?;
        let spec = RequestSpec::post(CHAT_PATH, &request, CallKind::Paid)?;
        open_event_stream(self.client, &spec, stream::ChatStreamAssembler::new).await
    }
}

impl MiniMaxClient {
    /// Text chat calls.
    pub fn text(&self) -> Text<'_> {
        Text { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(model: &str) -> ChatRequest {
        ChatRequest::new(model, vec![ChatMessage::text("user", "Hello")])
    }

    #[test]
    fn validation_table() {
        let ok = request("MiniMax-M2.7");
        assert!(ok.validate().is_ok());
        let cases: Vec<(ChatRequest, &str)> = vec![
            (request("gpt-4"), "model"),
            (ChatRequest { messages: vec![], ..request("MiniMax-M2.7") }, "messages"),
            (ChatRequest { temperature: Some(1.5), ..request("MiniMax-M2.7") }, "temperature"),
            (ChatRequest { temperature: Some(0.0), ..request("MiniMax-M2.7") }, "temperature"),
            (ChatRequest { temperature: Some(2.5), ..request("MiniMax-M3") }, "temperature"),
            (ChatRequest { top_p: Some(0.0), ..request("MiniMax-M2.7") }, "top_p"),
            (
                ChatRequest { max_completion_tokens: Some(0), ..request("MiniMax-M2.7") },
                "max_completion_tokens",
            ),
            (
                ChatRequest { max_completion_tokens: Some(204_801), ..request("MiniMax-M2.7") },
                "max_completion_tokens",
            ),
            (ChatRequest { tool_choice: Some("any".into()), ..request("MiniMax-M2.7") }, "tool_choice"),
            (ChatRequest { service_tier: Some("fast".into()), ..request("MiniMax-M3") }, "service_tier"),
            (
                ChatRequest { messages: vec![ChatMessage::text("tool", "42")], ..request("MiniMax-M2.7") },
                "messages[0].tool_call_id",
            ),
            (
                ChatRequest { messages: vec![ChatMessage::text("robot", "x")], ..request("MiniMax-M2.7") },
                "messages[0].role",
            ),
        ];
        for (request, field) in cases {
            let error = request.validate().expect_err(field);
            assert_eq!(error.field, field, "{error}");
        }
        assert!(
            ChatRequest {
                temperature: Some(1.5),
                max_completion_tokens: Some(524_288),
                ..request("MiniMax-M3")
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn images_only_for_m3() {
        let image = ChatMessage {
            role: "user".into(),
            content: Some(MessageContent::Parts(vec![ContentPart::ImageUrl {
                image_url: MediaRef { url: "https://x/cat.png".into(), ..MediaRef::default() },
            }])),
            ..ChatMessage::default()
        };
        let m27 = ChatRequest::new("MiniMax-M2.7", vec![image.clone()]);
        assert_eq!(m27.validate().unwrap_err().field, "messages[0].content[0]");
        assert!(ChatRequest::new("MiniMax-M3", vec![image]).validate().is_ok());
    }

    #[test]
    fn wire_shape_of_a_request() {
        let mut request = request("MiniMax-M2.7");
        request.max_completion_tokens = Some(1024);
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"model":"MiniMax-M2.7","messages":[{"role":"user","content":"Hello"}],
                               "max_completion_tokens":1024,"reasoning_split":true})
        );
    }

    #[test]
    fn inline_think_is_split() {
        let (reasoning, answer) = split_think("<think>\nreasoning\n</think>\n\nHello!");
        assert_eq!((reasoning, answer), (Some("reasoning"), "Hello!"));
        assert_eq!(split_think("plain"), (None, "plain"));
    }
}
