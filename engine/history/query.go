package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lockcheck/lockcheck/engine/finding"
)

// Scan is one recorded scan.
type Scan struct {
	ID               int64  `json:"id"`
	StartedAt        string `json:"started_at"`
	FinishedAt       string `json:"finished_at"`
	Now              string `json:"now"`
	CatalogueVersion string `json:"catalogue_version"`
	CatalogueDigest  string `json:"catalogue_digest"`
	ParamsDigest     string `json:"params_digest"`
	ToolVersion      string `json:"tool_version"`
	Documents        int    `json:"documents"`
	Locks            int    `json:"locks"`
	Compliant        int    `json:"compliant"`
	Failing          int    `json:"failing"`
	Invalid          int    `json:"invalid"`
	Complete         bool   `json:"complete"`
}

// CompliantPct is the share of evaluated documents that are compliant
// (0–100; 0 when none was evaluated).
func (s Scan) CompliantPct() float64 {
	n := s.Compliant + s.Failing
	if n == 0 {
		return 0
	}
	return float64(s.Compliant) * 100 / float64(n)
}

// ErrNoScan is returned when a scan id does not exist, or when too few scans
// are recorded for a default.
var ErrNoScan = errors.New("no such scan")

const scanCols = `id, started_at, finished_at, now, catalogue_version, catalogue_digest, params_digest, tool_version, documents, locks, compliant, failing, invalid, complete`

func scanRow(row interface{ Scan(...any) error }) (Scan, error) {
	var s Scan
	var c int
	err := row.Scan(&s.ID, &s.StartedAt, &s.FinishedAt, &s.Now, &s.CatalogueVersion, &s.CatalogueDigest, &s.ParamsDigest, &s.ToolVersion,
		&s.Documents, &s.Locks, &s.Compliant, &s.Failing, &s.Invalid, &c)
	s.Complete = c == 1
	return s, err
}

// Scans lists recorded scans, oldest first; limit > 0 keeps the newest limit.
func (s *Store) Scans(ctx context.Context, limit int) ([]Scan, error) {
	q := `SELECT ` + scanCols + ` FROM scans ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		sc, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("list scans: %w", err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Scan returns one scan by id.
func (s *Store) Scan(ctx context.Context, id int64) (Scan, error) {
	sc, err := scanRow(s.db.QueryRowContext(ctx, `SELECT `+scanCols+` FROM scans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, fmt.Errorf("scan %d: %w", id, ErrNoScan)
	}
	return sc, err
}

// completeIDs returns the ids of the newest n complete scans, oldest first.
func (s *Store) completeIDs(ctx context.Context, n int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM scans WHERE complete = 1 ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, rows.Err()
}

// LastTwo returns the ids of the two newest complete scans (older first).
func (s *Store) LastTwo(ctx context.Context) (int64, int64, error) {
	ids, err := s.completeIDs(ctx, 2)
	if err != nil {
		return 0, 0, fmt.Errorf("last scans: %w", err)
	}
	if len(ids) < 2 {
		return 0, 0, fmt.Errorf("diff needs two complete scans, the store has %d: %w", len(ids), ErrNoScan)
	}
	return ids[0], ids[1], nil
}

