-- The auditor role: reads who looked at which personal record.
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('administrator',
    'opcc_officer', 'decision_maker', 'partnership_manager', 'partnership_member', 'board_member',
    'auditor'));
