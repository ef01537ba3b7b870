package seam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/importer/seam/seamtest"
)

// testKey is the fake's API key; no output may ever contain it.
const testKey = "seam_test_KEY-must-never-appear-4f1c"

func testClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := NewClient(url, APIKey(testKey), "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	return c
}

func fake(t *testing.T, name string) *seamtest.Server {
	return seamtest.Start(t, name, testKey)
}

func countPaths(reqs []seamtest.Request) map[string]int {
	n := map[string]int{}
	for _, r := range reqs {
		n[r.Path]++
	}
	return n
}

func TestFetchPaginates(t *testing.T) {
	srv := fake(t, "three-pages")
	srv.PageSize = 3
	c := testClient(t, srv.URL)
	var last Progress
	c.Progress = func(p Progress) { last = p }
	x, err := c.Fetch(context.Background(), testQuery())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(x.Devices.Devices); got != 7 {
		t.Errorf("devices = %d, want the 7 locks (the thermostat left out)", got)
	}
	if got := len(x.AccessCodes.AccessCodes); got != 21 {
		t.Errorf("access codes = %d, want 21", got)
	}
	if got := len(x.Events.Events); got != 14 {
		t.Errorf("events = %d, want 14", got)
	}
	n := countPaths(srv.Requests())
	if n["/devices/list"] != 3 {
		t.Errorf("devices/list requests = %d, want 3 pages (8 devices by 3)", n["/devices/list"])
	}
	if n["/events/list"] != 6 {
		t.Errorf("events/list requests = %d, want 6 (14 events by 3, then the empty page)", n["/events/list"])
	}
	if last.Devices != 7 || last.AccessCodes != 21 || last.Events != 14 {
		t.Errorf("last progress = %+v", last)
	}
	for _, r := range srv.Requests() {
		if r.Authorization != "Bearer "+testKey {
			t.Errorf("%s: Authorization header %q", r.Path, r.Authorization)
		}
	}
}

func TestFetchSendsWorkspaceAndFilters(t *testing.T) {
	srv := fake(t, "well-run")
	c, err := NewClient(srv.URL, APIKey(testKey), "ws-42", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	q := testQuery()
	q.DeviceIDs = []string{"d0000001-0000-4000-8000-000000000002"}
	x, err := c.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Devices.Devices) != 1 || x.Devices.Devices[0].DeviceID != q.DeviceIDs[0] {
		t.Errorf("devices = %+v, want only %s", x.Devices.Devices, q.DeviceIDs[0])
	}
	for _, r := range srv.Requests() {
		if r.Workspace != "ws-42" {
			t.Errorf("%s: seam-workspace = %q", r.Path, r.Workspace)
		}
	}
}

func TestFetchRetries(t *testing.T) {
	cases := []struct {
		name      string
		intercept func(w http.ResponseWriter, n int) bool
		wantWaits []time.Duration
	}{
		{"429 honours Retry-After", func(w http.ResponseWriter, n int) bool {
			if n == 1 {
				w.Header().Set("Retry-After", "7")
				seamtest.Error(w, http.StatusTooManyRequests, "rate_limited", "slow down")
				return true
			}
			return false
		}, []time.Duration{7 * time.Second}},
		{"500 then success backs off", func(w http.ResponseWriter, n int) bool {
			if n <= 2 {
				seamtest.Error(w, http.StatusInternalServerError, "internal", "oops")
				return true
			}
			return false
		}, []time.Duration{500 * time.Millisecond, time.Second}},
		{"429 without Retry-After backs off", func(w http.ResponseWriter, n int) bool {
			if n == 1 {
				seamtest.Error(w, http.StatusTooManyRequests, "rate_limited", "slow down")
				return true
			}
			return false
		}, []time.Duration{500 * time.Millisecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake(t, "well-run")
			srv.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool { return tc.intercept(w, n) }
			c := testClient(t, srv.URL)
			var waits []time.Duration
			c.Sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			x, err := c.Fetch(context.Background(), testQuery())
			if err != nil {
				t.Fatal(err)
			}
			if len(x.Devices.Devices) != 3 {
				t.Errorf("devices = %d, want 3", len(x.Devices.Devices))
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tc.wantWaits)
			}
		})
	}
}

