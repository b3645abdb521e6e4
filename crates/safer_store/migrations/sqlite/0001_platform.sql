-- The platform: organisations, people, access, audit and plans.
-- Kept column for column in step with migrations/postgres/0001_platform.sql; a test compares them.
-- Instants are TEXT in RFC 3339 UTC to whole seconds ('2026-11-23T06:17:00Z') so that they
-- compare and sort correctly as text; civil dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('policing_body', 'partnership', 'partner')),
    name TEXT NOT NULL UNIQUE,
    -- The policing body whose police force area holds this organisation; for a policing body, NULL.
    policing_body_id INTEGER REFERENCES organisations (id),
    force_area_code TEXT,
    force_area_name TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE partnership_areas (
    partnership_id INTEGER NOT NULL REFERENCES organisations (id),
    local_authority_code TEXT NOT NULL,
    local_authority_name TEXT NOT NULL,
    PRIMARY KEY (partnership_id, local_authority_code)
);

CREATE TABLE partnership_partners (
    partnership_id INTEGER NOT NULL REFERENCES organisations (id),
    partner_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (partnership_id, partner_id)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL CHECK (role IN ('administrator', 'opcc_officer', 'decision_maker',
        'partnership_manager', 'partnership_member', 'board_member')),
    PRIMARY KEY (user_id, organisation_id, role)
);

-- Server-side sessions, shared by every app instance. The token itself is never stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, failed_at);

-- Append-only: written in the same transaction as the change it records.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id INTEGER,
    organisation_id INTEGER REFERENCES organisations (id),
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('police_and_crime', 'partnership')),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plans_organisation ON plans (organisation_id);

CREATE TABLE priorities (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX priorities_plan ON priorities (plan_id, position);

CREATE TABLE objectives (
    id INTEGER PRIMARY KEY,
    priority_id INTEGER NOT NULL REFERENCES priorities (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX objectives_priority ON objectives (priority_id, position);

-- Which Police and Crime Plan objectives a partnership's priority supports.
CREATE TABLE priority_objective_links (
    priority_id INTEGER NOT NULL REFERENCES priorities (id),
    objective_id INTEGER NOT NULL REFERENCES objectives (id),
    PRIMARY KEY (priority_id, objective_id)
);

CREATE TABLE deliverables (
    id INTEGER PRIMARY KEY,
    priority_id INTEGER NOT NULL REFERENCES priorities (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliverables_priority ON deliverables (priority_id, position);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverables (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Due: a date (due_from = due_to), a period (due_from < due_to), or recurring (both NULL).
    due_from TEXT,
    due_to TEXT,
    due_text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk', 'late', 'done')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX milestones_deliverable ON milestones (deliverable_id, position);

CREATE TABLE milestone_updates (
    id INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL REFERENCES milestones (id),
    recorded_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk', 'late', 'done')),
    note TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX milestone_updates_milestone ON milestone_updates (milestone_id, recorded_on);
