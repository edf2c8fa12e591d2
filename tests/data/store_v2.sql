-- A schema-version-2 store written by factcheck before migrations existed (commit a2d2541);
-- tests/test_store.py upgrades it.
BEGIN TRANSACTION;
CREATE TABLE "articles" (
   "id" TEXT PRIMARY KEY,
   "doc_key" TEXT NOT NULL,
   "version" INTEGER NOT NULL,
   "title" TEXT,
   "url" TEXT,
   "published" TEXT,
   "source" TEXT,
   "encoding" TEXT,
   "format" TEXT,
   "n_chars" INTEGER,
   "text" TEXT NOT NULL,
   "extracted_at" TEXT
);
INSERT INTO "articles" VALUES('68ac5b228f2e24c3','/tmp/oldfc/news/hospitals.txt',1,NULL,NULL,NULL,'news/hospitals.txt',NULL,'txt',97,'截至2024年底，全市共有公立医院42家，床位3.1万张。The city had 42 public hospitals at the end of 2024, officials said.','2026-11-23T09:30:14+00:00');
CREATE TABLE "claims" (
   "id" TEXT PRIMARY KEY,
   "article_id" TEXT REFERENCES "articles"("id"),
   "sentence_id" TEXT REFERENCES "sentences"("id"),
   "lang" TEXT,
   "text" TEXT,
   "start" INTEGER,
   "end" INTEGER,
   "kind" TEXT,
   "is_claim" INTEGER,
   "checkworthiness" REAL,
   "model_version" TEXT,
   "is_caption" INTEGER,
   "carried" TEXT,
   "reasons" TEXT,
   "context" TEXT,
   "extracted_at" TEXT
);
INSERT INTO "claims" VALUES('615bfb28352af65d','68ac5b228f2e24c3','10d0907054315cbf','zh','截至2024年底，全市共有公立医院42家',0,20,'numeric',1,NULL,NULL,0,'{}','["has a quantity"]','截至2024年底，全市共有公立医院42家，床位3.1万张。 The city had 42 public hospitals at the end of 2024, officials said.','2026-11-23T09:30:14+00:00');
INSERT INTO "claims" VALUES('db259cc1d99cf623','68ac5b228f2e24c3','10d0907054315cbf','zh','截至2024年底，公立医院床位3.1万张',21,28,'numeric',1,NULL,NULL,0,'{"time": "截至2024年底", "subject": "公立医院"}','["has a quantity"]','截至2024年底，全市共有公立医院42家，床位3.1万张。 The city had 42 public hospitals at the end of 2024, officials said.','2026-11-23T09:30:14+00:00');
INSERT INTO "claims" VALUES('fa8537ccfe527dde','68ac5b228f2e24c3','d893fa8fcdf2424d','en','The city had 42 public hospitals at the end of 2024, officials said',29,96,'quote',1,NULL,NULL,0,'{}','["attributed statement"]','截至2024年底，全市共有公立医院42家，床位3.1万张。 The city had 42 public hospitals at the end of 2024, officials said.','2026-11-23T09:30:14+00:00');
CREATE TABLE "entities" (
   "claim_id" TEXT REFERENCES "claims"("id"),
   "idx" INTEGER,
   "text" TEXT,
   "label" TEXT,
   "start" INTEGER,
   "end" INTEGER,
   PRIMARY KEY ("claim_id", "idx")
);
INSERT INTO "entities" VALUES('615bfb28352af65d',0,'公立医院','ORG',13,17);
INSERT INTO "entities" VALUES('db259cc1d99cf623',0,'公立医院','ORG',13,17);
CREATE TABLE "evidence" (
   "annotation_id" INTEGER REFERENCES "verdicts"("annotation_id"),
   "idx" INTEGER,
   "claim_id" TEXT,
   "url" TEXT,
   "note" TEXT,
   PRIMARY KEY ("annotation_id", "idx")
);
INSERT INTO "evidence" VALUES(7,0,'615bfb28352af65d','https://example.org/health-report-2024','卫生统计年鉴 公立医院数量');
CREATE TABLE "ls_outbox" (
   "claim_id" TEXT REFERENCES "claims"("id"),
   "project_id" INTEGER,
   "batch" TEXT,
   "queued_at" TEXT,
   PRIMARY KEY ("project_id", "claim_id")
);
CREATE TABLE "ls_state" (
   "project_id" INTEGER PRIMARY KEY,
   "url" TEXT,
   "title" TEXT,
   "last_pull" TEXT
);
CREATE TABLE "ls_tasks" (
   "claim_id" TEXT REFERENCES "claims"("id"),
   "project_id" INTEGER,
   "task_id" INTEGER,
   "fingerprint" TEXT,
   "pushed_at" TEXT,
   "updated_at" TEXT,
   PRIMARY KEY ("project_id", "claim_id")
);
CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
INSERT INTO "meta" VALUES('schema_version','2');
CREATE TABLE "quantities" (
   "claim_id" TEXT REFERENCES "claims"("id"),
   "idx" INTEGER,
   "text" TEXT,
   "start" INTEGER,
   "end" INTEGER,
   "value" REAL,
   "low" REAL,
   "high" REAL,
   "unit" TEXT,
   "per" TEXT,
   "comparator" TEXT,
   "approximate" INTEGER,
   "item" TEXT,
   PRIMARY KEY ("claim_id", "idx")
);
INSERT INTO "quantities" VALUES('615bfb28352af65d',0,'42家',17,20,42.0,NULL,NULL,'count',NULL,NULL,0,NULL);
INSERT INTO "quantities" VALUES('db259cc1d99cf623',0,'3.1万张',23,28,31000.0,NULL,NULL,'count',NULL,NULL,0,NULL);
INSERT INTO "quantities" VALUES('fa8537ccfe527dde',0,'42',42,44,42.0,NULL,NULL,NULL,NULL,NULL,0,NULL);
CREATE TABLE "sentences" (
   "id" TEXT PRIMARY KEY,
   "article_id" TEXT REFERENCES "articles"("id"),
   "start" INTEGER,
   "end" INTEGER,
   "text" TEXT,
   "lang" TEXT,
   "block" TEXT
);
INSERT INTO "sentences" VALUES('10d0907054315cbf','68ac5b228f2e24c3',0,29,'截至2024年底，全市共有公立医院42家，床位3.1万张。','zh','body');
INSERT INTO "sentences" VALUES('d893fa8fcdf2424d','68ac5b228f2e24c3',29,97,'The city had 42 public hospitals at the end of 2024, officials said.','en','body');
CREATE TABLE "times" (
   "claim_id" TEXT REFERENCES "claims"("id"),
   "idx" INTEGER,
   "text" TEXT,
   "start" INTEGER,
   "end" INTEGER,
   "value" TEXT,
   "kind" TEXT,
   "relative" INTEGER,
   "resolved" INTEGER,
   "relation" TEXT,
   "qualifier" TEXT,
   PRIMARY KEY ("claim_id", "idx")
);
INSERT INTO "times" VALUES('615bfb28352af65d',0,'截至2024年底',0,8,'2024','year',0,1,'by','end');
INSERT INTO "times" VALUES('db259cc1d99cf623',0,'截至2024年底',0,8,'2024','year',0,1,'by','end');
INSERT INTO "times" VALUES('fa8537ccfe527dde',0,'the end of 2024',65,80,'2024','year',0,1,NULL,'end');
CREATE TABLE "verdicts" (
   "annotation_id" INTEGER PRIMARY KEY,
   "project_id" INTEGER,
   "task_id" INTEGER,
   "claim_id" TEXT REFERENCES "claims"("id"),
   "verdict" TEXT,
   "checkworthy" INTEGER,
   "corrected_claim" TEXT,
   "span_corrections" TEXT,
   "annotator" TEXT,
   "lead_time" REAL,
   "created_at" TEXT,
   "updated_at" TEXT,
   "pulled_at" TEXT,
   "deleted_at" TEXT,
   "problems" TEXT
);
INSERT INTO "verdicts" VALUES(7,1,3,'615bfb28352af65d','supported',NULL,NULL,NULL,'ann@example.org',NULL,'2026-10-01T10:00:00',NULL,'2026-10-01T11:00:00',NULL,NULL);
CREATE INDEX "idx_ls_tasks_task_id"
    ON "ls_tasks" ("task_id");
CREATE INDEX "idx_verdicts_claim_id"
    ON "verdicts" ("claim_id");
CREATE INDEX "idx_verdicts_task_id"
    ON "verdicts" ("task_id");
CREATE INDEX "idx_verdicts_verdict"
    ON "verdicts" ("verdict");
CREATE INDEX "idx_evidence_claim_id"
    ON "evidence" ("claim_id");
CREATE INDEX "idx_articles_doc_key"
    ON "articles" ("doc_key");
CREATE INDEX "idx_sentences_article_id"
    ON "sentences" ("article_id");
CREATE INDEX "idx_claims_article_id"
    ON "claims" ("article_id");
CREATE INDEX "idx_claims_kind_is_claim"
    ON "claims" ("kind", "is_claim");
CREATE INDEX "idx_claims_lang"
    ON "claims" ("lang");
CREATE INDEX "idx_quantities_unit_value"
    ON "quantities" ("unit", "value");
CREATE INDEX "idx_times_value"
    ON "times" ("value");
CREATE INDEX "idx_entities_text"
    ON "entities" ("text");
CREATE INDEX "idx_entities_label"
    ON "entities" ("label");
COMMIT;
