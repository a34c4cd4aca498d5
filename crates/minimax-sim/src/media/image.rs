//! PNG images: a deterministic pattern of soft colour tiles derived from the prompt hash and seed, at the
//! exact pixel size the aspect ratio (or width/height) asks for. Flat tiles compress to a few KiB.

/// Renders a `width` × `height` RGB PNG whose tiles depend on `seed`.
pub fn render_png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let tile = 64usize;
    let (w, h) = (width as usize, height as usize);
    let cols = w.div_ceil(tile);
    let palette: Vec<[u8; 3]> = (0..cols * h.div_ceil(tile))
        .map(|i| {
            let x = crate::ids::fnv1a(&[seed.to_le_bytes(), (i as u64).to_le_bytes()].concat());
            [96 + (x & 0x7F) as u8, 96 + ((x >> 8) & 0x7F) as u8, 96 + ((x >> 16) & 0x7F) as u8]
        })
        .collect();
    let mut pixels = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            pixels.extend_from_slice(&palette[(y / tile) * cols + x / tile]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Writing into a Vec cannot fail for a correctly sized buffer.
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(&pixels);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_at_the_asked_size_and_depends_on_the_seed() {
        let bytes = render_png(1280, 720, 7);
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let reader = decoder.read_info().expect("valid png");
        assert_eq!((reader.info().width, reader.info().height), (1280, 720));
        assert_ne!(render_png(64, 64, 1), render_png(64, 64, 2));
        assert_eq!(render_png(64, 64, 1), render_png(64, 64, 1));
        assert!(bytes.len() < 200_000, "{}", bytes.len());
    }
}
