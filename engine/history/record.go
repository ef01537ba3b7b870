package history

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// PauseEnv, when set to a file path, makes Commit create that file and
// sleep before committing. It exists for the test that kills a scan while
// its transaction is open; never set it otherwise.
const PauseEnv = "LOCKCHECK_STORE_TEST_PAUSE_BEFORE_COMMIT"

// Meta describes a scan when it starts.
type Meta struct {
	StartedAt        time.Time
	Now              time.Time
	CatalogueVersion string
	CatalogueDigest  string
	ParamsDigest     string
	ToolVersion      string
}

// Input is one input file of a scan and its content digest.
type Input struct {
	Path   string
	SHA256 string
}

// Recording is a scan being written: one open transaction.
type Recording struct {
	tx      *sql.Tx
	id      int64
	insert  *sql.Stmt
	locks   int
	fleet   *scan.DocResult // the fleet pseudo-document, not counted as a document
	done    bool
	started time.Time
}

// Begin opens the scan's transaction (waiting up to Store.LockWait for
// another scan to finish) and creates its row, invisible to readers until
// Commit.
func (s *Store) Begin(ctx context.Context, m Meta) (*Recording, error) {
	tx, err := s.begin(ctx, s.LockWait)
	if err != nil {
		return nil, fmt.Errorf("record scan: %w", err)
	}
	if m.StartedAt.IsZero() {
		m.StartedAt = time.Now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO scans (started_at, now, catalogue_version, catalogue_digest, params_digest, tool_version) VALUES (?, ?, ?, ?, ?, ?)`,
		m.StartedAt.UTC().Format(timeFormat), m.Now.UTC().Format(time.RFC3339), m.CatalogueVersion, m.CatalogueDigest, m.ParamsDigest, m.ToolVersion)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("record scan: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("record scan: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO findings (scan_id, doc_kind, doc_name, doc_file, site, control_id, status, severity, rationale_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("record scan: %w", err)
	}
	return &Recording{tx: tx, id: id, insert: ins, started: m.StartedAt}, nil
}

// ID is the scan's id (final once committed).
func (r *Recording) ID() int64 { return r.id }

// Inputs records the scan's input files.
func (r *Recording) Inputs(ctx context.Context, in []Input) error {
	for _, i := range in {
		if _, err := r.tx.ExecContext(ctx, `INSERT OR REPLACE INTO scan_inputs (scan_id, path, sha256) VALUES (?, ?, ?)`, r.id, i.Path, i.SHA256); err != nil {
			return fmt.Errorf("record inputs: %w", err)
		}
	}
	return nil
}

// Add records one document's findings.
func (r *Recording) Add(ctx context.Context, res *scan.DocResult) error {
	if len(res.Findings) > 0 && res.Doc.Kind == document.KindLockSnapshot {
		r.locks++
	}
	if res.Doc.Kind == scan.KindFleet {
		r.fleet = res
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		h := sha256.Sum256([]byte(f.Rationale))
		if _, err := r.insert.ExecContext(ctx, r.id, res.Doc.Kind, res.Doc.Name, res.Doc.File, res.Doc.Site, f.ControlID, string(f.Status), string(f.Severity), hex.EncodeToString(h[:])); err != nil {
			return fmt.Errorf("record finding: %w", err)
		}
	}
	return nil
}

// Commit completes the scan's row from the run's summary and commits; the
// scan becomes visible at once, whole. complete is false for a run that was
// interrupted but whose results so far are worth keeping.
func (r *Recording) Commit(ctx context.Context, sum *scan.Summary, complete bool) (int64, error) {
	if r.done {
		return 0, fmt.Errorf("record scan: already finished")
	}
	r.done = true
	defer r.insert.Close()
	c := 0
	if complete {
		c = 1
	}
	docs, compliant, failing, invalid := documentCounts(sum, r.fleet)
	if _, err := r.tx.ExecContext(ctx, `UPDATE scans SET finished_at = ?, documents = ?, locks = ?, compliant = ?, failing = ?, invalid = ?, complete = ? WHERE id = ?`,
		time.Now().UTC().Format(timeFormat), docs, r.locks, compliant, failing, invalid, c, r.id); err != nil {
		r.tx.Rollback()
		return 0, fmt.Errorf("record scan: %w", err)
	}
	if p := os.Getenv(PauseEnv); p != "" {
		os.WriteFile(p, []byte(fmt.Sprint(r.id)), 0o600)
		time.Sleep(time.Minute)
	}
	if err := r.tx.Commit(); err != nil {
		return 0, fmt.Errorf("record scan: commit: %w", err)
	}
	return r.id, nil
}

// documentCounts are the summary's document counts without the fleet
// pseudo-document: it holds the fleet-level findings, it is not a document
// of the fleet (21 locks are 21 documents, not 22). It is taken out the way
// the summary counted it.
func documentCounts(sum *scan.Summary, fleet *scan.DocResult) (docs, compliant, failing, invalid int) {
	docs, compliant, failing, invalid = sum.Documents, sum.Compliant, sum.Failing, sum.Invalid
	if fleet == nil {
		return
	}
	docs--
	switch {
	case len(fleet.Errors) > 0:
		invalid--
	case len(fleet.Findings) == 0:
	case fleet.Failing(finding.Severity(sum.FailOn)):
		failing--
	default:
		compliant--
	}
	return max(docs, 0), max(compliant, 0), max(failing, 0), max(invalid, 0)
}

// Rollback abandons the scan; nothing of it remains. Safe after Commit.
func (r *Recording) Rollback() error {
	if r.done {
		return nil
	}
	r.done = true
	r.insert.Close()
	return r.tx.Rollback()
}

// FileDigest returns the hex sha256 of a file's content.
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
