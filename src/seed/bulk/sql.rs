//! The SQL of `bulk`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const NEW_SELECT_SERVICE_RECORDS: &str = "SELECT m.id, a.id, a.code, coalesce(m.decided_at, m.submitted_at),
                        coalesce((SELECT max(ended_at) FROM service_records r WHERE r.provider_id = m.id), 0)
                 FROM members m JOIN accounts a ON a.member_id = m.id
                 WHERE m.status = 'approved' AND m.blacklisted_at IS NULL";

pub(super) const ADD_MEMBERS_INSERT_MEMBERS: &str = "INSERT INTO members (uid, number, name, phone, id_kind, id_hash, id_masked, residence_proof, street, community,
                        building, emergency_name, emergency_phone, applicant_confirmed, channel, status, submitted_at, submitted_by,
                        decided_at, decided_by, notified_at, notified_by, level, level_since, updated_at, master_note)
                     VALUES (?1, ?2, ?3, ?4, 'id_card', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, 'desk', 'approved', ?13, ?14, ?15, ?14, ?15, ?14,
                        'ordinary', ?15, ?15, '系统导入')";

pub(super) const ADD_MEMBERS_INSERT_ACCOUNTS: &str =
    "INSERT INTO accounts (kind, code, member_id, created_at) VALUES ('member', ?1, ?2, ?3)";

pub(super) const ADD_MEMBERS_INSERT_MEMBER_SERVICES: &str =
    "INSERT INTO member_services (member_id, type_id, role) VALUES (?1, ?2, 'offer')";

pub(super) const ADD_MEMBERS_INSERT_MEMBER_SEQ: &str =
    "INSERT INTO member_seq (street, community, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT(street, community) DO UPDATE SET last = excluded.last";

pub(super) const ADD_RECORDS_BY_INSERT_SERVICE_RECORDS: &str = "INSERT INTO service_records (uid, content_hash, provider_id, recipient_id, type_id, started_at, ended_at, minutes,
                        payer, points, confirm_method, book_page, photo_ref, rating, entered_at, entered_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

pub(super) const ADD_RECORDS_BY_INSERT_TRANSFERS: &str = "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, record_id, idem_key, staff_id, at, prev_hash, hash)
                     VALUES (?1, 'service', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

pub(super) const ADD_RECORDS_BY_UPDATE_MEMBERS: &str =
    "UPDATE members SET stat_ratings = stat_ratings + 1, stat_positive = stat_positive + (?1 >= 4),
                        stat_minutes = stat_minutes + ?2 WHERE id = ?3";

pub(super) const ADD_RECORDS_BY_INSERT_AUDIT_LOG: &str = "INSERT INTO audit_log (seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash)
                     VALUES (?1, ?2, ?3, ?4, 'record.post', 'service_record', ?5, ?6, ?7, ?8)";

pub(super) const ADD_RECORDS_BY_INSERT_AUDIT_COVERS: &str =
    "INSERT INTO audit_covers (entity, entity_id, seq, hash) VALUES ('record', ?1, ?2, ?3)";
