//! Drafts: every form typed into is kept (each tick, on locking and on
//! quitting) in its draft slot; at sign-in the staff member is offered
//! back what they left, each form reopened in its pane, or dropped.

use crate::app::App;
use crate::app::pane::RestoreCtx;
use crate::app::state::*;
use crate::store::StoreResult;
use crate::store::drafts::Draft;
use crate::worker::session::{DropDraft, SaveDraft};

impl App {
    /// Save forms typed into since their last save (every tick, and on quit).
    pub(in crate::app) fn save_drafts(&mut self) {
        let Screen::Desk(d) = &mut self.state.screen else {
            return;
        };
        let staff_id = d.session.staff_id;
        let at = self.state.now;
        let saves: Vec<_> = d
            .all_forms_mut()
            .into_iter()
            .filter_map(|p| p.unsaved_draft())
            .collect();
        for (form, data) in saves {
            let form = form.to_string();
            self.ask_quietly(SaveDraft {
                staff_id,
                form,
                data,
                at,
            });
        }
    }

    /// The form kept in draft slot `form` is done with.
    pub(in crate::app) fn drop_draft(&mut self, form: &str) {
        if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
            let form = form.to_string();
            self.ask_quietly(DropDraft { staff_id, form });
        }
    }

    /// The drafts left at sign-in: offered back, if there are any.
    pub(in crate::app) fn drafts_read(&mut self, drafts: StoreResult<Vec<Draft>>) {
        match drafts {
            Ok(d) if !d.is_empty() => self.state.overlay = Some(Overlay::Drafts(d)),
            // nothing left to offer
            Ok(_) => {}
            // not said, as before issue 18's move (listed for issue 16):
            // the drafts stay in the file and are offered at the next
            // sign-in
            Err(_) => {}
        }
    }

    /// "Yes": each draft reopened in its pane.
    pub(super) fn restore_drafts(&mut self, drafts: &[Draft]) {
        for d in drafts {
            self.restore_draft(&d.form, &d.data);
        }
    }

    /// "No": the drafts go.
    pub(super) fn drop_drafts(&mut self, drafts: Vec<Draft>) {
        for d in drafts {
            self.drop_draft(&d.form);
        }
    }

    /// Reopen a saved form from its draft, in its pane.
    fn restore_draft(&mut self, form: &str, data: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else {
            return;
        };
        let ctx = self.restore_ctx();
        let Some(d) = self.desk_mut() else { return };
        for pane in Pane::AVAILABLE {
            if d.forms_mut(*pane).restore(form, &value, &ctx) {
                d.pane = *pane;
                break;
            }
        }
    }

    /// What a form rebuilt from a draft needs.
    fn restore_ctx(&self) -> RestoreCtx {
        let (community, main_station) = self
            .state
            .station
            .as_ref()
            .map(|s| {
                (
                    s.community.clone(),
                    s.kind == crate::domain::station::StationKind::Main,
                )
            })
            .unwrap_or_default();
        RestoreCtx {
            catalog: crate::app::cx::catalog_choices(&self.state.catalog, self.state.tr.lang),
            community,
            main_station,
            today: crate::domain::time::local_day(self.state.now, self.state.tz()).to_string(),
        }
    }
}
