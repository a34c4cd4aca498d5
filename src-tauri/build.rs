//! Generates Tauri's context and the permissions of our own commands.

fn main() {
    // Listing the app's commands makes each one a permission that a capability must grant
    // (capabilities/main.json), instead of every command being callable by default.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "get_settings",
        "update_settings",
        "list_plan_tiers",
        "get_app_info",
        "choose_storage_folder",
        "restart_app",
        "choose_image_file",
        "import_input_image_file",
        "clear_demo_generations",
        "estimate_cost",
        "submit_job",
        "list_jobs",
        "get_job",
        "cancel_job",
        "retry_job",
        "run_job_on_pay_as_you_go",
        "get_quota_window",
        "read_text_media",
        "get_key_status",
        "save_api_keys",
        "check_api_key",
        "start_demo",
        "list_voices",
        "get_spend_report",
        "list_spend",
        "export_spend_csv",
        "compare_with_server",
        "apply_server_correction",
        "play_media",
        "pause",
        "resume",
        "seek",
        "stop",
        "set_volume",
        "get_player_state",
        "get_waveform",
        "get_library_info",
        "list_library",
        "get_generation",
        "trash_generations",
        "restore_generations",
        "export_generations",
        "choose_folder",
        "reveal_in_file_manager",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check tauri.conf.json and capabilities/");
}
