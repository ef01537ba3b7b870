// Package merge combines the NDJSON outputs of `scan --shard K/N` runs into
// one result, as if one process had scanned everything: documents in input
// order, the summary re-aggregated from the findings (the fleet-level
// controls are then evaluated by the caller over the merged aggregates).
//
// It trusts no shard: Open checks that a shard's lines match the count and
// digest its summary records, and CheckSet that the shards are exactly
// shards 0..N-1 of one run.
package merge

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// maxLine bounds one line of a shard's output (a finding with a long
// rationale is a few KB; an input error list can be longer).
const maxLine = 64 << 20

// summaryPrefix starts the summary line the ndjson writer writes.
var summaryPrefix = []byte(`{"type":"summary"`)

// Shard streams one shard's ndjson output as documents.
type Shard struct {
	// Path is the file, as given.
	Path string
	// Summary is the shard's summary line.
	Summary *scan.Summary

	file *os.File
	sc   *bufio.Scanner
	// line is a read line that belongs to the next document.
	line *report.NDJSONLine
	head *scan.DocResult
	key  docKey
	// seen are the files of the documents already consumed (the shard's
	// output is in input order, so these files come before the head's).
	seen map[string]bool
	// seenDirs are the directories of those files.
	seenDirs map[string]bool
	// read counts the documents read, in all and by kind.
	read   int
	byKind map[string]int
}

// docKey identifies a document across shards.
type docKey struct {
	file  string
	index int
}

// Open reads a shard's summary line (the last one) and checks the lines
// before it against the count and digest it records, then positions the
// reader on the first document. Close it when done.
func Open(p string) (*Shard, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	s := &Shard{Path: p, file: fh, seen: map[string]bool{}, seenDirs: map[string]bool{}, byKind: map[string]int{}}
	if err := s.readSummary(); err != nil {
		fh.Close()
		return nil, err
	}
	if _, err := fh.Seek(0, 0); err != nil {
		fh.Close()
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	s.sc = newScanner(fh)
	if err := s.advance(); err != nil {
		fh.Close()
		return nil, err
	}
	return s, nil
}

func newScanner(f *os.File) *bufio.Scanner {
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	return sc
}

// Close closes the shard's file.
func (s *Shard) Close() error { return s.file.Close() }

// readSummary finds the summary line and verifies the lines before it.
func (s *Shard) readSummary() error {
	sc := newScanner(s.file)
	h := sha256.New()
	lines, after := 0, 0
	for sc.Scan() {
		b := sc.Bytes()
		if s.Summary != nil {
			after++
			continue
		}
		if bytes.HasPrefix(b, summaryPrefix) {
			var l report.NDJSONLine
			if err := json.Unmarshal(b, &l); err != nil || l.Summary == nil {
				return fmt.Errorf("%s: summary line: %v", s.Path, err)
			}
			s.Summary = l.Summary
			continue
		}
		h.Write(b)
		h.Write([]byte{'\n'})
		lines++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	if s.Summary == nil {
		return fmt.Errorf("%s: no summary line: not the --format ndjson output of a finished `lockcheck scan` (was the shard cut short?)", s.Path)
	}
	sh := s.Summary.Shard
	switch {
	case sh == nil || sh.Digest == "":
		return fmt.Errorf("%s: its summary records no shard K/N and digest: not the --format ndjson output of `lockcheck scan --shard K/N` by this version", s.Path)
	case sh.Of < 1 || sh.Index < 0 || sh.Index >= sh.Of:
		return fmt.Errorf("%s: its summary records shard %d/%d, which does not exist", s.Path, sh.Index, sh.Of)
	case after > 0:
		return fmt.Errorf("%s: %d lines after the summary line: the shard was altered after it was written", s.Path, after)
	case lines != sh.Lines:
		return fmt.Errorf("%s: %d finding, error and warning lines, its summary records %d: the shard was altered after it was written (lines removed or added)", s.Path, lines, sh.Lines)
	case "sha256:"+hex.EncodeToString(h.Sum(nil)) != sh.Digest:
		return fmt.Errorf("%s: its lines do not match the digest its summary records: the shard was altered after it was written (a finding changed)", s.Path)
	}
	return nil
}

// Incomplete reports whether the shard's run was interrupted.
func (s *Shard) Incomplete() bool { return s.Summary.Incomplete }

// nextLine returns the next finding, error or warning line (nil at the end).
func (s *Shard) nextLine() (*report.NDJSONLine, error) {
	if l := s.line; l != nil {
		s.line = nil
		return l, nil
	}
	for s.sc.Scan() {
		b := s.sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		// numbers stay as written (json.Number): evidence values are
		// rewritten exactly as the shard wrote them
		var l report.NDJSONLine
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Path, err)
		}
		switch l.Type {
		case "finding", "error", "warning":
			return &l, nil
		}
	}
	return nil, s.sc.Err()
}

func lineDoc(l *report.NDJSONLine) finding.DocRef {
	if l.Finding != nil {
		return l.Finding.Document
	}
	if l.Document != nil {
		return *l.Document
	}
	return finding.DocRef{}
}

// advance reads the next document's lines into head (nil at the end); the
// shard's own fleet-level result is skipped (merge evaluates it anew).
func (s *Shard) advance() error {
	if s.head != nil {
		s.seen[s.key.file] = true
		s.seenDirs[path.Dir(s.key.file)] = true
	}
	for {
		s.head = nil
		l, err := s.nextLine()
		if err != nil || l == nil {
			return err
		}
		ref := lineDoc(l)
		r := &scan.DocResult{Doc: ref}
		key := docKey{ref.File, ref.Index}
		for l != nil {
			if d := lineDoc(l); d.File != key.file || d.Index != key.index {
				s.line = l
				break
			}
			switch l.Type {
			case "finding":
				r.Findings = append(r.Findings, *l.Finding)
				if r.Labels == nil {
					r.Labels = l.Labels
				}
			case "error":
				if l.Error != nil {
					r.Errors = append(r.Errors, l.Error)
				}
			case "warning":
				if l.Warning != nil {
					r.Warnings = append(r.Warnings, *l.Warning)
				}
			}
			if l, err = s.nextLine(); err != nil {
				return err
			}
		}
		if ref.Kind == scan.KindFleet && ref.File == scan.FleetFile {
			continue
		}
		sort.SliceStable(r.Findings, func(i, j int) bool { return finding.ControlLess(r.Findings[i].ControlID, r.Findings[j].ControlID) })
		s.head, s.key = r, key
		s.read++
		// the summary counts kinds of valid documents only
		if ref.Kind != "" && len(r.Errors) == 0 {
			s.byKind[ref.Kind]++
		}
		return nil
	}
}
