//! LEGACY — [`execute`]: one arm per [`DbCommand`].

use super::{Data, DbCommand, ExportWhat};
use crate::domain::search::SearchIndex;
use crate::i18n::Tr;
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
                settings: store.settings().clone(),
                session,
            })
        }
        C::SignIn { staff_no, pin, at } => store.sign_in(&staff_no, &pin, at).map(Data::Session),
        C::ListStaff => store.list_staff().map(Data::Staff),
        C::AddStaff {
            by,
            name,
            role,
            pin,
            at,
        } => store
            .add_staff(&by, &name, role, &pin, at)
            .map(Data::Session),
        C::ResetPin {
            by,
            staff_id,
            pin,
            at,
        } => done(store.reset_pin(&by, staff_id, &pin, at)),
        C::SetStaffActive {
            by,
            staff_id,
            active,
            at,
        } => done(store.set_staff_active(&by, staff_id, active, at)),
        C::SetSetting { by, key, value, at } => {
            store.set_setting(&by, &key, value, at)?;
            Ok(Data::Settings(store.settings().clone()))
        }
        C::AddServiceType {
            by,
            name_zh,
            name_en,
            tier,
            at,
        } => {
            store.add_service_type(&by, &name_zh, &name_en, tier, at)?;
            store.service_types().map(Data::Catalog)
        }
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
        C::ReviewList => store.review_list().map(Data::Members),
        C::LevelPreview { at } => store.level_preview(at, false).map(Data::Levels),
        C::TrustTop { at } => {
            let tz = store.tz();
            store
                .trust_top(crate::domain::time::local_day(at, tz), 10)
                .map(Data::Trust)
        }
        C::Blacklist => store.blacklist().map(Data::Notice),
        C::MemberDetail { member_id, at } => store
            .member_detail(member_id, at)
            .map(|d| Data::Detail(Box::new(d))),
        C::Register { by, member: m, at } => member(store.register_member(&by, &m, at)),
        C::Approve {
            by,
            member_id,
            note,
            at,
        } => member(store.approve_member(&by, member_id, &note, at)),
        C::Reject {
            by,
            member_id,
            reason,
            at,
        } => member(store.reject_member(&by, member_id, &reason, at)),
        C::Notified {
            by,
            member_id,
            note,
            at,
        } => member(store.record_notification(&by, member_id, &note, at)),
        C::IssueCard {
            by,
            member_id,
            serial,
            reason,
            at,
        } => done(store.issue_card(&by, member_id, &serial, reason.as_deref(), at)),
        C::RegisterHeir {
            by,
            member_id,
            name,
            relation,
            phone,
            at,
        } => done(store.register_heir(&by, member_id, &name, &relation, &phone, at)),
        C::AddViolation {
            by,
            member_id,
            severity,
            reason,
            at,
        } => done(store.add_violation(&by, member_id, severity, &reason, at)),
        C::RunLevels { by, at } => store.run_monthly_levels(Some(&by), at).map(Data::Count),
        C::RunLevelsIfDue { at } => match store.level_run_due(at)? {
            Some(_) => store.run_monthly_levels(None, at).map(Data::Count),
            None => Ok(Data::Count(0)),
        },
        C::Export { what, lang, at } => {
            let tr = Tr::new(lang);
            let path = match what {
                ExportWhat::Card { member_id } => crate::exports::card(store, &tr, member_id, at),
                ExportWhat::Blacklist => crate::exports::blacklist(store, &tr, at),
                ExportWhat::TrustTop => crate::exports::trust_top(store, &tr, at),
                ExportWhat::DisputeForm { id } => crate::exports::dispute_form(store, &tr, id, at),
                ExportWhat::Improvements => crate::exports::improvements(store, &tr, at),
                ExportWhat::MerchantNotice { id } => {
                    crate::exports::merchant_notice(store, &tr, id, at)
                }
            };
            path.map(Data::Exported)
                .map_err(|m| StoreError::Refused(crate::msg::Refusal::general(m)))
        }
        C::Disputes { since } => store.disputes(since).map(Data::Disputes),
        C::DisputeDetail { id } => {
            let d = store.dispute(id)?;
            Ok(Data::DisputeDetail(Box::new((
                d,
                store.dispute_contacts(id)?,
            ))))
        }
        C::OpenDispute { by, dispute, at } => store
            .open_dispute(&by, &dispute, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::DisputeContact {
            by,
            id,
            party,
            how,
            said,
            at,
        } => store
            .dispute_contact(&by, id, &party, &how, &said, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::DisputeSafety {
            by,
            id,
            review,
            text,
            at,
        } => store
            .dispute_safety(&by, id, review, &text, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::Decide {
            by,
            id,
            decision,
            at,
        } => store
            .decide_dispute(&by, id, &decision, at)
            .map(|(d, _)| Data::Dispute(Box::new(d))),
        C::Tell { by, id, how, at } => store
            .tell_parties(&by, id, &how, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::ReplySuggestion { by, id, reply, at } => store
            .reply_suggestion(&by, id, &reply, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::PartyRecords { a, b } => store.records_of_pair(a, b, 10).map(Data::Records),
        C::Day { at, day } => store.day_info(at, day).map(|d| Data::Day(Box::new(d))),
        C::OpenDay { by, checks, at } => {
            store.open_day(&by, &checks, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::Midday { by, staff_id, at } => {
            store.midday_duty(&by, staff_id, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::Replenished { by, id, at } => {
            store.replenished(&by, id, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::CloseDay {
            by,
            day,
            story,
            docs_locked,
            at,
        } => store
            .close_day(Some(&by), day, &story, docs_locked, at)
            .map(|c| Data::Closed(Box::new(c))),
        C::ReopenDay {
            by,
            day,
            reason,
            at,
        } => {
            store.reopen_day(&by, day, &reason, at)?;
            store
                .day_info(at, Some(day))
                .map(|d| Data::Day(Box::new(d)))
        }
        C::SaveChecklistItem { by, id, item, at } => {
            store.save_checklist_item(&by, id, &item, at)?;
            store.checklist().map(Data::Checklist)
        }
        C::Checklist => store.checklist().map(Data::Checklist),
        C::Merchants => store.merchants().map(Data::Merchants),
        C::MerchantDetail { id, at } => store
            .merchant_detail(id, at)
            .map(|d| Data::MerchantDetail(Box::new(d))),
        C::Merchant { by, id, change, at } => {
            let id = change.apply(store, &by, id, at)?;
            store
                .merchant_detail(id, at)
                .map(|d| Data::MerchantDetail(Box::new(d)))
        }
        C::Redeem { by, redemption, at } => store.redeem(&by, &redemption, at).map(Data::Redeemed),
        C::ImportRedemptions {
            by,
            merchant_id,
            path,
            valid_only,
            at,
        } => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                StoreError::Refused(crate::msg::Refusal::at(
                    "file",
                    crate::msg!("import.unreadable", path = path.display(), why = e),
                ))
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            store
                .import_redemptions(&by, merchant_id, &name, &text, valid_only, at)
                .map(|r| Data::Imported(Box::new(r)))
        }
        C::Settle { by, lang, at } => store
            .settle_month(&by, at, &Tr::new(lang))
            .map(|s| Data::Settled(Box::new(s))),
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
        C::SyncHq => Ok(Data::HqSync(Box::new(crate::hq::sync::after_close(store)))),
        C::RevealPhones { by, member_id, at } => {
            store.reveal_phones(&by, member_id, at).map(Data::Revealed)
        }
    }
}
