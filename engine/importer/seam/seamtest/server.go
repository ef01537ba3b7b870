// Package seamtest is a fake Seam API for tests: an httptest server that
// serves the workspaces in workspaces/ (written for lockcheck, in the shape
// of the real API, access-code values included, so that tests can prove
// those never leave the importer). Its responses are validated against
// Seam's OpenAPI document in a test of package seam.
package seamtest

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed workspaces/*.json
var workspaces embed.FS

// Workspace is what the fake serves: raw API objects.
type Workspace struct {
	Description          string            `json:"description"`
	Devices              []json.RawMessage `json:"devices"`
	AccessCodes          []json.RawMessage `json:"access_codes"`
	UnmanagedAccessCodes []json.RawMessage `json:"unmanaged_access_codes"`
	Events               []json.RawMessage `json:"events"`
}

// Names lists the bundled workspaces.
func Names() []string {
	ents, _ := workspaces.ReadDir("workspaces")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// Load reads a bundled workspace.
func Load(name string) (*Workspace, error) {
	data, err := workspaces.ReadFile("workspaces/" + name + ".json")
	if err != nil {
		return nil, err
	}
	var w Workspace
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("workspace %s: %w", name, err)
	}
	return &w, nil
}

// Request is one request the fake received.
type Request struct {
	Path          string
	Authorization string
	Workspace     string
	Body          map[string]any
}

// Server is the fake Seam API.
type Server struct {
	*httptest.Server
	// Key is the API key it accepts.
	Key string
	// PageSize caps every page (the smaller of it and the request's limit).
	PageSize int
	// Intercept, when set, sees every request first (n counts from 1); when
	// it returns true it has written the response.
	Intercept func(w http.ResponseWriter, r *http.Request, n int) bool
	// Response, when set, may rewrite a response body before it is sent.
	Response func(path string, body []byte) []byte

	ws       *Workspace
	mu       sync.Mutex
	requests []Request
}

// New starts a fake serving w that accepts key (on a loopback address).
func New(w *Workspace, key string) *Server {
	s := &Server{Key: key, ws: w, PageSize: 500}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Workspace: r.Header.Get("seam-workspace"), Body: body})
	n := len(s.requests)
	s.mu.Unlock()
	if s.Intercept != nil && s.Intercept(w, r, n) {
		return
	}
	if r.Method != http.MethodPost {
		Error(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Key {
		Error(w, http.StatusUnauthorized, "unauthorized", "Unauthorized")
		return
	}
	var out any
	switch r.URL.Path {
	case "/devices/list":
		ids := strings2(body["device_ids"])
		items := filter(s.ws.Devices, func(o map[string]any) bool { return len(ids) == 0 || ids[str(o["device_id"])] })
		page, pg := s.page(r.URL.Path, items, body)
		out = map[string]any{"devices": page, "pagination": pg, "ok": true}
	case "/access_codes/list", "/access_codes/unmanaged/list":
		dev := str(body["device_id"])
		if dev == "" {
			Error(w, http.StatusBadRequest, "invalid_input", "device_id is required")
			return
		}
		src := s.ws.AccessCodes
		if r.URL.Path == "/access_codes/unmanaged/list" {
			src = s.ws.UnmanagedAccessCodes
		}
		items := filter(src, func(o map[string]any) bool { return str(o["device_id"]) == dev })
		page, pg := s.page(r.URL.Path, items, body)
		out = map[string]any{"access_codes": page, "pagination": pg, "ok": true}
	case "/events/list":
		ids := strings2(body["device_ids"])
		var lo, hi time.Time
		if b, ok := body["between"].([]any); ok && len(b) == 2 {
			lo, _ = time.Parse(time.RFC3339Nano, str(b[0]))
			hi, _ = time.Parse(time.RFC3339Nano, str(b[1]))
		} else if since := str(body["since"]); since != "" {
			lo, _ = time.Parse(time.RFC3339Nano, since)
			hi = time.Now().Add(time.Hour)
		} else {
			Error(w, http.StatusBadRequest, "invalid_input", "since or between is required")
			return
		}
		items := filter(s.ws.Events, func(o map[string]any) bool {
			t, _ := time.Parse(time.RFC3339Nano, str(o["occurred_at"]))
			return (len(ids) == 0 || ids[str(o["device_id"])]) && t.After(lo) && t.Before(hi)
		})
		// Newest first, as the real API appears to return them.
		sort.SliceStable(items, func(i, j int) bool { return str(items[i]["occurred_at"]) > str(items[j]["occurred_at"]) })
		off := int(num(body["unstable_offset"]))
		limit := s.limit(body)
		end := min(off+limit, len(items))
		if off > len(items) {
			off = end
		}
		out = map[string]any{"events": items[off:end], "ok": true}
	default:
		Error(w, http.StatusNotFound, "not_found", "no such route")
		return
	}
	data, _ := json.Marshal(out)
	if s.Response != nil {
		data = s.Response(r.URL.Path, data)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

func (s *Server) limit(body map[string]any) int {
	limit := s.PageSize
	if l := int(num(body["limit"])); l > 0 && l < limit {
		limit = l
	}
	return limit
}

// page cuts one page of items; the cursor is the offset, opaque to clients.
func (s *Server) page(path string, items []map[string]any, body map[string]any) ([]map[string]any, map[string]any) {
	off := 0
	if c := str(body["page_cursor"]); c != "" {
		off, _ = strconv.Atoi(strings.TrimPrefix(c, "cursor-"))
	}
	limit := s.limit(body)
	end := min(off+limit, len(items))
	if off > end {
		off = end
	}
	pg := map[string]any{"has_next_page": end < len(items), "next_page_cursor": nil, "next_page_url": nil}
	if end < len(items) {
		c := "cursor-" + strconv.Itoa(end)
		pg["next_page_cursor"] = c
		pg["next_page_url"] = s.URL + path + "?page_cursor=" + c
	}
	return items[off:end], pg
}

// Error writes a Seam-style error body.
func Error(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": typ, "message": msg}, "ok": false})
}

func filter(raw []json.RawMessage, keep func(map[string]any) bool) []map[string]any {
	out := []map[string]any{}
	for _, r := range raw {
		var o map[string]any
		if json.Unmarshal(r, &o) == nil && keep(o) {
			out = append(out, o)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func strings2(v any) map[string]bool {
	l, _ := v.([]any)
	if len(l) == 0 {
		return nil
	}
	m := map[string]bool{}
	for _, x := range l {
		m[str(x)] = true
	}
	return m
}

// Start loads the bundled workspace name and serves it, accepting key,
// until the test ends.
func Start(t testing.TB, name, key string) *Server {
	t.Helper()
	w, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	s := New(w, key)
	t.Cleanup(s.Close)
	return s
}
