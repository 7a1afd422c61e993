CREATE TYPE "public"."meeting_kind" AS ENUM('on_site', 'analysis', 'coordination', 'joint');--> statement-breakpoint
CREATE TABLE "coordination_meetings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coordination_meetings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "meeting_kind" NOT NULL,
	"place_id" integer NOT NULL,
	"place_path" varchar(200) NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"location" varchar(200) NOT NULL,
	"attendees" varchar(500) NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_actions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meeting_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"meeting_id" bigint NOT NULL,
	"case_id" bigint NOT NULL,
	"decision" text NOT NULL,
	"department_id" integer NOT NULL,
	"owner_id" integer NOT NULL,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"done_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_departments" (
	"meeting_id" bigint NOT NULL,
	"department_id" integer NOT NULL,
	CONSTRAINT "meeting_departments_meeting_id_department_id_pk" PRIMARY KEY("meeting_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_matters" (
	"meeting_id" bigint NOT NULL,
	"case_id" bigint NOT NULL,
	"reasons" varchar(100) DEFAULT '' NOT NULL,
	CONSTRAINT "meeting_matters_meeting_id_case_id_pk" PRIMARY KEY("meeting_id","case_id")
);
--> statement-breakpoint
ALTER TABLE "coordination_meetings" ADD CONSTRAINT "coordination_meetings_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordination_meetings" ADD CONSTRAINT "coordination_meetings_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_actions" ADD CONSTRAINT "meeting_actions_meeting_id_coordination_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."coordination_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_actions" ADD CONSTRAINT "meeting_actions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_actions" ADD CONSTRAINT "meeting_actions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_actions" ADD CONSTRAINT "meeting_actions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_departments" ADD CONSTRAINT "meeting_departments_meeting_id_coordination_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."coordination_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_departments" ADD CONSTRAINT "meeting_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_matters" ADD CONSTRAINT "meeting_matters_meeting_id_coordination_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."coordination_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_matters" ADD CONSTRAINT "meeting_matters_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coordination_meetings_place_idx" ON "coordination_meetings" USING btree ("place_path","held_at");--> statement-breakpoint
CREATE INDEX "meeting_actions_owner_idx" ON "meeting_actions" USING btree ("owner_id","due_on") WHERE "meeting_actions"."done_at" is null;--> statement-breakpoint
CREATE INDEX "meeting_actions_case_idx" ON "meeting_actions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "meeting_actions_meeting_idx" ON "meeting_actions" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_matters_case_idx" ON "meeting_matters" USING btree ("case_id");