//! Help, confirmation dialogs and the offer to restore drafts.

use super::action::Command;
use super::state::*;
use super::{App, Pending};
use crate::worker::DbCommand;

impl App {
    pub(super) fn overlay_command(&mut self, cmd: Command) {
        let Some(overlay) = self.state.overlay.take() else {
            return;
        };
        match overlay {
            Overlay::Help { scroll } => match cmd {
                Command::Up => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                Command::Down => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_add(1),
                    })
                }
                Command::Cancel => {}
                _ => self.state.overlay = Some(Overlay::Help { scroll }),
            },
            Overlay::Confirm(c) => match cmd {
                Command::Yes => self.confirmed(c.on_yes),
                Command::No => {}
                _ => self.state.overlay = Some(Overlay::Confirm(c)),
            },
            Overlay::Drafts(drafts) => match cmd {
                Command::Yes => {
                    for d in &drafts {
                        self.restore_draft(&d.form, &d.data);
                    }
                }
                Command::No => {
                    if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
                        for d in drafts {
                            self.db(
                                DbCommand::DropDraft {
                                    staff_id,
                                    form: d.form,
                                },
                                Pending::Quiet,
                            );
                        }
                    }
                }
                _ => self.state.overlay = Some(Overlay::Drafts(drafts)),
            },
            Overlay::NewFile(path) => match cmd {
                // the first-run setup below creates the file when it is saved
                Command::Yes => {}
                Command::No | Command::Quit => self.quit_now(),
                _ => self.state.overlay = Some(Overlay::NewFile(path)),
            },
            // search keys are handled by `search_command`
            o @ Overlay::Search(_) => self.state.overlay = Some(o),
        }
    }

    fn confirmed(&mut self, action: ConfirmAction) {
        match action {
            ConfirmAction::Quit => self.quit_now(),
            ConfirmAction::DiscardForm => self.discard_form(),
            ConfirmAction::Pane(msg) => self.deliver(msg),
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
}