// Prune deletes scans: all but the newest keep (when keep > 0) and those
// started before olderThan (when not zero). It returns how many it deleted.
func (s *Store) Prune(ctx context.Context, keep int, olderThan time.Time) (int, error) {
	tx, err := s.begin(ctx, s.LockWait)
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	defer tx.Rollback()
	n := 0
	if keep > 0 {
		res, err := tx.ExecContext(ctx, `DELETE FROM scans WHERE id NOT IN (SELECT id FROM scans ORDER BY id DESC LIMIT ?)`, keep)
		if err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	if !olderThan.IsZero() {
		res, err := tx.ExecContext(ctx, `DELETE FROM scans WHERE started_at < ?`, olderThan.UTC().Format(timeFormat))
		if err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, tx.Commit()
}

// FindingRef is one finding in a diff.
type FindingRef struct {
	Kind      string           `json:"kind"`
	Name      string           `json:"name"`
	Site      string           `json:"site,omitempty"`
	ControlID string           `json:"control_id"`
	Severity  finding.Severity `json:"severity"`
	// Before and After are the statuses in scans A and B; empty when the
	// document (or the control's finding) is absent from that scan.
	Before finding.Status `json:"before,omitempty"`
	After  finding.Status `json:"after,omitempty"`
}

// DocRef is a document in a diff's added or removed list.
type DocRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Site string `json:"site,omitempty"`
	// Failing is the number of its failing findings in the scan that has it.
	Failing int `json:"failing"`
}

// Diff is what changed from scan A to scan B.
type Diff struct {
	A Scan `json:"a"`
	B Scan `json:"b"`
	// NewlyFailing are failing in B and were not in A (including the
	// failing findings of documents new in B).
	NewlyFailing []FindingRef `json:"newly_failing"`
	// Resolved were failing in A and no longer fail in B (documents removed
	// from B are listed under Removed, not here).
	Resolved []FindingRef `json:"resolved"`
	// StillFailing fail in both.
	StillFailing []FindingRef `json:"still_failing"`
	Added        []DocRef     `json:"added"`
	Removed      []DocRef     `json:"removed"`
	Counts       DiffCounts   `json:"counts"`
}

// DiffCounts are the sizes of a diff's lists.
type DiffCounts struct {
	NewlyFailing int `json:"newly_failing"`
	Resolved     int `json:"resolved"`
	StillFailing int `json:"still_failing"`
	Added        int `json:"added"`
	Removed      int `json:"removed"`
}

type fkey struct{ kind, name, control string }
type dkey struct{ kind, name string }

type frow struct {
	site     string
	status   finding.Status
	severity finding.Severity
}

func (s *Store) findingsOf(ctx context.Context, id int64) (map[fkey]frow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc_kind, doc_name, control_id, site, status, severity FROM findings WHERE scan_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[fkey]frow{}
	for rows.Next() {
		var k fkey
		var r frow
		if err := rows.Scan(&k.kind, &k.name, &k.control, &r.site, &r.status, &r.severity); err != nil {
			return nil, err
		}
		out[k] = r
	}
	return out, rows.Err()
}

// Diff compares scan a (before) with scan b (after). Findings are matched by
// document kind and name and control id; failing means fail,
// insufficient_evidence or error (a waived finding does not fail).
func (s *Store) Diff(ctx context.Context, a, b int64) (*Diff, error) {
	d := &Diff{NewlyFailing: []FindingRef{}, Resolved: []FindingRef{}, StillFailing: []FindingRef{}, Added: []DocRef{}, Removed: []DocRef{}}
	var err error
	if d.A, err = s.Scan(ctx, a); err != nil {
		return nil, err
	}
	if d.B, err = s.Scan(ctx, b); err != nil {
		return nil, err
	}
	fa, err := s.findingsOf(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	fb, err := s.findingsOf(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	docs := func(m map[fkey]frow) map[dkey]*DocRef {
		out := map[dkey]*DocRef{}
		for k, r := range m {
			dk := dkey{k.kind, k.name}
			dr := out[dk]
			if dr == nil {
				dr = &DocRef{Kind: k.kind, Name: k.name, Site: r.site}
				out[dk] = dr
			}
			if r.status.Failing() {
				dr.Failing++
			}
		}
		return out
	}
	da, db := docs(fa), docs(fb)
	for k, rb := range fb {
		ra, inA := fa[k]
		ref := FindingRef{Kind: k.kind, Name: k.name, Site: rb.site, ControlID: k.control, Severity: rb.severity, After: rb.status}
		if inA {
			ref.Before = ra.status
		}
		switch {
		case rb.status.Failing() && inA && ra.status.Failing():
			d.StillFailing = append(d.StillFailing, ref)
		case rb.status.Failing():
			d.NewlyFailing = append(d.NewlyFailing, ref)
		case inA && ra.status.Failing():
			d.Resolved = append(d.Resolved, ref)
		}
	}
	for k, ra := range fa {
		if _, inB := fb[k]; inB || !ra.status.Failing() {
			continue
		}
		if _, docInB := db[dkey{k.kind, k.name}]; docInB {
			// The document is still there but the control no longer reports
			// on it: it no longer fails.
			d.Resolved = append(d.Resolved, FindingRef{Kind: k.kind, Name: k.name, Site: ra.site, ControlID: k.control, Severity: ra.severity, Before: ra.status})
		}
	}
	for k, r := range db {
		if _, ok := da[k]; !ok {
			d.Added = append(d.Added, *r)
		}
	}
	for k, r := range da {
		if _, ok := db[k]; !ok {
			d.Removed = append(d.Removed, *r)
		}
	}
	for _, l := range [][]FindingRef{d.NewlyFailing, d.Resolved, d.StillFailing} {
		sortFindings(l)
	}
	for _, l := range [][]DocRef{d.Added, d.Removed} {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Kind != l[j].Kind {
				return l[i].Kind < l[j].Kind
			}
			return l[i].Name < l[j].Name
		})
	}
	d.Counts = DiffCounts{len(d.NewlyFailing), len(d.Resolved), len(d.StillFailing), len(d.Added), len(d.Removed)}
	return d, nil
}

func sortFindings(l []FindingRef) {
	sort.Slice(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return finding.ControlLess(a.ControlID, b.ControlID)
	})
}

