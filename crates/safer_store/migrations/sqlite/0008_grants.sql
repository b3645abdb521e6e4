-- Grants: the award of money to an organisation (from a decided bid, or directly), its
-- conditions, payment schedule, approved variations, monitoring returns and end-of-year
-- evaluation. Amounts are whole pence; what a grant has been paid is computed.
-- Kept column for column in step with migrations/postgres/0008_grants.sql; a test compares them.

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    -- The bid it was awarded on, if it came through a round.
    bid_id INTEGER REFERENCES bids (id),
    -- The money committed from the fund for it.
    commitment_id INTEGER NOT NULL REFERENCES fund_commitments (id),
    recipient_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    awarded_on TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    payment_basis TEXT NOT NULL CHECK (payment_basis IN ('advance', 'arrears')),
    monitoring TEXT NOT NULL CHECK (monitoring IN ('quarterly', 'annual', 'ad_hoc', 'final')),
    created_at TEXT NOT NULL
);
CREATE INDEX grants_fund ON grants (fund_id);
CREATE INDEX grants_recipient ON grants (recipient_id);

CREATE TABLE grant_conditions (
    id INTEGER PRIMARY KEY,
    grant_id INTEGER NOT NULL REFERENCES grants (id),
    condition TEXT NOT NULL,
    due_on TEXT NOT NULL,
    met_on TEXT,
    evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grant_conditions_grant ON grant_conditions (grant_id);

CREATE TABLE grant_payments (
    id INTEGER PRIMARY KEY,
    grant_id INTEGER NOT NULL REFERENCES grants (id),
    due_on TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    paid_on TEXT
);
CREATE INDEX grant_payments_grant ON grant_payments (grant_id);

-- An approved change to a grant: more money (committed from the fund), a later end, or both.
CREATE TABLE grant_variations (
    id INTEGER PRIMARY KEY,
    grant_id INTEGER NOT NULL REFERENCES grants (id),
    description TEXT NOT NULL,
    extra_pence BIGINT NOT NULL DEFAULT 0 CHECK (extra_pence >= 0),
    commitment_id INTEGER REFERENCES fund_commitments (id),
    new_ends_on TEXT,
    approved_on TEXT NOT NULL,
    approved_by TEXT NOT NULL
);
CREATE INDEX grant_variations_grant ON grant_variations (grant_id);

-- A monitoring return, scheduled when the grant is made; submitted by the recipient.
CREATE TABLE monitoring_returns (
    id INTEGER PRIMARY KEY,
    grant_id INTEGER NOT NULL REFERENCES grants (id),
    period TEXT NOT NULL,
    period_end TEXT NOT NULL,
    due_on TEXT NOT NULL,
    is_final BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at TEXT,
    submitted_on TEXT,
    spend_to_date_pence BIGINT,
    outputs TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL DEFAULT '',
    status TEXT CHECK (status IN ('on_track', 'at_risk', 'off_track'))
);
CREATE INDEX monitoring_returns_grant ON monitoring_returns (grant_id);
CREATE INDEX monitoring_returns_due ON monitoring_returns (due_on);

-- Spend to date by cost line, as a return reports it.
CREATE TABLE return_spend (
    return_id INTEGER NOT NULL REFERENCES monitoring_returns (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    spend_pence BIGINT NOT NULL CHECK (spend_pence >= 0),
    PRIMARY KEY (return_id, position)
);

-- The end-of-year evaluation.
CREATE TABLE grant_evaluations (
    grant_id INTEGER PRIMARY KEY REFERENCES grants (id),
    spend_pence BIGINT NOT NULL CHECK (spend_pence >= 0),
    outputs TEXT NOT NULL,
    outcomes TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
