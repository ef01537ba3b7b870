-- Scan history: one row per recorded scan, its input files and every finding.
CREATE TABLE scans (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	started_at        TEXT    NOT NULL,
	finished_at       TEXT    NOT NULL DEFAULT '',
	now               TEXT    NOT NULL,
	catalogue_version TEXT    NOT NULL DEFAULT '',
	catalogue_digest  TEXT    NOT NULL DEFAULT '',
	params_digest     TEXT    NOT NULL DEFAULT '',
	tool_version      TEXT    NOT NULL DEFAULT '',
	documents         INTEGER NOT NULL DEFAULT 0,
	locks             INTEGER NOT NULL DEFAULT 0,
	compliant         INTEGER NOT NULL DEFAULT 0,
	failing           INTEGER NOT NULL DEFAULT 0,
	invalid           INTEGER NOT NULL DEFAULT 0,
	-- complete is 0 for a scan that was interrupted (Ctrl-C) but recorded.
	complete          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX scans_started_at ON scans (started_at);

CREATE TABLE scan_inputs (
	scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	path    TEXT    NOT NULL,
	sha256  TEXT    NOT NULL,
	PRIMARY KEY (scan_id, path)
);

CREATE TABLE findings (
	scan_id        INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	doc_kind       TEXT    NOT NULL,
	doc_name       TEXT    NOT NULL,
	doc_file       TEXT    NOT NULL,
	site           TEXT    NOT NULL DEFAULT '',
	control_id     TEXT    NOT NULL,
	status         TEXT    NOT NULL,
	severity       TEXT    NOT NULL,
	rationale_hash TEXT    NOT NULL
);

CREATE INDEX findings_scan_control ON findings (scan_id, control_id);
CREATE INDEX findings_scan_doc ON findings (scan_id, doc_kind, doc_name);