// TrendQuery selects a trend.
type TrendQuery struct {
	// Last is the number of newest complete scans (default 5).
	Last int
	// Control and Site filter the findings (empty: all).
	Control, Site string
	// BySite makes one row per site instead of one per control.
	BySite bool
}

// Trend is a table of pass rates: one row per control (or site), one column
// per scan, oldest first.
type Trend struct {
	Scans []Scan     `json:"scans"`
	Rows  []TrendRow `json:"rows"`
}

// TrendRow is one control's (or site's) pass rates across the scans.
type TrendRow struct {
	Key string `json:"key"`
	// Rates are percentages (0–100) of passing findings among those that
	// apply (pass, fail, insufficient_evidence, error, waived), one per scan;
	// nil where the control (or site) had no applicable finding.
	Rates []*float64 `json:"rates"`
}

// Trend computes pass rates across the newest complete scans.
func (s *Store) Trend(ctx context.Context, q TrendQuery) (*Trend, error) {
	if q.Last <= 0 {
		q.Last = 5
	}
	ids, err := s.completeIDs(ctx, q.Last)
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	t := &Trend{Scans: []Scan{}, Rows: []TrendRow{}}
	col := map[int64]int{}
	for i, id := range ids {
		sc, err := s.Scan(ctx, id)
		if err != nil {
			return nil, err
		}
		t.Scans = append(t.Scans, sc)
		col[id] = i
	}
	if len(ids) == 0 {
		return t, nil
	}
	group := "control_id"
	if q.BySite {
		group = "site"
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, 0, len(ids)+2)
	for _, id := range ids {
		args = append(args, id)
	}
	where := ""
	if q.Control != "" {
		where += " AND control_id = ?"
		args = append(args, strings.ToUpper(q.Control))
	}
	if q.Site != "" {
		where += " AND site = ?"
		args = append(args, q.Site)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT scan_id, `+group+`, SUM(status = 'pass'), SUM(status <> 'not_applicable') FROM findings WHERE scan_id IN (`+ph+`)`+where+` GROUP BY scan_id, `+group, args...)
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	defer rows.Close()
	byKey := map[string]*TrendRow{}
	for rows.Next() {
		var id int64
		var key string
		var pass, applicable int
		if err := rows.Scan(&id, &key, &pass, &applicable); err != nil {
			return nil, fmt.Errorf("trend: %w", err)
		}
		r := byKey[key]
		if r == nil {
			r = &TrendRow{Key: key, Rates: make([]*float64, len(ids))}
			byKey[key] = r
		}
		if applicable > 0 {
			v := float64(int(float64(pass)*1000/float64(applicable)+0.5)) / 10
			r.Rates[col[id]] = &v
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	for _, r := range byKey {
		t.Rows = append(t.Rows, *r)
	}
	sort.Slice(t.Rows, func(i, j int) bool {
		if q.BySite {
			return t.Rows[i].Key < t.Rows[j].Key
		}
		return finding.ControlLess(t.Rows[i].Key, t.Rows[j].Key)
	})
	return t, nil
}

// ControlPassRates returns the pass rate of every control across the newest
// last complete scans: what the HTML report's trend chart shows when a store
// is available.
func (s *Store) ControlPassRates(ctx context.Context, last int) (*Trend, error) {
	return s.Trend(ctx, TrendQuery{Last: last})
}
