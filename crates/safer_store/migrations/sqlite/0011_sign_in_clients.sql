-- Failed sign-ins are counted per account and client (a device that has signed in to the
-- account before, or else the network address), so that a stranger's guesses cannot lock the
-- owner out.
ALTER TABLE sign_in_failures ADD COLUMN client TEXT NOT NULL DEFAULT '';
DROP INDEX sign_in_failures_email;
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, client, failed_at);

-- Devices that have signed in to an account: the browser keeps a random token, the database
-- its SHA-256 hash.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);
