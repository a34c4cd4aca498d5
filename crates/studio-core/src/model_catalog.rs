//! The model table the app shows, from one place: `minimax-api`'s [`list_models`] (the same tables its
//! requests are validated against) with the Hailuo camera moves, for the `list_models` command. The UI keeps
//! no copy of its own, so a picker never offers what validation refuses.

use minimax_api::models::{CAMERA_MOVES, ModelInfo, list_models};
use serde::Serialize;
use ts_rs::TS;

/// Every model the client can call, current ones first within each modality, and the camera moves.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModelCatalog {
    /// The models, with what each accepts.
    pub models: Vec<ModelInfo>,
    /// The camera moves inserted into a Hailuo prompt as `[Pan left]`.
    pub camera_moves: Vec<&'static str>,
}

/// The catalog now (pure: the tables are compiled in).
pub fn model_catalog() -> ModelCatalog {
    ModelCatalog { models: list_models(), camera_moves: CAMERA_MOVES.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalog as JSON beside the bindings (`make bindings`), so the UI's tests answer `list_models` with
    /// the real table instead of a hand-kept copy, and `make test` notices when it drifts.
    #[test]
    fn export_bindings_model_catalog_json() {
        let dir = std::env::var_os("TS_RS_EXPORT_DIR").map_or_else(
            || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bindings"),
            |dir| {
                let dir = std::path::PathBuf::from(dir);
                if dir.is_absolute() { dir } else { std::path::PathBuf::from("../..").join(dir) }
            },
        );
        std::fs::create_dir_all(&dir).unwrap();
        let json = serde_json::to_string_pretty(&model_catalog()).unwrap();
        std::fs::write(dir.join("model-catalog.json"), format!("{json}\n")).unwrap();
    }

    #[test]
    fn the_catalog_lists_h3_first_and_hailuo_as_older() {
        let catalog = model_catalog();
        let video: Vec<&ModelInfo> =
            catalog.models.iter().filter(|m| m.modality == minimax_api::models::Modality::Video).collect();
        assert_eq!(video[0].id, "MiniMax-H3");
        let json = serde_json::to_value(&catalog).expect("json");
        assert_eq!(json["cameraMoves"][2], "Pan left");
        let hailuo =
            json["models"].as_array().expect("models").iter().find(|m| m["id"] == "MiniMax-Hailuo-02");
        assert_eq!(hailuo.expect("hailuo")["generation"], "older");
    }
}
