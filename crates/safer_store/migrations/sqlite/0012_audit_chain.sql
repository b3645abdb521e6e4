-- A tamper-evident audit log. Each event carries the hash of its content and of the event before
-- it (`chain_hash`), so an edit, a deletion or a reordering is found by `safer audit verify`; the
-- head of the chain is kept in `audit_chain`, so a deletion at the end is found too. Personal
-- values, where an event has them, are a separate payload whose hash alone is in the chain, so
-- erasing the payload when its retention ends leaves the chain verifiable.
ALTER TABLE audit_events ADD COLUMN personal_hash TEXT;
ALTER TABLE audit_events ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_payloads (
    event_id INTEGER PRIMARY KEY REFERENCES audit_events (id),
    payload TEXT NOT NULL
);

-- One row: the hash of the last event, and the events written before the chain began, which
-- safer seals once, in order, when it next migrates.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL,
    unsealed_through INTEGER NOT NULL
);
INSERT INTO audit_chain (id, last_hash, unsealed_through)
    SELECT 1, '', COALESCE(MAX(id), 0) FROM audit_events;

-- The database itself refuses to change or remove an event. The one update allowed is sealing
-- an event from before the chain began, which sets its hash and nothing else.
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (
    OLD.chain_hash = ''
    AND OLD.id <= (SELECT unsealed_through FROM audit_chain WHERE id = 1)
    AND NEW.id = OLD.id
    AND NEW.occurred_at = OLD.occurred_at
    AND NEW.actor_user_id IS OLD.actor_user_id
    AND NEW.actor_label = OLD.actor_label
    AND NEW.action = OLD.action
    AND NEW.record_type = OLD.record_type
    AND NEW.record_id IS OLD.record_id
    AND NEW.organisation_id IS OLD.organisation_id
    AND NEW.before_json IS OLD.before_json
    AND NEW.after_json IS OLD.after_json
    AND NEW.personal_hash IS OLD.personal_hash
)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
