//! Image: `POST /v1/image_generation`, synchronous, with url or base64 output, `n` 1–9, aspect ratios or
//! width/height, and the documented quirk of counts returned as strings under `metadata`.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use base64::Engine;
use serde_json::{Value, json};

use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::ids::{fnv1a, request_trace_id};
use crate::media::{FileContent, render_png};
use crate::quota;
use crate::state::{KeyKind, SimState};
use crate::validate::{Fields, parse_body};

/// Documented aspect ratios and their pixel sizes.
const RATIOS: &[(&str, u32, u32)] = &[
    ("1:1", 1024, 1024),
    ("16:9", 1280, 720),
    ("4:3", 1152, 864),
    ("3:2", 1248, 832),
    ("2:3", 832, 1248),
    ("3:4", 864, 1152),
    ("9:16", 720, 1280),
    ("21:9", 1344, 576),
];

/// `POST /v1/image_generation`.
pub async fn generate(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let model = f.req_enum("model", &["image-01", "image-01-live"])?;
    let prompt = f.req_str("prompt")?;
    f.check_len("prompt", prompt, 1, 1_500)?;
    let names: Vec<&str> = RATIOS.iter().map(|r| r.0).collect();
    let ratio = f.opt_enum("aspect_ratio", &names)?;
    if ratio == Some("21:9") && model != "image-01" {
        return Err(ApiError::invalid("aspect_ratio", "21:9 is only supported by image-01"));
    }
    let width = f.opt_i64("width")?;
    let height = f.opt_i64("height")?;
    let custom = match (width, height) {
        (None, None) => None,
        (Some(w), Some(h)) => {
            if model != "image-01" {
                return Err(ApiError::invalid("width", "width/height are only supported by image-01"));
            }
            for (name, v) in [("width", w), ("height", h)] {
                if !(512..=2048).contains(&v) || v % 8 != 0 {
                    return Err(ApiError::invalid(
                        name,
                        format!("{v} must be in [512, 2048] and a multiple of 8"),
                    ));
                }
            }
            Some((w as u32, h as u32))
        }
        (Some(_), None) => return Err(ApiError::invalid("height", "is required with width")),
        (None, Some(_)) => return Err(ApiError::invalid("width", "is required with height")),
    };
    let response_format = f.opt_enum("response_format", &["url", "base64"])?.unwrap_or("url");
    let seed = f.opt_i64("seed")?;
    let n = f.opt_i64("n")?.unwrap_or(1);
    if !(1..=9).contains(&n) {
        return Err(ApiError::invalid("n", format!("{n} is outside [1, 9]")));
    }
    f.opt_bool("prompt_optimizer")?;
    f.opt_bool("aigc_watermark")?;
    if let Some(style) = f.opt_object("style")? {
        if model != "image-01-live" {
            return Err(ApiError::invalid("style", "only supported by image-01-live"));
        }
        style.req_enum("style_type", &["漫画", "元气", "中世纪", "水彩"])?;
        style.opt_range("style_weight", 0.0, 1.0, true)?;
    }
    if let Some(refs) = f.opt_array("subject_reference")? {
        if refs.len() != 1 {
            return Err(ApiError::invalid("subject_reference", "exactly one reference image"));
        }
        if refs[0].get("type").and_then(Value::as_str) != Some("character") {
            return Err(ApiError::invalid("subject_reference[0].type", "must be \"character\""));
        }
        let image = refs[0].get("image_file").and_then(Value::as_str).unwrap_or("");
        if !(image.starts_with("http://")
            || image.starts_with("https://")
            || image.starts_with("data:image/"))
        {
            return Err(ApiError::invalid(
                "subject_reference[0].image_file",
                "must be a public URL or a data URL",
            ));
        }
    }
    // When both are sent, aspect_ratio wins (documented).
    let (w, h) = match (ratio, custom) {
        (Some(r), _) => RATIOS.iter().find(|x| x.0 == r).map_or((1024, 1024), |x| (x.1, x.2)),
        (None, Some(size)) => size,
        (None, None) => (1024, 1024),
    };
    state.charge(key, quota::image_cost(n as u64), false)?;
    let config = state.config();
    let base_seed = fnv1a(prompt.as_bytes()) ^ seed.unwrap_or(0) as u64;
    let id = request_trace_id();
    let mut items = Vec::new();
    for i in 0..n as u64 {
        let png = render_png(
            w,
            h,
            base_seed.wrapping_add(if seed.is_some() { i } else { i ^ fnv1a(id.as_bytes()) }),
        );
        items.push(if response_format == "base64" {
            base64::engine::general_purpose::STANDARD.encode(&png)
        } else {
            let content = FileContent::plain(Bytes::from(png), "image/png");
            let file =
                state.new_file(format!("{id}-{i}.png"), "image_generation", config.media_url_ttl_ms, content);
            let url = state.signed_url(&file);
            state.store_file(file);
            url
        });
    }
    let data = if response_format == "base64" {
        json!({ "image_base64": items })
    } else {
        json!({ "image_urls": items })
    };
    Ok(ok_json(json!({
        "id": id, "data": data,
        "metadata": { "success_count": n.to_string(), "failed_count": "0" },
        "base_resp": base_ok(),
    })))
}
