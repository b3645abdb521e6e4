-- The auditor role: reads who looked at which personal record, and what each person looked at.
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('administrator',
    'opcc_officer', 'decision_maker', 'partnership_manager', 'partnership_member', 'board_member',
    'auditor'));

-- What one person looked at, for the auditor's page per person.
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, id);
