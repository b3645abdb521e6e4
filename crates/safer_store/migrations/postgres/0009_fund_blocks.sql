-- A paper's section may show a fund's allocations ('fund_allocations', block_ref 'FUND_ID').
-- Kept in step with migrations/sqlite/0009_fund_blocks.sql.

ALTER TABLE paper_sections DROP CONSTRAINT paper_sections_block_check;
ALTER TABLE paper_sections ADD CONSTRAINT paper_sections_block_check
    CHECK (block IN ('none', 'measure', 'plan_milestones', 'fund_allocations'));
