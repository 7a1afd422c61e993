-- The audit log is append-only in the database itself, not only by convention: any UPDATE, DELETE or
-- TRUNCATE of audit_log is refused, whoever the application connects as. The hash chain still detects
-- what someone with the rights to switch this trigger off might do (audit/verify-chain.ts); this stops
-- every ordinary path (a bug, a hand-typed statement, deleting a user whose actor_id would be set null)
-- from changing history at all. Users are disabled, never deleted, so the `set null` foreign key never fires.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
