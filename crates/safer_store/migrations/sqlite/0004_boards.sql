-- Boards and scrutiny: bodies, meetings, numbered minute items and actions carried forward.
-- Kept column for column in step with migrations/postgres/0004_boards.sql; a test compares them.

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    -- The organisation whose body it is (an OPCC for its board, a partnership for its own).
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('board', 'panel', 'scrutiny_panel', 'sub_group')),
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    -- Civil date and time in the UK, 'YYYY-MM-DDTHH:MM'.
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'held', 'cancelled')),
    webcast_url TEXT NOT NULL DEFAULT '',
    -- The agenda is public once published; the notes once approved at a later meeting.
    agenda_status TEXT NOT NULL DEFAULT 'draft' CHECK (agenda_status IN ('draft', 'published')),
    notes_status TEXT NOT NULL DEFAULT 'none' CHECK (notes_status IN ('none', 'draft', 'approved')),
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_body ON meetings (body_id, starts_at);

-- The agenda: ordered items, each public or exempt (with the reason, shown; the item is not).
CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    -- A heading the item sits under, such as 'Police and Crime Plan'; empty for none.
    section TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    presenter TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('verbal', 'written_report', 'for_noting', 'presentation')),
    exempt BOOLEAN NOT NULL DEFAULT FALSE,
    exemption_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

-- Who attended, sent apologies, substituted or observed.
CREATE TABLE attendances (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    attendance TEXT NOT NULL CHECK (attendance IN ('present', 'apologies', 'substitute', 'observer')),
    PRIMARY KEY (meeting_id, position)
);

-- The next minute number of each body's year. Numbers are taken from here and never given
-- back, so a deleted draft item leaves a gap rather than a number used twice.
CREATE TABLE minute_sequences (
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    year INTEGER NOT NULL,
    next_number INTEGER NOT NULL,
    PRIMARY KEY (body_id, year)
);

CREATE TABLE minute_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    -- The body again, so that the database itself refuses a number used twice in a year.
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (body_id, year, number)
);
CREATE INDEX minute_items_meeting ON minute_items (meeting_id);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    raised_at_meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    minute_item_id INTEGER REFERENCES minute_items (id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    -- The civil date it was closed, 'YYYY-MM-DD'.
    closed_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX actions_body ON actions (body_id, status);

-- Each dated step taken on an action, as the notes report it.
CREATE TABLE action_updates (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES actions (id),
    recorded_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    note TEXT NOT NULL
);
CREATE INDEX action_updates_action ON action_updates (action_id);

-- Questions put at a meeting, published with its notes.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('public', 'member')),
    question TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    asked_by TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX questions_meeting ON questions (meeting_id, position);

-- Petitions to a body, heard at a meeting; counts and dates where known.
CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    meeting_id INTEGER REFERENCES meetings (id),
    title TEXT NOT NULL,
    lead_petitioner TEXT NOT NULL,
    signatures INTEGER,
    threshold INTEGER,
    response_due TEXT,
    response TEXT NOT NULL DEFAULT ''
);
CREATE INDEX petitions_meeting ON petitions (meeting_id);

-- The decisions register: what was decided, by whom, why, and whether it is published.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    meeting_id INTEGER REFERENCES meetings (id),
    title TEXT NOT NULL,
    decision TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);
CREATE INDEX decisions_decided ON decisions (decided_on);

-- The forward work plan: items planned for future meetings.
CREATE TABLE work_plan_items (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    -- The month it is planned for, 'YYYY-MM'.
    planned_for TEXT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_plan_items_body ON work_plan_items (body_id, planned_for);

-- A body's members, their roles and terms ('YYYY-MM-DD'; NULL where not known or open).
CREATE TABLE body_members (
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    term_from TEXT,
    term_to TEXT,
    PRIMARY KEY (body_id, position)
);

-- Interests declared on an item of the notes.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    minute_item_id INTEGER NOT NULL REFERENCES minute_items (id),
    member TEXT NOT NULL,
    interest TEXT NOT NULL
);
CREATE INDEX declarations_item ON declarations (minute_item_id);
