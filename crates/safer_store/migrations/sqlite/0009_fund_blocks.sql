-- A paper's section may show a fund's allocations ('fund_allocations', block_ref 'FUND_ID').
-- SQLite cannot change a CHECK in place, so the table is rebuilt with the wider one; nothing
-- refers to paper_sections, and its rows are copied as they are.
-- Kept in step with migrations/postgres/0009_fund_blocks.sql; a test compares the schemas.

CREATE TABLE paper_sections_new (
    id INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers (id),
    position INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    -- 'none', 'measure' (block_ref 'MEASURE_ID:AREA_CODE'), 'plan_milestones' (block_ref
    -- 'PLAN_ID') or 'fund_allocations' (block_ref 'FUND_ID').
    block TEXT NOT NULL DEFAULT 'none'
        CHECK (block IN ('none', 'measure', 'plan_milestones', 'fund_allocations')),
    block_ref TEXT NOT NULL DEFAULT '',
    -- The block as published; NULL while the paper is a draft.
    frozen_html TEXT,
    UNIQUE (paper_id, position)
);
INSERT INTO paper_sections_new (id, paper_id, position, heading, body, block, block_ref, frozen_html)
    SELECT id, paper_id, position, heading, body, block, block_ref, frozen_html FROM paper_sections;
DROP TABLE paper_sections;
ALTER TABLE paper_sections_new RENAME TO paper_sections;
