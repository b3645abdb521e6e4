-- The auditor role: reads who looked at which personal record, and what each person looked at. SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt with the new list; nothing references it.
CREATE TABLE memberships_new (
    user_id INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL CHECK (role IN ('administrator', 'opcc_officer', 'decision_maker',
        'partnership_manager', 'partnership_member', 'board_member', 'auditor')),
    PRIMARY KEY (user_id, organisation_id, role)
);
INSERT INTO memberships_new (user_id, organisation_id, role)
    SELECT user_id, organisation_id, role FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;

-- What one person looked at, for the auditor's page per person.
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, id);
