//! Helpers for a request: the eligible pool, one helper's check, and each contact logged with its outcome.

use super::*;

impl Store {
    /// Read every approved member into the helper pool now (after start,
    /// so the first match is as quick as the rest).
    pub fn warm_helpers(&self) -> StoreResult<()> {
        self.helpers.borrow_mut().refresh(&self.conn)
    }

    /// The eligible helpers for a request, best first (at most [`HELPERS_SHOWN`]).
    pub fn helpers(&self, id: i64, now: Stamp) -> StoreResult<(RequestRow, Vec<HelperRow>)> {
        let row = request(&self.conn, id)?;
        let (tier, ..) = tier_of(&self.conn, row.type_id)?;
        let need = Need {
            requester: row.requester_id.unwrap_or(0),
            tier,
            minutes: row.minutes,
        };
        // every approved member is a candidate: their facts are in memory,
        // the time-dependent ones (load, declines, bookings) come from the
        // few rows of the last weeks
        let (building, community) = requester_place(&self.conn, &row)?;
        let mut pool = self.helpers.borrow_mut();
        pool.refresh(&self.conn)?;
        // the few recent facts, by the pool's position of each member
        let r = recent(&self.conn, &row, now)?;
        let mut facts = vec![(0u32, false, false); pool.len()];
        for (id, n) in &r.load {
            if let Some(i) = pool.position(*id) {
                facts[i].0 = *n;
            }
        }
        for id in &r.declined {
            if let Some(i) = pool.position(*id) {
                facts[i].1 = true;
            }
        }
        for id in &r.booked {
            if let Some(i) = pool.position(*id) {
                facts[i].2 = true;
            }
        }
        let best = pool.best(
            &need,
            row.type_id,
            &building,
            &community,
            &facts,
            now,
            HELPERS_SHOWN,
        );
        let out = best
            .into_iter()
            .map(|(candidate, rank)| {
                let (number, name, building) = label(&self.conn, candidate.member_id)?;
                Ok(HelperRow {
                    candidate,
                    rank,
                    number,
                    name,
                    building,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok((row, out))
    }

    /// Why a member (found by search) is or is not eligible for a request.
    pub fn helper_check(&self, id: i64, member_id: i64, now: Stamp) -> StoreResult<Option<Msg>> {
        let row = request(&self.conn, id)?;
        let (tier, zh, en) = tier_of(&self.conn, row.type_id)?;
        let mut cands = candidates_where(&self.conn, &row, "m.id = ?5", &[&member_id], now)?;
        add_times(&self.conn, &row, &mut cands, now)?;
        let c = cands
            .pop()
            .ok_or_else(|| Refusal::general(msg!("member.unknown")))?;
        Ok(matching::ineligible(
            &c.0,
            &Need {
                requester: row.requester_id.unwrap_or(0),
                tier,
                minutes: row.minutes,
            },
            (&zh, &en),
        ))
    }

    /// Log a call to a helper. Accepted → the request is matched and the
    /// helper booked, if the rules allow and nobody matched it meanwhile.
    pub fn log_contact(
        &mut self,
        by: &Session,
        id: i64,
        helper: i64,
        outcome: Outcome,
        note: &str,
        at: Stamp,
    ) -> StoreResult<RequestRow> {
        let check = if outcome == Outcome::Accepted {
            self.helper_check(id, helper, at)?
        } else {
            None
        };
        self.write(|tx| {
            let row = request(tx, id)?;
            if !row.state.is_open() {
                return Err(Refusal::general(msg!("request.closed")).into());
            }
            if outcome == Outcome::Accepted {
                if matches!(row.state, State::Matched | State::InService) {
                    return Err(Refusal::general(msg!(
                        "request.already_matched",
                        helper = row.helper.clone().unwrap_or_default()
                    ))
                    .into());
                }
                if let Some(why) = &check {
                    return Err(Refusal::at("helper", why.clone()).into());
                }
                recipient_may_receive(tx, &row)?;
            }
            tx.execute(
                LOG_CONTACT_INSERT_CONTACTS,
                params![
                    id,
                    helper,
                    at,
                    by.staff_id,
                    outcome.as_str(),
                    Some(note.trim()).filter(|n| !n.is_empty())
                ],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "request.contact",
                "request",
                id,
                json!({"helper": helper, "outcome": outcome.as_str()}),
            )?;
            if let (Outcome::Accepted, Some(sv)) = (outcome, row.services) {
                let taken = super::settlement::take_service(tx, &row, sv, helper, by, at)?;
                return request(tx, taken);
            }
            if outcome == Outcome::Accepted {
                tx.execute(LOG_CONTACT_UPDATE_REQUESTS, params![helper, id])?;
                move_state(tx, &row, State::Matched, by, None, at)?;
            } else if row.state == State::New {
                // calling round for helpers is a response to the requester
                move_state(tx, &row, State::Responded, by, None, at)?;
            }
            request(tx, id)
        })
    }

    pub fn contacts(&self, id: i64) -> StoreResult<Vec<ContactRow>> {
        let mut stmt = self.conn.prepare_cached(CONTACTS_SELECT_CONTACTS)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(ContactRow {
                    helper_id: r.get(0)?,
                    helper: r.get(1)?,
                    at: r.get(2)?,
                    staff: r.get(3)?,
                    outcome: Outcome::parse(&r.get::<_, String>(4)?).unwrap_or(Outcome::NoAnswer),
                    note: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
