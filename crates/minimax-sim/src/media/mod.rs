//! Real, decodable media: speech and music audio whose length follows the request, PNG images at the
//! requested size, and the MP4 clip (optionally padded to a benchmark size without holding it in memory).

pub mod audio;
pub mod image;
pub mod video;

pub use audio::{AudioInfo, synthesize};
pub use image::render_png;
pub use video::{FileContent, video_content};
