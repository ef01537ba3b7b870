// Package history records scans in an embedded SQLite database (the pure-Go
// modernc.org/sqlite driver: no cgo, no server) and answers questions across
// them: the list of scans, the difference between two scans, and pass-rate
// trends per control or per site.
//
// The database runs in WAL mode with a busy timeout and foreign keys on. Its
// schema is managed by the versioned migrations embedded under migrations/,
// applied on Open and recorded in schema_migrations.
//
// A scan is recorded in one transaction, opened with BEGIN IMMEDIATE when the
// scan starts (retried while another writer holds the lock), filled as results
// stream in, and committed when the scan ends. A scan that is killed or
// crashes before the commit leaves no trace; readers never see a half-written
// scan. A scan interrupted cleanly (Ctrl-C) is committed with complete = 0.
package history

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// BusyTimeout is how long one statement waits for another connection's lock.
const BusyTimeout = 5 * time.Second

// DefaultLockWait bounds how long Begin keeps retrying while another scan
// holds the write lock (a scan holds it from start to end).
const DefaultLockWait = 30 * time.Minute

// timeFormat stores times as fixed-width UTC text, so they sort as strings.
const timeFormat = "2006-01-02T15:04:05.000Z"

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	// LockWait bounds how long Begin waits for the write lock.
	LockWait time.Duration
}

// Open opens (creating if needed) the database at path and applies any
// pending migrations.
func Open(ctx context.Context, file string) (*Store, error) {
	if file == "" {
		return nil, errors.New("open store: no path")
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}
	s := &Store{db: db, path: file, LockWait: DefaultLockWait}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}
	return s, nil
}

// OpenReadOnly opens an existing store for reading: the file is opened
// read-only and every connection is query-only, so no transaction takes the
// write lock and nothing is written, and a store on a read-only file or
// directory can still be read. A store whose schema is older than this
// lockcheck's is migrated first, which needs write access once.
func OpenReadOnly(ctx context.Context, file string) (*Store, error) {
	if file == "" {
		return nil, errors.New("open store: no path")
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}
	s := &Store{db: db, path: file, LockWait: DefaultLockWait}
	ms, err := loadMigrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", file, err)
	}
	switch latest := ms[len(ms)-1].version; {
	case v > latest:
		db.Close()
		return nil, fmt.Errorf("open store %s: the store's schema is version %d, newer than this lockcheck knows (%d): use a newer lockcheck", file, v, latest)
	case v < latest:
		db.Close()
		return Open(ctx, file)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// SchemaVersion is the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		n := e.Name()
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version, e.g. 0002_name.sql", n)
		}
		b, err := migrations.ReadFile(path.Join("migrations", n))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, n, string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

// migrate applies the pending migrations in one immediate transaction, so
// two processes opening a new store at once apply them once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx, time.Minute)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if latest := ms[len(ms)-1].version; int(cur.Int64) > latest {
		return fmt.Errorf("the store's schema is version %d, newer than this lockcheck knows (%d): use a newer lockcheck", cur.Int64, latest)
	}
	for _, m := range ms {
		if m.version <= int(cur.Int64) {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.version, m.name, time.Now().UTC().Format(timeFormat)); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return tx.Commit()
}

// begin starts an immediate (write-locking) transaction, retrying while
// another connection holds the lock, for at most wait.
func (s *Store) begin(ctx context.Context, wait time.Duration) (*sql.Tx, error) {
	deadline := time.Now().Add(wait)
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err == nil {
			return tx, nil
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return nil, fmt.Errorf("begin transaction: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}
