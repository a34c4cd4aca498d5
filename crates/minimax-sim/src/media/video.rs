//! The video clip and the byte source every stored file is served from: real bytes followed by optional
//! zero padding that is generated on the fly, so a 500 MiB benchmark file costs no memory.

use bytes::Bytes;
use futures_util::Stream;

static CLIP: &[u8] = include_bytes!("../../fixtures/clip-160x90.mp4");

/// Size of the zero chunks streamed for padding.
const PAD_CHUNK: usize = 64 * 1024;

/// The bytes of a stored file: `head`, then `pad` zero bytes.
#[derive(Debug, Clone)]
pub struct FileContent {
    /// The real bytes.
    pub head: Bytes,
    /// Zero bytes that follow.
    pub pad: u64,
    /// MIME type to serve it with.
    pub content_type: &'static str,
}

impl FileContent {
    /// A file that is just `head`.
    pub fn plain(head: Bytes, content_type: &'static str) -> Self {
        Self { head, pad: 0, content_type }
    }

    /// Total size in bytes.
    pub fn len(&self) -> u64 {
        self.head.len() as u64 + self.pad
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes `start..end` (end exclusive) as a stream of chunks.
    pub fn stream(
        &self,
        start: u64,
        end: u64,
    ) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
        let head = self.head.clone();
        let zeros = Bytes::from_static(&[0u8; PAD_CHUNK]);
        futures_util::stream::unfold(start, move |at| {
            let head = head.clone();
            let zeros = zeros.clone();
            async move {
                if at >= end {
                    return None;
                }
                let head_len = head.len() as u64;
                let chunk = if at < head_len {
                    head.slice(at as usize..end.min(head_len) as usize)
                } else {
                    zeros.slice(..(end - at).min(PAD_CHUNK as u64) as usize)
                };
                let next = at + chunk.len() as u64;
                Some((Ok(chunk), next))
            }
        })
    }
}

/// The shipped 1 s H.264 clip, padded with a trailing MP4 `free` box to `size` bytes when `size` is larger
/// than the clip (the result is still a valid MP4).
pub fn video_content(size: u64) -> FileContent {
    let clip_len = CLIP.len() as u64;
    if size < clip_len + 16 {
        return FileContent::plain(Bytes::from_static(CLIP), "video/mp4");
    }
    let box_len = size - clip_len;
    let mut head = CLIP.to_vec();
    let header_len = if let Ok(small) = u32::try_from(box_len) {
        head.extend_from_slice(&small.to_be_bytes());
        head.extend_from_slice(b"free");
        8
    } else {
        head.extend_from_slice(&1u32.to_be_bytes());
        head.extend_from_slice(b"free");
        head.extend_from_slice(&box_len.to_be_bytes());
        16
    };
    FileContent { head: Bytes::from(head), pad: box_len - header_len, content_type: "video/mp4" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    async fn collect(content: &FileContent, start: u64, end: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut stream = std::pin::pin!(content.stream(start, end));
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk.expect("chunk"));
        }
        out
    }

    #[tokio::test]
    async fn padded_clip_has_the_asked_size_and_streams_every_range() {
        let content = video_content(1_000_000);
        assert_eq!(content.len(), 1_000_000);
        let all = collect(&content, 0, content.len()).await;
        assert_eq!(all.len(), 1_000_000);
        assert_eq!(&all[4..8], b"ftyp");
        assert_eq!(&all[CLIP.len() + 4..CLIP.len() + 8], b"free");
        let middle = collect(&content, 10, 200_000).await;
        assert_eq!(middle, all[10..200_000]);
        assert_eq!(video_content(0).len(), CLIP.len() as u64);
    }
}
