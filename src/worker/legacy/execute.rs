//! LEGACY — [`execute`]: one arm per [`DbCommand`].

use super::{Data, DbCommand};
use crate::domain::search::SearchIndex;
use crate::store::members::MemberRow;
use crate::store::{Store, StoreError};

fn done<T>(r: Result<T, StoreError>) -> Result<Data, StoreError> {
    r.map(|_| Data::Done)
}

fn member(r: Result<MemberRow, StoreError>) -> Result<Data, StoreError> {
    r.map(|m| Data::Member(Box::new(m)))
}

/// Run one command against the store.
///
/// Over 80 lines on purpose: one short arm per legacy command, read as a
/// table; it shrinks to nothing as the panes move to typed requests.
pub fn execute(store: &mut Store, cmd: DbCommand) -> Result<Data, StoreError> {
    use DbCommand as C;
    match cmd {
        C::CreateStation {
            station,
            master,
            pin,
            at,
        } => {
            let session = store.create_station(&station, &master, &pin, at)?;
            let station = store
                .station()
                .cloned()
                .ok_or_else(|| StoreError::Other("station row missing".into()))?;
            Ok(Data::Station {
                station,
                settings: Box::new(store.settings().clone()),
                session,
            })
        }
        C::SignIn { staff_no, pin, at } => store.sign_in(&staff_no, &pin, at).map(Data::Session),
        C::SaveDraft {
            staff_id,
            form,
            data,
            at,
        } => done(store.save_draft(staff_id, &form, &data, at)),
        C::DropDraft { staff_id, form } => done(store.drop_draft(staff_id, &form)),
        C::LoadDrafts { staff_id } => store.drafts(staff_id).map(Data::Drafts),
        C::Header { at } => store.header_counts(at).map(Data::Header),
        C::LoadIndex => Ok(Data::Index(Box::new(SearchIndex::build(
            store.search_entries()?,
        )))),
        C::LoadIndexEntry { member_id } => store.search_entry(member_id).map(Data::IndexEntry),
        C::LoadCatalog => store.service_types().map(Data::Catalog),
        C::ResolvePayload { payload } => member(store.resolve_payload(&payload)),
        C::RunLevelsIfDue { at } => match store.level_run_due(at)? {
            Some(_) => store.run_monthly_levels(None, at).map(Data::Count),
            None => Ok(Data::Count(0)),
        },
        C::WarmHelpers => store.warm_helpers().map(|()| Data::Count(0)),
        C::IntegrityCheck => match store.startup_check() {
            Ok(()) => Ok(Data::Count(0)),
            Err(why) => {
                // writes on this store are refused from now on (the desk's
                // own store has the same gate, set by the check thread)
                let gate = crate::store::gate::Gate::new();
                gate.set(crate::store::gate::Check::Failed(why.clone()));
                store.set_gate(gate);
                Err(StoreError::Damaged(why))
            }
        },
        C::ClockBackwards { by, from, to } => store
            .write(|tx| {
                crate::store::audit::log(
                    tx,
                    to,
                    by,
                    "clock.backwards",
                    "station",
                    1,
                    serde_json::json!({"from": from, "to": to, "back_ms": from - to}),
                )
            })
            .map(|_| Data::Done),
        C::RecoveryOffer { why } => Ok(Data::Offer(crate::store::recovery::offer(
            store.path(),
            &why,
        ))),
        C::RevealPhones { by, member_id, at } => {
            store.reveal_phones(&by, member_id, at).map(Data::Revealed)
        }
    }
}
