package seam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"
)

// ExportVersion is the version of the export format Save writes.
const ExportVersion = 1

// Export is what one import read from Seam: the three list responses (with
// unmanaged access codes beside the managed ones), each with every page
// merged. `lockcheck import seam --save FILE` writes it and `--from FILE`
// reads it back, so a scan can run where the API cannot be reached. It holds
// only the model's fields: never an access code's value, never the API key.
type Export struct {
	Version int `json:"lockcheck_seam_export"`
	// FetchedAt is when the lists were read (RFC 3339, UTC); the snapshots'
	// captured_at unless --captured-at says otherwise.
	FetchedAt string `json:"fetched_at"`
	// Since is the start of the events window.
	Since                string          `json:"since,omitempty"`
	Devices              DevicesList     `json:"devices/list"`
	AccessCodes          AccessCodesList `json:"access_codes/list"`
	UnmanagedAccessCodes AccessCodesList `json:"access_codes/unmanaged/list"`
	Events               EventsList      `json:"events/list"`
}

// DevicesList is a devices/list response body.
type DevicesList struct {
	Devices    []Device    `json:"devices"`
	Pagination *Pagination `json:"pagination,omitempty"`
}

// AccessCodesList is an access_codes/list or access_codes/unmanaged/list
// response body.
type AccessCodesList struct {
	AccessCodes []AccessCode `json:"access_codes"`
	Pagination  *Pagination  `json:"pagination,omitempty"`
}

// EventsList is an events/list response body.
type EventsList struct {
	Events []Event `json:"events"`
}

// ReadExport decodes an export. name is used in errors. Unknown fields are
// tolerated (an export written by a newer lockcheck, or a hand-assembled
// one holding whole API responses); a malformed one is an error.
func ReadExport(r io.Reader, name string) (*Export, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var x Export
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&x); err != nil {
		return nil, &FormatError{Name: name, Err: jsonErr(data, err)}
	}
	if dec.More() {
		return nil, &FormatError{Name: name, Err: fmt.Errorf("more than one JSON value")}
	}
	if x.Version == 0 {
		return nil, &FormatError{Name: name, Err: fmt.Errorf("not a Seam export: the key %q is missing (write one with `lockcheck import seam --save FILE`)", "lockcheck_seam_export")}
	}
	if x.Version > ExportVersion {
		return nil, &FormatError{Name: name, Err: fmt.Errorf("export version %d is newer than this lockcheck reads (%d)", x.Version, ExportVersion)}
	}
	if _, err := time.Parse(time.RFC3339, x.FetchedAt); err != nil {
		return nil, &FormatError{Name: name, Err: fmt.Errorf("fetched_at: expected an RFC 3339 time with offset, got %q", x.FetchedAt)}
	}
	return &x, nil
}

// Write encodes the export as indented JSON, devices, codes and events in
// the order the mapping sorts them, so that the same lists give the same bytes.
func (x *Export) Write(w io.Writer) error {
	x.Version = ExportVersion
	x.sort()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(x)
}

// FormatError is a malformed export or API response: an input error.
type FormatError struct {
	Name string
	Err  error
}

func (e *FormatError) Error() string { return fmt.Sprintf("%s: %v", e.Name, e.Err) }
func (e *FormatError) Unwrap() error { return e.Err }

// jsonErr adds the line and column to a JSON syntax or type error.
func jsonErr(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
		if off >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
			return fmt.Errorf("truncated JSON (ends after %d bytes)", len(data))
		}
	case *json.UnmarshalTypeError:
		off = e.Offset
		if e.Field != "" {
			err = fmt.Errorf("field %s: expected %s, got JSON %s", e.Field, e.Type, e.Value)
		}
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return fmt.Errorf("truncated JSON (ends after %d bytes)", len(data))
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

// sort puts every list in a stable order: devices by id, access codes by
// device then id, events by time then id.
func (x *Export) sort() {
	sort.SliceStable(x.Devices.Devices, func(i, j int) bool {
		return x.Devices.Devices[i].DeviceID < x.Devices.Devices[j].DeviceID
	})
	for _, l := range []*AccessCodesList{&x.AccessCodes, &x.UnmanagedAccessCodes} {
		c := l.AccessCodes
		sort.SliceStable(c, func(i, j int) bool {
			if c[i].DeviceID != c[j].DeviceID {
				return c[i].DeviceID < c[j].DeviceID
			}
			return c[i].AccessCodeID < c[j].AccessCodeID
		})
	}
	e := x.Events.Events
	sort.SliceStable(e, func(i, j int) bool {
		ti, tj := parseTime(e[i].OccurredAt), parseTime(e[j].OccurredAt)
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return e[i].EventID < e[j].EventID
	})
	x.Devices.Pagination, x.AccessCodes.Pagination, x.UnmanagedAccessCodes.Pagination = nil, nil, nil
}

// parseTime reads an RFC 3339 time; the zero time when it is not one.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
