//! The forms of the first-run setup and of sign-in (also the idle lock),
//! and the parser of the setup form.

use crate::app::form::{Choice, Field, Form};
use crate::app::state::{SetupScreen, SignInScreen};
use crate::domain::staff::{self, PIN_MAX};
use crate::domain::station::{self, DEFAULT_TZ, StationKind};
use crate::msg;
use crate::msg::Refusal;
use crate::store::station::NewStation;

pub(in crate::app) fn setup_screen() -> SetupScreen {
    SetupScreen {
        form: Form::new(vec![
            Field::text("street", crate::k!("setup.street"), 2)
                .with_hint(crate::k!("setup.street.hint")),
            Field::text("community", crate::k!("setup.community"), 2)
                .with_hint(crate::k!("setup.community.hint")),
            Field::choice(
                "kind",
                crate::k!("setup.kind"),
                vec![
                    Choice::key("main", StationKind::Main.label_key()),
                    Choice::key("micro", StationKind::Micro.label_key()),
                ],
            ),
            Field::text("name", crate::k!("setup.name"), 40),
            Field::text("tz", crate::k!("setup.tz"), 40).with_value(DEFAULT_TZ),
            Field::text("master", crate::k!("setup.master"), 20),
            Field::secret("pin", crate::k!("setup.pin"), PIN_MAX + 4)
                .with_hint(crate::k!("setup.pin.hint")),
            Field::secret("pin2", crate::k!("setup.pin2"), PIN_MAX + 4),
        ]),
    }
}

pub(in crate::app) fn signin_screen(
    locked_for: Option<crate::domain::staff::Session>,
) -> SignInScreen {
    let mut form = Form::new(vec![
        Field::text("staff_no", crate::k!("signin.staff_no"), 8),
        Field::secret("pin", crate::k!("signin.pin"), PIN_MAX + 4),
    ]);
    if let Some(s) = &locked_for {
        form.set("staff_no", &s.staff_no);
        form.focus_on("pin");
    }
    SignInScreen { form, locked_for }
}

/// The staff number and PIN typed to sign in (or unlock): both needed.
/// Whether they are right is the store's to say.
pub(super) fn parse_signin(f: &Form) -> Result<(String, String), Vec<Refusal>> {
    let staff_no = crate::domain::staff::normalize_staff_no(f.value("staff_no"));
    let pin = f.value("pin").to_string();
    let mut errs = Vec::new();
    if staff_no.is_empty() {
        errs.push(Refusal::at("staff_no", msg!("signin.staff_no.empty")));
    }
    if pin.is_empty() {
        errs.push(Refusal::at("pin", msg!("signin.pin.empty")));
    }
    if errs.is_empty() {
        Ok((staff_no, pin))
    } else {
        Err(errs)
    }
}

/// Check every setup field; all problems at once.
pub(super) fn validate_setup(f: &Form) -> Result<(NewStation, String, String), Vec<Refusal>> {
    let mut errs = Vec::new();
    let street = station::parse_street_code(f.value("street"))
        .map_err(|e| errs.push(e))
        .ok();
    let community = station::parse_community_code(f.value("community"))
        .map_err(|e| errs.push(e))
        .ok();
    let kind = StationKind::parse(f.value("kind"));
    let name = station::parse_station_name(f.value("name"))
        .map_err(|e| errs.push(e))
        .ok();
    let tz = station::parse_time_zone(f.value("tz"))
        .map_err(|e| errs.push(e))
        .ok();
    let master = staff::parse_person_name("master", f.value("master"))
        .map_err(|e| errs.push(e))
        .ok();
    let pin = f.value("pin");
    if let Err(e) = staff::check_pin("pin", pin) {
        errs.push(e);
    } else if pin != f.value("pin2") {
        errs.push(Refusal::at("pin2", msg!("staff.pin.mismatch")));
    }
    match (street, community, kind, name, tz, master) {
        (Some(street), Some(community), Some(kind), Some(name), Some(tz), Some(master))
            if errs.is_empty() =>
        {
            Ok((
                NewStation {
                    street,
                    community,
                    kind,
                    name,
                    tz,
                },
                master,
                pin.to_string(),
            ))
        }
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(vals: &[(&str, &str)]) -> Form {
        let mut f = setup_screen().form;
        for (k, v) in [
            ("street", "JS"),
            ("community", "01"),
            ("name", "金山社区驿站"),
            ("master", "王站长"),
            ("pin", "4821"),
            ("pin2", "4821"),
        ] {
            f.set(k, v);
        }
        for (k, v) in vals {
            f.set(k, v);
        }
        f
    }

    #[test]
    fn a_good_setup_passes() {
        let (st, master, pin) = validate_setup(&filled(&[])).unwrap();
        assert_eq!(st.street, "JS");
        assert_eq!(st.tz, chrono_tz::Asia::Shanghai);
        assert_eq!(master, "王站长");
        assert_eq!(pin, "4821");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errs = validate_setup(&filled(&[
            ("street", "j1"),
            ("community", "1"),
            ("pin", "12"),
        ]))
        .unwrap_err();
        let fields: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(fields, vec!["street", "community", "pin"]);
    }

    #[test]
    fn signing_in_needs_a_staff_number_and_a_pin() {
        let mut f = signin_screen(None).form;
        let errs = parse_signin(&f).unwrap_err();
        let fields: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(fields, ["staff_no", "pin"]);
        f.set("staff_no", " 001 ");
        let errs = parse_signin(&f).unwrap_err();
        assert_eq!(errs[0].msg.key, "signin.pin.empty");
        f.set("pin", "4821");
        assert_eq!(parse_signin(&f).unwrap(), ("001".into(), "4821".into()));
    }

    #[test]
    fn the_lock_asks_only_for_the_pin_of_whoever_is_signed_in() {
        let s = crate::app::cx::testing::Desk::default().session;
        let lock = signin_screen(Some(s));
        assert_eq!(lock.form.value("staff_no"), "001");
        assert_eq!(lock.form.focused_name(), "pin");
    }

    #[test]
    fn pins_must_match() {
        let errs = validate_setup(&filled(&[("pin2", "4822")])).unwrap_err();
        assert_eq!(errs[0].field, Some("pin2"));
    }

    #[test]
    fn a_pin_everybody_tries_first_is_refused_at_setup() {
        let errs = validate_setup(&filled(&[("pin", "1234"), ("pin2", "1234")])).unwrap_err();
        assert_eq!(errs[0].field, Some("pin"));
        assert_eq!(errs[0].msg.key, "staff.pin.trivial");
    }
}
