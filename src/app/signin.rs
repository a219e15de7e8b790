//! First-run setup, sign-in and the idle lock.

use super::form::{Choice, Field, Form};
use super::state::*;
use super::{App, Pending};
use crate::domain::staff::{self, PIN_MAX};
use crate::domain::station::{self, DEFAULT_TZ, StationKind};
use crate::msg;
use crate::msg::Refusal;
use crate::store::station::NewStation;
use crate::worker::{Data, DbCommand, Reply};

pub(super) fn setup_screen() -> SetupScreen {
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

pub(super) fn signin_screen(locked_for: Option<crate::domain::staff::Session>) -> SignInScreen {
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

impl App {
    pub(super) fn submit_setup(&mut self) {
        let Screen::Setup(s) = &mut self.state.screen else {
            return;
        };
        match validate_setup(&s.form) {
            Err(errs) => s.form.show_refusals(&errs),
            Ok((station, master, pin)) => {
                s.form.clear_errors();
                let at = self.state.now;
                let id = self.db(
                    DbCommand::CreateStation {
                        station,
                        master,
                        pin,
                        at,
                    },
                    Pending::Setup,
                );
                if let Screen::Setup(s) = &mut self.state.screen {
                    s.form.busy = Some(id);
                }
            }
        }
    }

    pub(super) fn setup_reply(&mut self, reply: Reply) {
        match reply.result {
            Ok(Data::Station {
                station,
                settings,
                session,
            }) => {
                self.state.station = Some(station);
                self.apply_settings(*settings);
                self.state.screen =
                    Screen::Desk(Box::new(Desk::new(session.clone(), self.state.now)));
                self.notify(
                    NoticeKind::Ok,
                    msg!("setup.done", staff_no = &session.staff_no),
                );
                self.entered_desk(&session);
            }
            Ok(_) => {}
            Err(e) => {
                if let Screen::Setup(s) = &mut self.state.screen {
                    s.form.busy = None;
                    s.form.show_refusals(&[Refusal {
                        field: e.field(),
                        msg: e.msg(),
                    }]);
                }
            }
        }
    }

    fn signin_form(&mut self) -> Option<&mut SignInScreen> {
        match &mut self.state.screen {
            Screen::SignIn(s) => Some(s),
            Screen::Desk(d) => d.lock.as_mut(),
            Screen::Setup(_) => None,
        }
    }

    pub(super) fn submit_signin(&mut self) {
        let at = self.state.now;
        let Some(s) = self.signin_form() else { return };
        let staff_no = s.form.value("staff_no").trim().to_string();
        let pin = s.form.value("pin").to_string();
        let mut errs = Vec::new();
        if staff_no.is_empty() {
            errs.push(Refusal::at("staff_no", msg!("signin.staff_no.empty")));
        }
        if pin.is_empty() {
            errs.push(Refusal::at("pin", msg!("signin.pin.empty")));
        }
        if !errs.is_empty() {
            s.form.show_refusals(&errs);
            return;
        }
        s.form.clear_errors();
        let id = self.db(DbCommand::SignIn { staff_no, pin, at }, Pending::SignIn);
        if let Some(s) = self.signin_form() {
            s.form.busy = Some(id);
        }
    }

    pub(super) fn signin_reply(&mut self, reply: Reply) {
        match reply.result {
            Ok(Data::Session(session)) => {
                let now = self.state.now;
                let same = matches!(&self.state.screen, Screen::Desk(d) if d.session.staff_id == session.staff_id);
                if same {
                    // unlock: the desk stays as it was, forms and all
                    if let Some(d) = self.desk_mut() {
                        d.lock = None;
                        d.last_key_at = now;
                    }
                    self.refresh_header();
                } else {
                    self.state.screen = Screen::Desk(Box::new(Desk::new(session.clone(), now)));
                    self.notify(NoticeKind::Ok, msg!("signin.welcome", name = &session.name));
                    self.entered_desk(&session);
                }
            }
            Ok(_) => {}
            Err(e) => {
                if let Some(s) = self.signin_form() {
                    s.form.busy = None;
                    s.form.set("pin", "");
                    s.form.show_refusals(&[Refusal {
                        field: e.field(),
                        msg: e.msg(),
                    }]);
                }
            }
        }
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
            ("street", "js"),
            ("community", "1"),
            ("pin", "12"),
        ]))
        .unwrap_err();
        let fields: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(fields, vec!["street", "community", "pin"]);
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
