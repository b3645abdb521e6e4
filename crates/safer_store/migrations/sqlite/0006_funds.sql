-- Funds and what is committed from them. What a fund has left is computed (budget less the sum
-- of its commitments), never stored. Amounts are whole pence.
-- Kept column for column in step with migrations/postgres/0006_funds.sql; a test compares them.

CREATE TABLE funds (
    id INTEGER PRIMARY KEY,
    -- The organisation that holds the money (an OPCC).
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    -- Financial years by the calendar year they start in: 2013 is 2013/14.
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    spending TEXT NOT NULL CHECK (spending IN ('revenue', 'capital', 'both')),
    budget_pence BIGINT NOT NULL CHECK (budget_pence >= 0),
    created_at TEXT NOT NULL
);

-- Money committed from a fund: an award, or an allocation passported to a partnership.
CREATE TABLE fund_commitments (
    id INTEGER PRIMARY KEY,
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    description TEXT NOT NULL,
    -- Who receives it, where it is an organisation safer knows.
    recipient_id INTEGER REFERENCES organisations (id),
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    committed_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX fund_commitments_fund ON fund_commitments (fund_id);
