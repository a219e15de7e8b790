//! Files it reads: the keymap and themes.

use crate::common::*;
use crate::support::*;
use std::process::Command;

#[test]
fn a_bad_keymap_file_stops_the_desk_with_one_line_before_anything_is_opened() {
    let db = temp_db();
    let config = db.dir.path().join("config");
    std::fs::create_dir_all(config.join("shiguang")).unwrap();
    let p = db.path.to_str().unwrap();
    for (text, words) in [
        ("[global]\nhelp = [\"ctrl-l\"]\n", "bound to both"),
        ("[global]\nfly = [\"x\"]\n", "unknown command"),
        ("[nowhere]\nquit = [\"x\"]\n", "unknown context"),
        ("[global]\nquit = [\"f13\"]\n", "f13"),
        ("[global\n", "line 1"),
        ("[global]\nquit = [\"x\"\n", "line 2"),
    ] {
        std::fs::write(config.join("shiguang/keymap.toml"), text).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_shiguang"))
            .args(["--db", p])
            .env("XDG_CONFIG_HOME", &config)
            .env_remove("SHIGUANG_DB")
            .output()
            .unwrap();
        one_line(&o, 2, &["keymap.toml", words]);
        assert!(!db.path.exists(), "the database was opened");
    }
}

#[test]
fn a_theme_file_that_does_not_parse_is_reported_and_not_used() {
    use shiguang::ui::theme::{Theme, ThemeError};
    let db = temp_db();
    let dir = db.dir.path().join("config");
    std::fs::create_dir_all(dir.join("themes")).unwrap();
    std::fs::write(dir.join("themes/good.toml"), "text = { fg = \"white\" }\n").unwrap();
    for (name, text, words) in [
        ("colour", "text = { fg = \"chartreuse\" }\n", "chartreuse"),
        (
            "meaning",
            "text = { fg = \"red\" }\nsparkle = { fg = \"red\" }\n",
            "sparkle",
        ),
        ("notext", "muted = { fg = \"red\" }\n", "text"),
        ("broken", "text = {\n", "broken"),
        ("flag", "text = { bold = \"yes\" }\n", "true or false"),
    ] {
        let file = dir.join("themes").join(format!("{name}.toml"));
        std::fs::write(&file, text).unwrap();
        let (themes, errors) = shiguang::desk::load_themes(Some(&dir));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(words), "{name}: {errors:?}");
        assert_eq!(errors[0].lines().count(), 1, "{errors:?}");
        assert!(!themes.iter().any(|t| t.name == name), "{name} was used");
        assert!(themes.iter().any(|t| t.name == "good"));
        assert!(themes.iter().any(|t| t.name == "default"));
        // --theme with the file's path: refused with the reason (the desk
        // then says so and uses the default theme)
        let e = Theme::load(file.to_str().unwrap(), None).unwrap_err();
        assert!(matches!(e, ThemeError::Invalid { .. }), "{e}");
        std::fs::remove_file(&file).unwrap();
    }
    assert_eq!(
        Theme::load("no-such-theme", Some(&dir.join("themes"))).unwrap_err(),
        ThemeError::NotFound("no-such-theme".into())
    );
}
