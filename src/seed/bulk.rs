//! Bulk synthetic history: members, services and their transfers, fast
//! enough for 100,000 members and 1,000,000 transfers in minutes.
//!
//! Every row is what the desk itself would have written — member numbers
//! from the community sequence, records that pass the rules, transfers on
//! the hash chain, balances by the same trigger, an audit row per record —
//! in batches of one transaction each, so a seed killed midway leaves a
//! database that `verify` accepts.

use crate::domain::ledger::TransferRow;
use crate::domain::member::{IdKind, identity_hash, mask_identity};
use crate::domain::record::{ConfirmMethod, Payer, RecordInput};
use crate::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use crate::domain::units::{Minutes, points_for};
use crate::store::{Store, StoreError, StoreResult, audit, covers, new_uid};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

const BATCH: usize = 20_000;

/// A member the generator can use in services.
#[derive(Debug, Clone)]
struct Member {
    id: i64,
    account: i64,
    code: String,
    joined: Stamp,
    /// No record of theirs may start before this (no overlaps).
    busy_until: Stamp,
}

pub struct Seeder<'a> {
    store: &'a mut Store,
    rng: StdRng,
    staff_id: i64,
    staff_no: String,
    members: Vec<Member>,
    balances: std::collections::HashMap<i64, i64>,
    head: String,
    /// Share of 4–5 ratings per provider (default 95 %).
    quality: std::collections::HashMap<i64, u32>,
}

/// How much of each kind a run added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    pub members: u64,
    pub records: u64,
    pub transfers: u64,
}

impl<'a> Seeder<'a> {
    /// A seeder adding to `store` as the staff member `staff_id`.
    pub fn new(store: &'a mut Store, seed: u64, staff_id: i64) -> StoreResult<Seeder<'a>> {
        let staff_no: String = store.conn.query_row(
            "SELECT staff_no FROM staff WHERE id = ?1",
            [staff_id],
            |r| r.get(0),
        )?;
        let head = crate::store::ledger::head(&store.conn)?.1;
        let mut members = Vec::new();
        {
            let mut stmt = store.conn.prepare(NEW_SELECT_SERVICE_RECORDS)?;
            for row in stmt.query_map([], |r| {
                Ok(Member {
                    id: r.get(0)?,
                    account: r.get(1)?,
                    code: r.get(2)?,
                    joined: r.get(3)?,
                    busy_until: r.get(4)?,
                })
            })? {
                members.push(row?);
            }
        }
        let mut balances = std::collections::HashMap::new();
        {
            let mut stmt = store.conn.prepare("SELECT id, balance FROM accounts")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (a, b) = row?;
                balances.insert(a, b);
            }
        }
        // Seeding is one long batch job on a file nobody else uses yet: a lost
        // batch is simply not there, so per-commit fsync is not needed here.
        store.conn.pragma_update(None, "synchronous", "NORMAL")?;
        members.sort_by_key(|m| m.joined);
        Ok(Seeder {
            store,
            rng: StdRng::seed_from_u64(seed),
            staff_id,
            staff_no,
            members,
            balances,
            head,
            quality: Default::default(),
        })
    }

    /// Make `member_id` a better (or worse) helper: `pct` of their ratings 4 or 5.
    pub fn set_quality(&mut self, member_id: i64, pct: u32) {
        self.quality.insert(member_id, pct.min(100));
    }

    /// Ids of the members the generator knows (approved, not blacklisted).
    pub fn member_ids(&self) -> Vec<i64> {
        self.members.iter().map(|m| m.id).collect()
    }

