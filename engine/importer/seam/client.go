package seam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultEndpoint is Seam's API (the OpenAPI document's server).
const DefaultEndpoint = "https://connect.getseam.com"

// APIKey is a Seam API key. It formats as "[redacted]" with every verb, so
// it cannot reach a log or an error message by accident.
type APIKey string

// String redacts the key.
func (APIKey) String() string { return "[redacted]" }

// GoString redacts the key.
func (APIKey) GoString() string { return "[redacted]" }

// Format redacts the key for every verb.
func (APIKey) Format(f fmt.State, _ rune) { io.WriteString(f, "[redacted]") }

// Client lists a Seam workspace's locks, access codes and events.
type Client struct {
	endpoint  string
	key       APIKey
	workspace string
	http      *http.Client

	// MaxAttempts is how often one request is tried (429, 5xx and transport
	// errors are retried). Default 5.
	MaxAttempts int
	// Backoff is the wait before retry n (1-based) when the server gave no
	// Retry-After. Default 500ms·2^(n-1), at most 30 s.
	Backoff func(n int) time.Duration
	// MaxRetryAfter caps a server's Retry-After. Default 60 s.
	MaxRetryAfter time.Duration
	// PageLimit is the `limit` sent with each list request. Default 500.
	PageLimit int
	// Progress, when set, is called after each page with the running totals.
	Progress func(Progress)
	// Sleep waits for d or until ctx ends (tests replace it).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Progress is the running count of what an import has read.
type Progress struct {
	Requests, Devices, AccessCodes, Events int
}

// NewClient makes a client for endpoint (DefaultEndpoint when empty) with
// the key. workspace, when set, is sent as the seam-workspace header (for a
// personal access token). timeout bounds each HTTP request.
func NewClient(endpoint string, key APIKey, workspace string, timeout time.Duration) (*Client, error) {
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q: expected an http(s) URL", endpoint)
	}
	if key == "" {
		return nil, errors.New("no API key")
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &Client{
		endpoint:  strings.TrimRight(endpoint, "/"),
		key:       key,
		workspace: workspace,
		http:      &http.Client{Timeout: timeout},
	}, nil
}

// Query selects what Fetch reads.
type Query struct {
	// DeviceIDs limits the import to these devices (all locks when empty).
	DeviceIDs []string
	// Since and Until bound the events window.
	Since, Until time.Time
}

// Fetch reads the workspace's lock devices, their managed and unmanaged
// access codes and the events of the window, every page of each. The
// export's FetchedAt is Until.
func (c *Client) Fetch(ctx context.Context, q Query) (*Export, error) {
	p := &Progress{}
	x := &Export{
		Version:   ExportVersion,
		FetchedAt: q.Until.UTC().Format(time.RFC3339),
		Since:     q.Since.UTC().Format(time.RFC3339),
	}
	// Devices.
	body := map[string]any{}
	if len(q.DeviceIDs) > 0 {
		body["device_ids"] = q.DeviceIDs
	}
	err := c.paginate(ctx, "/devices/list", body, p, func(raw []byte) (*Pagination, error) {
		var r DevicesList
		if err := decodeList(raw, "devices", &r, func() bool { return r.Devices != nil }); err != nil {
			return nil, err
		}
		for _, d := range r.Devices {
			if hasCapability(d, CapabilityLock) {
				x.Devices.Devices = append(x.Devices.Devices, d)
			}
		}
		p.Devices = len(x.Devices.Devices)
		return r.Pagination, nil
	})
	if err != nil {
		return nil, err
	}
	// Access codes, per lock that has them.
	var ids []string
	for _, d := range x.Devices.Devices {
		ids = append(ids, d.DeviceID)
		if !hasCapability(d, CapabilityAccessCode) {
			continue
		}
		for _, l := range []struct {
			path string
			into *AccessCodesList
		}{{"/access_codes/list", &x.AccessCodes}, {"/access_codes/unmanaged/list", &x.UnmanagedAccessCodes}} {
			err := c.paginate(ctx, l.path, map[string]any{"device_id": d.DeviceID}, p, func(raw []byte) (*Pagination, error) {
				var r AccessCodesList
				if err := decodeList(raw, "access_codes", &r, func() bool { return r.AccessCodes != nil }); err != nil {
					return nil, err
				}
				l.into.AccessCodes = append(l.into.AccessCodes, r.AccessCodes...)
				p.AccessCodes += len(r.AccessCodes)
				return r.Pagination, nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	// Events: events/list has no cursor; it is read by offset within a fixed
	// window, so events arriving meanwhile do not shift the pages.
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += 50 {
		batch := ids[start:min(start+50, len(ids))]
		for offset := 0; ; {
			body := map[string]any{
				"device_ids": batch,
				"between":    []string{q.Since.UTC().Format(time.RFC3339Nano), q.Until.UTC().Format(time.RFC3339Nano)},
				"limit":      c.pageLimit(),
			}
			if offset > 0 {
				body["unstable_offset"] = offset
			}
			raw, err := c.post(ctx, "/events/list", body, p)
			if err != nil {
				return nil, err
			}
			var r EventsList
			if err := decodeList(raw, "events", &r, func() bool { return r.Events != nil }); err != nil {
				return nil, &FormatError{Name: c.endpoint + "/events/list", Err: err}
			}
			added := 0
			for _, e := range r.Events {
				if !seen[e.EventID] {
					seen[e.EventID] = true
					x.Events.Events = append(x.Events.Events, e)
					added++
				}
			}
			p.Events = len(x.Events.Events)
			c.progress(p)
			// The last page is the empty one: a server may cap a page below
			// the limit asked for.
			if len(r.Events) == 0 {
				break
			}
			if added == 0 {
				return nil, &FormatError{Name: c.endpoint + "/events/list", Err: errors.New("a page repeated events already read (the server ignored unstable_offset)")}
			}
			if offset/max(len(r.Events), 1) > maxPages {
				return nil, &FormatError{Name: c.endpoint + "/events/list", Err: fmt.Errorf("more than %d pages", maxPages)}
			}
			offset += len(r.Events)
		}
	}
	x.sort()
	return x, nil
}

func (c *Client) pageLimit() int {
	if c.PageLimit > 0 {
		return c.PageLimit
	}
	return 500
}

func (c *Client) progress(p *Progress) {
	if c.Progress != nil {
		c.Progress(*p)
	}
}

// maxPages bounds one list, against a server that never says it is done.
const maxPages = 100000

// paginate posts body to path, then again with each next_page_cursor until
// the last page; page decodes one response and returns its pagination.
func (c *Client) paginate(ctx context.Context, path string, body map[string]any, p *Progress, page func([]byte) (*Pagination, error)) error {
	seen := map[string]bool{}
	for n := 0; n < maxPages; n++ {
		body["limit"] = c.pageLimit()
		raw, err := c.post(ctx, path, body, p)
		if err != nil {
			return err
		}
		pg, err := page(raw)
		if err != nil {
			return &FormatError{Name: c.endpoint + path, Err: err}
		}
		c.progress(p)
		if pg == nil {
			return &FormatError{Name: c.endpoint + path, Err: errors.New("the response has no pagination object")}
		}
		if !pg.HasNextPage {
			return nil
		}
		if pg.NextPageCursor == nil || *pg.NextPageCursor == "" {
			return &FormatError{Name: c.endpoint + path, Err: errors.New("has_next_page is true but next_page_cursor is empty")}
		}
		if seen[*pg.NextPageCursor] {
			return &FormatError{Name: c.endpoint + path, Err: errors.New("the server returned the same next_page_cursor twice")}
		}
		seen[*pg.NextPageCursor] = true
		body["page_cursor"] = *pg.NextPageCursor
	}
	return &FormatError{Name: c.endpoint + path, Err: fmt.Errorf("more than %d pages", maxPages)}
}

// decodeList decodes a list response into its typed model and checks that
// its list is there (a missing or null list decodes to a nil slice; an
// empty one to an empty slice). Only the model's fields are kept: an access
// code's value is skipped inside the response bytes, never copied out.
func decodeList(raw []byte, key string, into any, list func() bool) error {
	if err := json.Unmarshal(raw, into); err != nil {
		return jsonErr(raw, err)
	}
	if !list() {
		return fmt.Errorf("the response has no %q list", key)
	}
	return nil
}

func hasCapability(d Device, c string) bool {
	for _, s := range d.CapabilitiesSupported {
		if s == c {
			return true
		}
	}
	return false
}

// APIError is a response the client does not retry (or retried in vain).
type APIError struct {
	URL        string
	StatusCode int
	// Type and Message come from Seam's error body, when it has one.
	Type, Message string
	// KeyRefused is set on 401 and 403.
	KeyRefused bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.KeyRefused {
		fmt.Fprintf(&b, "the API key was refused (HTTP %d from %s)", e.StatusCode, e.URL)
	} else {
		fmt.Fprintf(&b, "HTTP %d from %s", e.StatusCode, e.URL)
	}
	if e.Type != "" || e.Message != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSpace(e.Type+" "+e.Message))
	}
	return b.String()
}

// post sends one request, retrying 429 (after Retry-After), 5xx and
// transport errors with backoff, and returns the body of a 200.
func (c *Client) post(ctx context.Context, path string, body any, p *Progress) ([]byte, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	target := c.endpoint + path
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	var last error
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Requests++
		wait, raw, err := c.once(ctx, target, payload)
		if err == nil {
			return raw, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if wait < 0 {
			return nil, err
		}
		last = err
		if n >= attempts {
			return nil, fmt.Errorf("%w (gave up after %d attempts)", last, n)
		}
		if wait == 0 {
			wait = c.backoff(n)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// once sends one request. wait is -1 when the error must not be retried,
// 0 to retry after the backoff, and the server's Retry-After otherwise.
func (c *Client) once(ctx context.Context, target string, payload []byte) (wait time.Duration, raw []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		return -1, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+string(c.key))
	req.Header.Set("User-Agent", "lockcheck-import-seam")
	if c.workspace != "" {
		req.Header.Set("seam-workspace", c.workspace)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// Transport errors (refused, reset, timeout) are retried; the error
		// text names the URL, never a header.
		return 0, nil, fmt.Errorf("POST %s: %w", target, unwrapURLError(err))
	}
	defer resp.Body.Close()
	raw, rerr := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if resp.StatusCode == http.StatusOK {
		if rerr != nil {
			return -1, nil, &FormatError{Name: target, Err: fmt.Errorf("reading the response: %w", rerr)}
		}
		return 0, raw, nil
	}
	ae := &APIError{URL: target, StatusCode: resp.StatusCode}
	var eb struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &eb) == nil {
		ae.Type, ae.Message = eb.Error.Type, c.scrub(eb.Error.Message)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		ae.KeyRefused = true
		return -1, nil, ae
	case resp.StatusCode == http.StatusTooManyRequests:
		return c.retryAfter(resp.Header.Get("Retry-After")), nil, ae
	case resp.StatusCode >= 500:
		if d := c.retryAfter(resp.Header.Get("Retry-After")); d > 0 {
			return d, nil, ae
		}
		return 0, nil, ae
	}
	return -1, nil, ae
}

// scrub removes the key from a server message, should a server echo it.
func (c *Client) scrub(s string) string {
	if c.key != "" {
		s = strings.ReplaceAll(s, string(c.key), "[redacted]")
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// retryAfter reads a Retry-After header (seconds or an HTTP date); 0 when
// absent or unreadable, capped at MaxRetryAfter.
func (c *Client) retryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(h); err == nil {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = time.Until(t)
	}
	if d <= 0 {
		return 0
	}
	maxWait := c.MaxRetryAfter
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	return min(d, maxWait)
}

func (c *Client) backoff(n int) time.Duration {
	if c.Backoff != nil {
		return c.Backoff(n)
	}
	d := 500 * time.Millisecond << (n - 1)
	return min(d, 30*time.Second)
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// unwrapURLError drops *url.Error's "Post URL:" prefix (the caller names
// the URL once).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Endpoint is the base URL the client calls.
func (c *Client) Endpoint() string { return c.endpoint }
