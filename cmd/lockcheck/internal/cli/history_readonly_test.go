package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/history"
)

// TestReadOnlyCommandsNeedNoWriteAccess: history, diff and trend only read
// the store. They used to open it with a write transaction, so they waited
// (then failed) while a scan was being recorded, and could not read a store
// on a read-only file or directory.
func TestReadOnlyCommandsNeedNoWriteAccess(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	doc := fixtures + "/fleet/unit-101-compliant.yaml"
	for i := 0; i < 2; i++ {
		if _, stderr, code := lc(t, scanArgs(doc, "--store", store)...); code > 1 {
			t.Fatalf("scan: exit %d\n%s", code, stderr)
		}
	}
	commands := [][]string{
		{"history", "--store", store},
		{"diff", "--store", store},
		{"trend", "--store", store, "--control", "ENR-001"},
	}
	run := func(t *testing.T, args []string) {
		t.Helper()
		type result struct {
			stderr string
			code   int
		}
		done := make(chan result, 1)
		go func() {
			_, stderr, code := lc(t, args...)
			done <- result{stderr, code}
		}()
		select {
		case r := <-done:
			if r.code != 0 {
				t.Errorf("%s: exit %d\n%s", args[0], r.code, r.stderr)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s waits for the write lock of the scan being recorded", args[0])
		}
	}

	t.Run("while a scan is being recorded", func(t *testing.T) {
		ctx := context.Background()
		st, err := history.Open(ctx, store)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		rec, err := st.Begin(ctx, history.Meta{Now: time.Now()}) // holds the write lock
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Rollback()
		for _, args := range commands {
			run(t, args)
		}
	})

	t.Run("read-only file and directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores file permissions")
		}
		dir := filepath.Dir(store)
		for _, p := range []string{store, dir} {
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			mode := info.Mode().Perm()
			if err := os.Chmod(p, mode&^0o222); err != nil {
				t.Fatal(err)
			}
			defer os.Chmod(p, mode)
		}
		for _, args := range commands {
			run(t, args)
		}
	})
}

// TestHistoryCountsDocumentsNotTheFleet: the fleet pseudo-document holds the
// fleet-level findings; history used to count it as a document (22
// documents, 5/22 compliant, for 21 locks of which 5 comply).
func TestHistoryCountsDocumentsNotTheFleet(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	if _, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--store", store)...); code > 1 {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	out, stderr, code := lc(t, "history", "--store", store, "-f", "json")
	if code != 0 {
		t.Fatalf("history: exit %d\n%s", code, stderr)
	}
	var scans []history.Scan
	if err := json.Unmarshal([]byte(out), &scans); err != nil || len(scans) != 1 {
		t.Fatalf("history json: %v\n%s", err, out)
	}
	s := scans[0]
	if s.Documents != 21 || s.Locks != 21 || s.Compliant != 5 || s.Failing != 16 {
		t.Errorf("documents %d, locks %d, compliant %d, failing %d; want 21, 21, 5, 16", s.Documents, s.Locks, s.Compliant, s.Failing)
	}
	text, _, _ := lc(t, "history", "--store", store)
	if !strings.Contains(text, "23.8%") {
		t.Errorf("history shows no 5/21 = 23.8%% compliant:\n%s", text)
	}
}
