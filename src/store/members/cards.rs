//! Time cards: issuing and voiding them, and resolving what a scanned card or number names.

use super::*;

impl Store {
    /// Issue a time card. If the member holds a valid card, it is voided in
    /// the same transaction — which needs a reason (lost, damaged).
    pub fn issue_card(
        &mut self,
        by: &Session,
        id: i64,
        serial: &str,
        replace_reason: Option<&str>,
        at: Stamp,
    ) -> StoreResult<Card> {
        let serial = member::parse_card_serial(serial)?;
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.status != MemberStatus::Approved {
                return Err(Refusal::general(msg!("card.not_approved")).into());
            }
            let taken: Option<i64> = tx
                .query_row(ISSUE_CARD_SELECT_CARDS, [&serial], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                return Err(Refusal::at("serial", msg!("card.serial.taken")).into());
            }
            let current: Option<String> = tx
                .query_row(ISSUE_CARD_SELECT_CARDS_2, [id], |r| r.get(0))
                .optional()?;
            if let Some(old) = &current {
                let reason = replace_reason.map(str::trim).filter(|r| !r.is_empty());
                let Some(reason) = reason else {
                    return Err(
                        Refusal::at("reason", msg!("card.reason_required", serial = old)).into(),
                    );
                };
                tx.execute(ISSUE_CARD_UPDATE_CARDS, params![at, reason, old])?;
                audit::log(
                    tx,
                    at,
                    Some(by.staff_id),
                    "card.void",
                    "card",
                    old,
                    json!({"member": id, "reason": reason}),
                )?;
            }
            tx.execute(
                ISSUE_CARD_INSERT_CARDS,
                params![id, serial, at, by.staff_id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "card.issue",
                "card",
                &serial,
                json!({"member": id, "number": row.number}),
            )?;
            Ok(Card {
                serial: serial.clone(),
                issued_at: at,
                voided_at: None,
                void_reason: None,
            })
        })
    }

    pub fn cards(&self, id: i64) -> StoreResult<Vec<Card>> {
        let mut stmt = self.conn.prepare(CARDS_SELECT_CARDS)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(Card {
                    serial: r.get(0)?,
                    issued_at: r.get(1)?,
                    voided_at: r.get(2)?,
                    void_reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The member a scanned (or typed) payload names. A voided card is refused.
    pub fn resolve_payload(&self, payload: &str) -> StoreResult<MemberRow> {
        let (number, serial) = member::parse_payload(payload)
            .ok_or_else(|| Refusal::general(msg!("scan.unreadable", text = payload.trim())))?;
        let number = number.to_string();
        let id: i64 = self
            .conn
            .query_row(RESOLVE_PAYLOAD_SELECT_MEMBERS, [&number], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Refusal::general(msg!("member.number_unknown", number = &number)))?;
        if let Some(serial) = serial {
            let card: Option<(i64, Option<Stamp>)> = self
                .conn
                .query_row(RESOLVE_PAYLOAD_SELECT_CARDS, [&serial], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            match card {
                None => return Err(Refusal::general(msg!("card.unknown", serial = serial)).into()),
                Some((owner, _)) if owner != id => {
                    return Err(Refusal::general(msg!("card.mismatch", serial = serial)).into());
                }
                Some((_, Some(_))) => {
                    return Err(Refusal::general(msg!(
                        "card.voided",
                        serial = serial,
                        number = number
                    ))
                    .into());
                }
                Some(_) => {}
            }
        }
        member_row(&self.conn, id)
    }
}
