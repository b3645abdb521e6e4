-- Areas and police.uk data.
-- Kept column for column in step with migrations/postgres/0002_police_data.sql; a test compares them.

-- Police force area → Community Safety Partnership → local authority → ward → LSOA, from the ONS
-- lookups. No foreign key on the parent: lookups arrive in any order, and LSOAs met in police.uk
-- files before their lookup are kept with no parent.
CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('force', 'csp', 'local_authority', 'ward', 'lsoa')),
    name TEXT NOT NULL,
    parent_code TEXT,
    population INTEGER,
    -- Which lookup or file said so, e.g. 'ONS LAD17-CSP17-PFA17' or 'police.uk'.
    vintage TEXT NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_code);
CREATE INDEX areas_kind_name ON areas (kind, name);

-- One police.uk file: (force, month, kind) is the unit an import replaces.
CREATE TABLE police_uk_files (
    id INTEGER PRIMARY KEY,
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('street', 'outcomes', 'stop-and-search')),
    file_name TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (force, month, kind)
);

-- Street rows grouped by month, LSOA (NULL: no location) and category: the count, which the
-- measures read, and every row of the group for drill-down, as a JSON array of
-- [crime_id, location, outcome, longitude, latitude] arrays. Counted by rows, never by Crime ID.
-- One row a group rather than one a crime keeps an import several times faster.
CREATE TABLE street_counts (
    file_id INTEGER NOT NULL REFERENCES police_uk_files (id),
    month TEXT NOT NULL,
    lsoa_code TEXT,
    category TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    records TEXT NOT NULL
);
CREATE INDEX street_counts_file ON street_counts (file_id);

CREATE TABLE crime_outcomes (
    file_id INTEGER NOT NULL REFERENCES police_uk_files (id),
    month TEXT NOT NULL,
    crime_id TEXT,
    longitude REAL,
    latitude REAL,
    location TEXT NOT NULL,
    lsoa_code TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX crime_outcomes_file ON crime_outcomes (file_id);

CREATE TABLE stop_searches (
    file_id INTEGER NOT NULL REFERENCES police_uk_files (id),
    month TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    search_type TEXT NOT NULL,
    part_of_operation BOOLEAN,
    operation TEXT,
    longitude REAL,
    latitude REAL,
    gender TEXT,
    age_range TEXT,
    self_defined_ethnicity TEXT,
    officer_defined_ethnicity TEXT,
    legislation TEXT,
    object_of_search TEXT,
    outcome TEXT,
    outcome_linked_to_object BOOLEAN,
    removal_of_more_than_outer_clothing BOOLEAN
);
CREATE INDEX stop_searches_file ON stop_searches (file_id);
