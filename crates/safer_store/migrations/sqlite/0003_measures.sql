-- Performance measures and the values entered or uploaded for them.
-- Kept column for column in step with migrations/postgres/0003_measures.sql; a test compares them.

CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    -- The organisation that defined it (a policing body or a partnership); it alone edits it.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('street', 'stop_and_search', 'entered')),
    -- For street measures: the police.uk category slugs counted, comma-separated.
    categories TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL CHECK (unit IN ('count', 'percentage', 'rate_per_1000')),
    polarity TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better', 'neither')),
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'annual')),
    -- A level ('level': target_value) or a change in per cent (target_value) against the
    -- average of the months target_from to target_to ('change').
    target_kind TEXT CHECK (target_kind IN ('level', 'change')),
    target_value REAL,
    target_from TEXT,
    target_to TEXT,
    objective_id INTEGER REFERENCES objectives (id),
    created_at TEXT NOT NULL
);

-- Values of entered measures: one per measure, area and period ('YYYY-MM'; a quarter or year
-- is entered against its first month). No row means no value, never zero.
CREATE TABLE measure_observations (
    measure_id INTEGER NOT NULL REFERENCES measures (id),
    area_code TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    denominator REAL,
    PRIMARY KEY (measure_id, area_code, period)
);
