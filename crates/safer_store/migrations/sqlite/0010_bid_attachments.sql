-- A bid's attachments (the files a business case refers to), and the partnership plan
-- priorities it supports alongside the Police and Crime Plan objectives.
-- Kept column for column in step with migrations/postgres/0010_bid_attachments.sql.

CREATE TABLE bid_attachments (
    id INTEGER PRIMARY KEY,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX bid_attachments_bid ON bid_attachments (bid_id);

CREATE TABLE bid_priorities (
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    priority_id INTEGER NOT NULL REFERENCES priorities (id),
    PRIMARY KEY (bid_id, priority_id)
);
