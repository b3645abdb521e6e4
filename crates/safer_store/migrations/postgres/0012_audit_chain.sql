-- A tamper-evident audit log. Each event carries the hash of its content and of the event before
-- it (`chain_hash`), so an edit, a deletion or a reordering is found by `safer audit verify`; the
-- head of the chain is kept in `audit_chain`, so a deletion at the end is found too. Personal
-- values, where an event has them, are a separate payload whose hash alone is in the chain, so
-- erasing the payload when its retention ends leaves the chain verifiable.
ALTER TABLE audit_events ADD COLUMN personal_hash TEXT;
ALTER TABLE audit_events ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_payloads (
    event_id BIGINT PRIMARY KEY REFERENCES audit_events (id),
    payload TEXT NOT NULL
);

-- One row: the hash of the last event, and the events written before the chain began, which
-- safer seals once, in order, when it next migrates. Every write transaction locks this row
-- first, so events are chained in one order and writers never deadlock over it.
CREATE TABLE audit_chain (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL,
    unsealed_through BIGINT NOT NULL
);
INSERT INTO audit_chain (id, last_hash, unsealed_through)
    SELECT 1, '', COALESCE(MAX(id), 0) FROM audit_events;

-- The database itself refuses to change or remove an event. The one update allowed is sealing
-- an event from before the chain began, which sets its hash and nothing else.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.chain_hash = ''
            AND OLD.id <= (SELECT unsealed_through FROM audit_chain WHERE id = 1)
            AND (NEW.id, NEW.occurred_at, NEW.actor_user_id, NEW.actor_label, NEW.action,
                 NEW.record_type, NEW.record_id, NEW.organisation_id, NEW.before_json,
                 NEW.after_json, NEW.personal_hash)
                IS NOT DISTINCT FROM
                (OLD.id, OLD.occurred_at, OLD.actor_user_id, OLD.actor_label, OLD.action,
                 OLD.record_type, OLD.record_id, OLD.organisation_id, OLD.before_json,
                 OLD.after_json, OLD.personal_hash)
        THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
