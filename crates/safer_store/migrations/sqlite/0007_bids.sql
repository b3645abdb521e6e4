-- Bidding rounds on a fund, the bids (business cases) made in them with their cost lines,
-- reviewers' scores, board comments, and the PCC's numbered Notice of Decision. A bid's amounts
-- are computed from its lines, never stored. Amounts are whole pence.
-- Kept column for column in step with migrations/postgres/0007_bids.sql; a test compares them.

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    name TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    -- What reviewers score against, one criterion per line.
    criteria TEXT NOT NULL,
    -- What a business case must answer, one question per line.
    questions TEXT NOT NULL DEFAULT '',
    -- The most one cost line may ask for, if the round sets a limit.
    line_limit_pence BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX rounds_fund ON rounds (fund_id);

-- Who may bid. A round with no rows here is open to every partnership of the fund's OPCC.
CREATE TABLE round_eligible (
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (round_id, organisation_id)
);

-- The Plan objectives a round serves.
CREATE TABLE round_objectives (
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    objective_id INTEGER NOT NULL REFERENCES objectives (id),
    PRIMARY KEY (round_id, objective_id)
);

-- The PCC's Notice of Decision, numbered per OPCC and calendar year (001/2013).
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    -- The OPCC whose decision it is.
    opcc_id INTEGER NOT NULL REFERENCES organisations (id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    executive_summary TEXT NOT NULL DEFAULT '',
    financial TEXT NOT NULL DEFAULT '',
    legal TEXT NOT NULL DEFAULT '',
    equality TEXT NOT NULL DEFAULT '',
    interests TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL,
    confidential BOOLEAN NOT NULL DEFAULT TRUE,
    signatory TEXT NOT NULL DEFAULT '',
    signed_on TEXT,
    published_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (opcc_id, year, number)
);

CREATE TABLE bids (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    -- The partnership the bid comes through, and the organisation that would receive the money.
    partnership_id INTEGER NOT NULL REFERENCES organisations (id),
    applicant_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The applicant's own reference, as in the papers: S1, B2, SS4.
    reference TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    aims TEXT NOT NULL DEFAULT '',
    background TEXT NOT NULL DEFAULT '',
    outputs TEXT NOT NULL DEFAULT '',
    outcomes TEXT NOT NULL DEFAULT '',
    risks TEXT NOT NULL DEFAULT '',
    timeline TEXT NOT NULL DEFAULT '',
    exit_strategy TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'under_review', 'approved',
        'reduced', 'declined', 'withdrawn')),
    -- Raised by every change, so that a save made from a stale copy is refused.
    version INTEGER NOT NULL DEFAULT 1,
    submitted_at TEXT,
    approved_pence BIGINT,
    notice_id INTEGER REFERENCES notices (id),
    commitment_id INTEGER REFERENCES fund_commitments (id),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX bids_round ON bids (round_id);

CREATE TABLE bid_lines (
    id INTEGER PRIMARY KEY,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    description TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    spending TEXT NOT NULL CHECK (spending IN ('revenue', 'capital')),
    -- The least this line could work with, where the applicant says.
    minimum_pence BIGINT CHECK (minimum_pence >= 0)
);
CREATE INDEX bid_lines_bid ON bid_lines (bid_id);

-- The Plan objectives and partnership priorities a bid supports.
CREATE TABLE bid_objectives (
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    objective_id INTEGER NOT NULL REFERENCES objectives (id),
    PRIMARY KEY (bid_id, objective_id)
);

-- A reviewer's view of a bid. A reviewer with a conflict of interest gives no scores.
CREATE TABLE bid_reviews (
    id INTEGER PRIMARY KEY,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    reviewer_id INTEGER NOT NULL REFERENCES users (id),
    conflict TEXT NOT NULL DEFAULT '',
    -- One score (1 to 5) per criterion, in the round's order, comma-separated; empty with a
    -- conflict.
    scores TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (bid_id, reviewer_id)
);

-- A board's comment on a bid, against the meeting that gave it.
CREATE TABLE bid_comments (
    id INTEGER PRIMARY KEY,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX bid_comments_bid ON bid_comments (bid_id);
