-- Papers for agenda items: sections of text, each optionally with a live block from elsewhere
-- in safer. A block is rendered live while the paper is a draft, and frozen (its HTML stored)
-- in the transaction that publishes the paper, so a published paper never changes.
-- Kept column for column in step with migrations/postgres/0005_papers.sql; a test compares them.

CREATE TABLE papers (
    id INTEGER PRIMARY KEY,
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX papers_item ON papers (agenda_item_id);

CREATE TABLE paper_sections (
    id INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers (id),
    position INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    -- 'none', 'measure' (block_ref 'MEASURE_ID:AREA_CODE') or 'plan_milestones' (block_ref
    -- 'PLAN_ID').
    block TEXT NOT NULL DEFAULT 'none' CHECK (block IN ('none', 'measure', 'plan_milestones')),
    block_ref TEXT NOT NULL DEFAULT '',
    -- The block as published; NULL while the paper is a draft.
    frozen_html TEXT,
    UNIQUE (paper_id, position)
);
