CREATE TABLE "case_stat_counts" (
	"county_id" integer NOT NULL,
	"level" smallint NOT NULL,
	"month" date NOT NULL,
	"township_id" integer NOT NULL,
	"village_id" integer NOT NULL,
	"dim" varchar(20) NOT NULL,
	"key" varchar(40) NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "case_stat_counts_pk" PRIMARY KEY("county_id","level","month","township_id","village_id","dim","key")
);
--> statement-breakpoint
CREATE INDEX "case_stat_counts_township_idx" ON "case_stat_counts" USING btree ("township_id","level","month");