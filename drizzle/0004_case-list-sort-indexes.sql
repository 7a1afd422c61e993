CREATE INDEX "cases_registered_idx" ON "cases" USING btree ("registered_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "cases_next_due_idx" ON "cases" USING btree ("next_due_on","id");--> statement-breakpoint
CREATE INDEX "cases_activity_idx" ON "cases" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);