func TestFetchErrors(t *testing.T) {
	cases := []struct {
		name      string
		setup     func(s *seamtest.Server)
		key       string
		check     func(t *testing.T, err error)
		wantInMsg string
	}{
		{name: "401 wrong key", key: "seam_wrong_KEY-also-secret-99", wantInMsg: "the API key was refused (HTTP 401",
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.As(err, &ae) || !ae.KeyRefused {
					t.Errorf("error %v is not a refused key", err)
				}
			}},
		{name: "403", setup: func(s *seamtest.Server) {
			s.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
				seamtest.Error(w, http.StatusForbidden, "forbidden", "key "+r.Header.Get("Authorization")+" lacks access")
				return true
			}
		}, wantInMsg: "the API key was refused (HTTP 403"},
		{name: "500 forever gives up", setup: func(s *seamtest.Server) {
			s.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
				seamtest.Error(w, http.StatusBadGateway, "bad_gateway", "upstream")
				return true
			}
		}, wantInMsg: "gave up after 5 attempts"},
		{name: "truncated response", setup: func(s *seamtest.Server) {
			s.Response = func(path string, body []byte) []byte {
				if path == "/access_codes/list" {
					return body[:len(body)/2]
				}
				return body
			}
		}, wantInMsg: "truncated JSON", check: func(t *testing.T, err error) {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %v is not a FormatError", err)
			}
		}},
		{name: "list missing", setup: func(s *seamtest.Server) {
			s.Response = func(path string, body []byte) []byte {
				if path == "/devices/list" {
					return []byte(`{"ok":true,"pagination":{"has_next_page":false,"next_page_cursor":null,"next_page_url":null}}`)
				}
				return body
			}
		}, wantInMsg: `no "devices" list`},
		{name: "wrong type", setup: func(s *seamtest.Server) {
			s.Response = func(path string, body []byte) []byte {
				if path == "/devices/list" {
					return bytes.Replace(body, []byte(`"online":true`), []byte(`"online":"yes"`), 1)
				}
				return body
			}
		}, wantInMsg: "properties.online"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake(t, "well-run")
			if tc.setup != nil {
				tc.setup(srv)
			}
			key := testKey
			if tc.key != "" {
				key = tc.key
			}
			c, err := NewClient(srv.URL, APIKey(key), "", time.Second)
			if err != nil {
				t.Fatal(err)
			}
			c.Sleep = func(context.Context, time.Duration) error { return nil }
			_, err = c.Fetch(context.Background(), testQuery())
			if err == nil {
				t.Fatal("no error")
			}
			msg := fmt.Sprintf("%v %+v %#v", err, err, err)
			if !strings.Contains(err.Error(), tc.wantInMsg) {
				t.Errorf("error %q does not say %q", err, tc.wantInMsg)
			}
			for _, secret := range []string{testKey, key, "CANARY"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q contains %q", msg, secret)
				}
			}
			if tc.check != nil {
				tc.check(t, err)
			}
		})
	}
}

func TestFetchToleratesUnknownFields(t *testing.T) {
	srv := fake(t, "unmanaged-stuck-removal")
	srv.Response = func(path string, body []byte) []byte {
		// A field Seam may add tomorrow, on every object that has an id.
		for _, k := range []string{`"device_id":`, `"access_code_id":`, `"event_id":`} {
			body = bytes.ReplaceAll(body, []byte(k), []byte(`"x_future_field":{"nested":[1,2,{"deep":true}]},`+k))
		}
		return bytes.Replace(body, []byte(`"ok":true`), []byte(`"ok":true,"x_top":"new"`), 1)
	}
	x, err := testClient(t, srv.URL).Fetch(context.Background(), testQuery())
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Devices.Devices) != 2 || len(x.UnmanagedAccessCodes.AccessCodes) != 1 || len(x.Events.Events) != 3 {
		t.Errorf("got %d devices, %d unmanaged codes, %d events", len(x.Devices.Devices), len(x.UnmanagedAccessCodes.AccessCodes), len(x.Events.Events))
	}
}

func TestFetchCancelled(t *testing.T) {
	srv := fake(t, "three-pages")
	srv.PageSize = 3
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	srv.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 4 { // mid-import: after the device pages
			once.Do(cancel)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}
		return false
	}
	start := time.Now()
	_, err := testClient(t, srv.URL).Fetch(ctx, testQuery())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancellation took %v", d)
	}
}

func TestExportHoldsNoSecret(t *testing.T) {
	for _, name := range seamtest.Names() {
		t.Run(name, func(t *testing.T) {
			srv := fake(t, name)
			x, err := testClient(t, srv.URL).Fetch(context.Background(), testQuery())
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := x.Write(&buf); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"CANARY", testKey, `"code"`} {
				if bytes.Contains(buf.Bytes(), []byte(s)) {
					t.Errorf("the export contains %q", s)
				}
			}
			back, err := ReadExport(bytes.NewReader(buf.Bytes()), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			back.Write(&again)
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("an export read back and written again differs")
			}
		})
	}
}

func TestAPIKeyRedacted(t *testing.T) {
	k := APIKey(testKey)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %s %q %#v %+v %x", k, k, k, k, k, k), fmt.Sprintf("%v", struct{ K APIKey }{k})} {
		if strings.Contains(s, testKey) {
			t.Errorf("formatted key %q", s)
		}
	}
}

// TestFetchTimeout: a request slower than the timeout is abandoned and
// tried again.
func TestFetchTimeout(t *testing.T) {
	srv := fake(t, "well-run")
	srv.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return true
		}
		return false
	}
	c, err := NewClient(srv.URL, APIKey(testKey), "", 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	start := time.Now()
	x, err := c.Fetch(context.Background(), testQuery())
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Devices.Devices) != 3 {
		t.Errorf("devices = %d, want 3", len(x.Devices.Devices))
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("took %v: the slow request was not abandoned", d)
	}
}