    /// `n` approved members, joined at random instants in [from, to).
    pub fn add_members(&mut self, n: u64, from: Stamp, to: Stamp) -> StoreResult<u64> {
        // Long because: one batch transaction per turn of the loop with its prepared inserts (member, account, services), sequence and audit row; the order of the rng draws fixes the seeded data, so the steps stay together.
        let key = self
            .store
            .secret
            .ok_or_else(|| StoreError::Other("station key missing".into()))?;
        let station = self
            .store
            .station()
            .cloned()
            .ok_or_else(|| StoreError::Other("no station".into()))?;
        let mut done = 0;
        while done < n {
            let batch = (n - done).min(BATCH as u64);
            let tx = self.store.conn.transaction()?;
            let mut next: i64 = tx
                .query_row(
                    "SELECT last FROM member_seq WHERE street = ?1 AND community = ?2",
                    params![station.street, station.community],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            // identity numbers continue from the highest member id, so reruns add new people
            let mut person: u64 =
                tx.query_row("SELECT coalesce(max(id), 0) FROM members", [], |r| {
                    r.get::<_, i64>(0)
                })? as u64
                    + 1_000;
            let mut joined: Vec<Stamp> = (0..batch)
                .map(|_| self.rng.random_range(from..to.max(from + 1)))
                .collect();
            joined.sort_unstable();
            // the batch's audit row carries the time of its first change:
            // headquarters reads changed members by the audit times it gets
            let first = joined.first().copied().unwrap_or(to);
            let mut added = Vec::with_capacity(batch as usize);
            {
                let mut ins = tx.prepare_cached(ADD_MEMBERS_INSERT_MEMBERS)?;
                let mut acct = tx.prepare_cached(ADD_MEMBERS_INSERT_ACCOUNTS)?;
                let mut svc = tx.prepare_cached(ADD_MEMBERS_INSERT_MEMBER_SERVICES)?;
                for at in joined {
                    next += 1;
                    person += 1;
                    let number = format!("{}{}-{next:04}", station.street, station.community);
                    let idn = super::names::id_number(person);
                    let name = super::names::name(&mut self.rng);
                    let building = super::names::building(&mut self.rng);
                    let proof = ["property", "rent", "other"][self.rng.random_range(0..3)];
                    ins.execute(params![
                        new_uid(at),
                        number,
                        name,
                        super::names::phone(person),
                        identity_hash(&key, IdKind::IdCard, &idn),
                        mask_identity(&idn),
                        proof,
                        station.street,
                        station.community,
                        building,
                        super::names::name(&mut self.rng),
                        super::names::phone(person + 5_000_000),
                        at - 2 * HOUR_MS,
                        self.staff_id,
                        at,
                    ])?;
                    let id = tx.last_insert_rowid();
                    let code = format!("m:{number}");
                    acct.execute(params![code, id, at])?;
                    let account = tx.last_insert_rowid();
                    svc.execute(params![id, self.rng.random_range(1..=3)])?;
                    self.balances.insert(account, 0);
                    added.push(Member {
                        id,
                        account,
                        code,
                        joined: at,
                        busy_until: at,
                    });
                }
            }
            tx.execute(
                ADD_MEMBERS_INSERT_MEMBER_SEQ,
                params![station.street, station.community, next],
            )?;
            audit::log(
                &tx,
                first,
                Some(self.staff_id),
                "seed.members",
                "member",
                next,
                json!({"added": batch}),
            )?;
            audit::seal(&tx)?;
            tx.commit()?;
            self.members.extend(added);
            self.members.sort_by_key(|m| m.joined);
            done += batch;
        }
        Ok(done)
    }

    /// `n` services in [from, to), in time order: random provider and
    /// recipient among members who had joined, 30–120 minutes, basic types,
    /// no overlaps, the recipient paying when they can (else the pool).
    pub fn add_records(&mut self, n: u64, from: Stamp, to: Stamp) -> StoreResult<Added> {
        self.add_records_by(None, &[30, 45, 60, 60, 90, 120], n, from, to)
    }

    /// Like [`Seeder::add_records`], with the providers drawn from
    /// `providers` (if given) and durations from `minutes`.
    pub fn add_records_by(
        &mut self,
        providers: Option<&[i64]>,
        minutes_choices: &[u32],
        n: u64,
        from: Stamp,
        to: Stamp,
    ) -> StoreResult<Added> {
        // Long because: one batch transaction per turn of the loop with its prepared statements, records, transfers and audit rows; the order of the rng draws fixes the seeded data, so the steps stay together.
        let pph = self.store.settings().points_per_hour;
        let mut added = Added::default();
        if self.members.len() < 2 || to <= from {
            return Ok(added);
        }
        let span = (to - from) as f64;
        let mut k = 0u64;
        while k < n {
            let batch = (n - k).min(BATCH as u64);
            let tx = self.store.conn.transaction()?;
            {
                let mut rec = tx.prepare_cached(ADD_RECORDS_BY_INSERT_SERVICE_RECORDS)?;
                let mut tr = tx.prepare_cached(ADD_RECORDS_BY_INSERT_TRANSFERS)?;
                let mut stats = tx.prepare_cached(ADD_RECORDS_BY_UPDATE_MEMBERS)?;
                let mut au = tx.prepare_cached(ADD_RECORDS_BY_INSERT_AUDIT_LOG)?;
                // each record's audit row covers it, as the desk's does
                let mut cover = tx.prepare_cached(ADD_RECORDS_BY_INSERT_AUDIT_COVERS)?;
                let record_spec = covers::spec_of("record").expect("records are covered");
                let (mut audit_seq, mut audit_head) = audit::head_seq(&tx)?;
                for i in 0..batch {
                    // evenly spread with jitter, so time order holds
                    let base = from + ((k + i) as f64 / n as f64 * span) as i64;
                    let start = (base + self.rng.random_range(0..MINUTE_MS * 30))
                        .min(to - 3 * HOUR_MS)
                        .max(from);
                    let minutes: u32 =
                        minutes_choices[self.rng.random_range(0..minutes_choices.len())];
                    let eligible = self.members.partition_point(|m| m.joined <= start);
                    if eligible < 2 {
                        continue;
                    }
                    let p = match providers {
                        Some(list) if !list.is_empty() => {
                            let want = list[self.rng.random_range(0..list.len())];
                            match self.members[..eligible].iter().position(|m| m.id == want) {
                                Some(p) => p,
                                None => continue,
                            }
                        }
                        _ => self.rng.random_range(0..eligible),
                    };
                    let mut q = self.rng.random_range(0..eligible - 1);
                    if q >= p {
                        q += 1;
                    }
                    let start = start.max(self.members[p].busy_until);
                    let end = start + i64::from(minutes) * MINUTE_MS;
                    if end >= to {
                        continue;
                    }
                    self.members[p].busy_until = end + 15 * MINUTE_MS;
                    let points = points_for(Minutes(minutes), pph).0;
                    let (provider, recipient) = (&self.members[p], &self.members[q]);
                    let welfare = self.rng.random_bool(0.3);
                    let payer_balance = self.balances.get(&recipient.account).copied().unwrap_or(0);
                    let (payer, debit, debit_code) = if !welfare && payer_balance >= points {
                        (Payer::Recipient, recipient.account, recipient.code.clone())
                    } else {
                        (Payer::Pool, crate::store::ledger::POOL, "pool".to_string())
                    };
                    let online = self.rng.random_bool(0.25);
                    let good = self.quality.get(&provider.id).copied().unwrap_or(95);
                    let roll = self.rng.random_range(0..100u32);
                    let rating: u8 = if roll < good * 85 / 100 {
                        5
                    } else if roll < good {
                        4
                    } else if roll < good + (100 - good) * 3 / 4 {
                        3
                    } else {
                        2
                    };
                    let input = RecordInput {
                        uid: new_uid(end),
                        request_id: None,
                        provider: provider.id,
                        recipient: recipient.id,
                        type_id: self.rng.random_range(1..=3),
                        started_at: start,
                        ended_at: end,
                        minutes,
                        payer,
                        method: if online {
                            ConfirmMethod::Online
                        } else {
                            ConfirmMethod::Desk
                        },
                        book_page: (!online).then(|| self.rng.random_range(1..400).to_string()),
                        photo_ref: online
                            .then(|| format!("IMG_{}", self.rng.random_range(1000..9999))),
                        recipient_confirmed: online,
                        rating: Some(rating),
                        notes: None,
                        late_reason: None,
                    };
                    let entered = end + self.rng.random_range(10..180) * MINUTE_MS;
                    rec.execute(params![
                        input.uid,
                        input.content_hash(),
                        input.provider,
                        input.recipient,
                        input.type_id,
                        start,
                        end,
                        minutes,
                        payer.as_str(),
                        points,
                        input.method.as_str(),
                        input.book_page,
                        input.photo_ref,
                        rating,
                        entered,
                        self.staff_id
                    ])?;
                    let record_id = tx.last_insert_rowid();
                    stats.execute(params![rating, minutes, provider.id])?;
                    let row = TransferRow {
                        id: new_uid(entered),
                        kind: "service".into(),
                        amount: points,
                        debit: debit_code,
                        credit: provider.code.clone(),
                        record_uid: Some(input.uid.clone()),
                        source: None,
                        reverses: None,
                        idem_key: Some(format!("record:{}", input.uid)),
                        staff: Some(self.staff_no.clone()),
                        approved_by: None,
                        at: entered,
                        memo: None,
                    };
                    let hash = row.hash(&self.head);
                    tr.execute(params![
                        row.id,
                        points,
                        debit,
                        provider.account,
                        record_id,
                        row.idem_key,
                        self.staff_id,
                        entered,
                        self.head,
                        hash
                    ])?;
                    self.head = hash;
                    *self.balances.entry(debit).or_default() -= points;
                    *self.balances.entry(provider.account).or_default() += points;
                    audit_seq += 1;
                    let content = covers::content_now(&tx, record_spec, &record_id.into())?
                        .ok_or_else(|| {
                            StoreError::Other("the record just written is gone".into())
                        })?;
                    cover.execute(params![record_id, audit_seq, &content[..]])?;
                    let mut digest = covers::Digest::new();
                    digest.add(
                        "record",
                        rusqlite::types::ValueRef::Integer(record_id),
                        &content,
                    );
                    let arow = audit::AuditRow {
                        uid: new_uid(entered),
                        at: entered,
                        staff_id: Some(self.staff_id),
                        action: "record.post".into(),
                        entity: "service_record".into(),
                        entity_id: Some(record_id.to_string()),
                        detail: covers::with_digest(
                            &json!({"uid": input.uid, "points": points, "transfer": row.id, "seed": true}),
                            Some(&digest.hex()),
                        ),
                    };
                    let ahash = arow.hash(&audit_head);
                    au.execute(params![
                        audit_seq,
                        arow.uid,
                        arow.at,
                        arow.staff_id,
                        record_id.to_string(),
                        arow.detail,
                        audit_head,
                        ahash
                    ])?;
                    audit_head = ahash;
                    added.records += 1;
                    added.transfers += 1;
                }
            }
            // every record is covered by its own audit row above
            tx.execute("DELETE FROM temp.cover_pending WHERE entity = 'record'", [])?;
            audit::seal(&tx)?;
            tx.commit()?;
            k += batch;
        }
        Ok(added)
    }
}

impl Drop for Seeder<'_> {
    fn drop(&mut self) {
        let _ = self.store.conn.pragma_update(None, "synchronous", "FULL");
    }
}

/// Days back from `now` as a [from, to) range ending an hour before now.
pub fn window(now: Stamp, days: i64) -> (Stamp, Stamp) {
    (now - days * DAY_MS, now - HOUR_MS)
}
