//! The system voices `POST /v1/get_voice` lists and `/v1/t2a_v2` accepts, named the way MiniMax names
//! them (`Language_Name`, `Language (Dialect)_Name`, plus legacy ids such as `male-qn-qingse`).

/// `(voice_id, voice_name, description)` of every system voice.
pub const SYSTEM_VOICES: &[(&str, &str, &str)] = &[
    (
        "English_expressive_narrator",
        "Expressive Narrator",
        "An expressive adult male voice with a British accent, for audiobooks.",
    ),
    ("English_radiant_girl", "Radiant Girl", "A lively young female voice with a standard American accent."),
    ("English_magnetic_voiced_man", "Magnetic-voiced Male", "A deep, magnetic adult male voice."),
    ("English_compelling_lady1", "Compelling Lady", "A confident adult female voice for presentations."),
    ("English_Aussie_Bloke", "Aussie Bloke", "A friendly adult male voice with an Australian accent."),
    ("English_captivating_female1", "Captivating Female", "A warm, captivating female storyteller."),
    ("English_Upbeat_Woman", "Upbeat Woman", "An upbeat, energetic adult female voice."),
    ("English_Trustworth_Man", "Trustworthy Man", "A calm, trustworthy adult male voice."),
    ("English_CalmWoman", "Calm Woman", "A calm, soothing adult female voice."),
    ("English_Gentle-voiced_man", "Gentle-voiced Man", "A gentle, soft-spoken adult male voice."),
    ("English_Graceful_Lady", "Graceful Lady", "A graceful, elegant mature female voice."),
    ("English_ManWithDeepVoice", "Man With Deep Voice", "A deep, commanding male voice."),
    ("English_FriendlyPerson", "Friendly Guy", "A friendly, casual adult male voice."),
    ("English_Wiselady", "Wise Lady", "A wise, mature female narrator."),
    ("English_PlayfulGirl", "Playful Girl", "A playful young female voice."),
    ("Chinese (Mandarin)_News_Anchor", "News Anchor (Female)", "一位专业的女性新闻主播，播音腔标准。"),
    ("Chinese (Mandarin)_Reliable_Executive", "Reliable Executive", "一位沉稳可靠的中年男性高管。"),
    ("Chinese (Mandarin)_Gentleman", "Gentleman", "温润有礼的青年男性。"),
    ("Chinese (Mandarin)_Warm_Girl", "Warm Girl", "温暖甜美的年轻女性。"),
    ("Chinese (Mandarin)_Male_Announcer", "Male Announcer", "浑厚有力的男性播音员。"),
    ("Chinese (Mandarin)_Sweet_Lady", "Sweet Lady", "声音甜美的年轻女性。"),
    ("Chinese (Mandarin)_Radio_Host", "Radio Host", "亲切自然的电台男主持。"),
    ("Chinese (Mandarin)_Lyrical_Voice", "Lyrical Voice", "抒情温柔的男声。"),
    ("Chinese (Mandarin)_Gentle_Senior", "Gentle Senior", "慈祥温和的老年女性。"),
    ("Cantonese_ProfessionalHost（F)", "Professional Host (F)", "专业的粤语女主持。"),
    ("Cantonese_GentleLady", "Gentle Lady", "温柔的粤语女声。"),
    (
        "Japanese_IntellectualSenior",
        "Intellectual Senior",
        "A calm, intellectual senior male voice in Japanese.",
    ),
    ("Japanese_DecisivePrincess", "Decisive Princess", "A decisive young female voice in Japanese."),
    ("Korean_SweetGirl", "Sweet Girl", "A sweet young female voice in Korean."),
    ("Spanish_SereneWoman", "Serene Woman", "A serene adult female voice in Spanish."),
    ("French_Male_Speech_New", "Level-Headed Man", "A level-headed adult male voice in French."),
    ("German_FriendlyMan", "Friendly Man", "A friendly adult male voice in German."),
    ("male-qn-qingse", "青涩青年音色", "Legacy voice: a young, fresh male voice."),
    ("male-qn-jingying", "精英青年音色", "Legacy voice: an elite young male voice."),
    ("female-shaonv", "少女音色", "Legacy voice: a girlish young female voice."),
    ("female-yujie", "御姐音色", "Legacy voice: a mature female voice."),
    ("presenter_male", "男性主持人", "Legacy voice: a male presenter."),
    ("presenter_female", "女性主持人", "Legacy voice: a female presenter."),
    ("audiobook_male_1", "男性有声书1", "Legacy voice: male audiobook narrator."),
    ("audiobook_female_1", "女性有声书1", "Legacy voice: female audiobook narrator."),
];

/// Whether `voice_id` names a voice the simulator can speak with: a system voice, or a cloned
/// (`moss_audio_…`) / designed (`ttv-voice-…`) id shape.
pub fn is_known(voice_id: &str) -> bool {
    SYSTEM_VOICES.iter().any(|(id, _, _)| *id == voice_id)
        || voice_id.starts_with("moss_audio_")
        || voice_id.starts_with("ttv-voice-")
}
