package seam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/internal/golden"
)

func readExport(t *testing.T, name string) *Export {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "exports", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := ReadExport(f, name+".json")
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// renderLocks writes the mapping's result as text: one block per lock, one
// line per field with its value and provenance.
func renderLocks(locks []Lock, warnings []string) []byte {
	var b bytes.Buffer
	for _, l := range locks {
		fmt.Fprintf(&b, "lock %s %q\n", l.DeviceID, l.Label)
		for _, k := range []string{"seam-events-since", "seam-fetched-at"} {
			if v, ok := l.Timestamps[k]; ok {
				fmt.Fprintf(&b, "  @%s %s\n", k, v)
			}
		}
		for _, f := range l.Fields {
			v, _ := json.Marshal(f.Value)
			fmt.Fprintf(&b, "  %s = %s  <- %s\n", f.Path, v, f.Source)
		}
	}
	for _, w := range warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.Bytes()
}

func TestMapGolden(t *testing.T) {
	for _, name := range []string{"well-run", "unmanaged-stuck-removal", "offline-devices", "three-pages"} {
		t.Run(name, func(t *testing.T) {
			locks, warnings, err := Map(readExport(t, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "mapping", name+".txt"), renderLocks(locks, warnings))
		})
	}
}

// field returns the value of path on the lock with the given id.
func field(t *testing.T, locks []Lock, id, path string) (any, bool) {
	t.Helper()
	for _, l := range locks {
		if l.DeviceID != id {
			continue
		}
		var v any
		found := false
		for _, f := range l.Fields {
			if f.Path == path {
				v, found = f.Value, true
			}
		}
		return v, found
	}
	t.Fatalf("no lock %s", id)
	return nil, false
}

// TestMapReadings pins the catalogue 2.4 readings one by one.
func TestMapReadings(t *testing.T) {
	const (
		mariner3  = "d0000002-0000-4000-8000-000000000001"
		garden1   = "d0000003-0000-4000-8000-000000000001"
		garden2   = "d0000003-0000-4000-8000-000000000002"
		garden3   = "d0000003-0000-4000-8000-000000000003"
		harbour1B = "d0000001-0000-4000-8000-000000000002"
		harbour2A = "d0000001-0000-4000-8000-000000000003"
	)
	all := map[string][]Lock{}
	for _, n := range []string{"well-run", "unmanaged-stuck-removal", "offline-devices"} {
		locks, _, err := Map(readExport(t, n))
		if err != nil {
			t.Fatal(err)
		}
		all[n] = locks
	}
	cases := []struct {
		name, ws, device, path string
		want                   any // nil with absent=true: must be absent
		absent                 bool
	}{
		{"set code is active", "well-run", harbour1B, "credentials[c0000001-0000-4000-8000-000000000003].cloud_status", "active", false},
		{"ongoing code has no expiry", "well-run", harbour1B, "credentials[c0000001-0000-4000-8000-000000000003].valid_until", nil, false},
		{"unset code is revoked", "well-run", harbour1B, "credentials[c0000001-0000-4000-8000-000000000004].cloud_status", "revoked", false},
		{"unset code confirmed by the removal event", "well-run", harbour1B, "credentials[c0000001-0000-4000-8000-000000000004].revocation_confirmed_by_device_at", "2026-10-05T11:00:20.000Z", false},
		{"time-bound code's window", "well-run", harbour1B, "credentials[c0000001-0000-4000-8000-000000000004].valid_until", "2026-10-05T11:00:00.000Z", false},
		{"no serial number reported: absent", "well-run", harbour2A, "device.serial_number", nil, true},
		{"manual unlock has no channel", "well-run", harbour2A, "events[e0000001-0000-4000-8000-000000000007].channel", nil, true},
		{"removing code is revoked", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000002].cloud_status", "revoked", false},
		{"removing code: not confirmed", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000002].revocation_confirmed_by_device_at", nil, true},
		{"removing code: revoked when the deletion was asked", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000002].revoked_at", "2026-11-18T10:00:00.000Z", false},
		{"unmanaged code has no holder", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000010].holder_id", nil, true},
		{"unmanaged code has no role", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000010].role", nil, true},
		{"unmanaged code is local-only", "unmanaged-stuck-removal", mariner3, "device_sync.device_local_only_ids", []string{"c0000002-0000-4000-8000-000000000010"}, false},
		{"keypad unlock attributed", "unmanaged-stuck-removal", mariner3, "events[e0000002-0000-4000-8000-000000000002].credential_id", "c0000002-0000-4000-8000-000000000010", false},
		{"keypad unlock channel", "unmanaged-stuck-removal", mariner3, "events[e0000002-0000-4000-8000-000000000002].channel", "keypad", false},
		{"never a pin length (the code is never read)", "unmanaged-stuck-removal", mariner3, "credentials[c0000002-0000-4000-8000-000000000001].pin_length", nil, true},
		{"disconnected, not reconnected: offline", "offline-devices", garden1, "device.connectivity", "offline", false},
		{"disconnected then connected: online", "offline-devices", garden3, "device.connectivity", "online", false},
		{"battery level to percent", "offline-devices", garden2, "power.battery_percent", 12, false},
		{"offline code is an offline algorithmic PIN", "offline-devices", garden2, "credentials[c0000003-0000-4000-8000-000000000003].kind", "offline_algorithmic_pin", false},
		{"setting code: status unknown, absent", "offline-devices", garden1, "credentials[c0000003-0000-4000-8000-000000000002].cloud_status", nil, true},
		{"low battery event", "offline-devices", garden2, "events[e0000003-0000-4000-8000-000000000004].type", "low_battery", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := field(t, all[tc.ws], tc.device, tc.path)
			if tc.absent {
				if ok {
					t.Errorf("%s = %v, want absent", tc.path, got)
				}
				return
			}
			if !ok {
				t.Fatalf("%s absent, want %v", tc.path, tc.want)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestMapRefusesMalformed(t *testing.T) {
	for _, tc := range []struct{ name, edit, want string }{
		{"naive event time", `"occurred_at": "2026-11-22T23:51:00.000Z"`, "events/list: item 0: occurred_at"},
		{"naive ends_at", `"ends_at": "2026-11-18T10:00:00.000Z"`, "access_codes/list: item 1: ends_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := os.ReadFile(filepath.Join("testdata", "exports", "unmanaged-stuck-removal.json"))
			bad := strings.Replace(tc.edit, ".000Z", "", 1)
			if !bytes.Contains(data, []byte(tc.edit)) {
				t.Fatalf("fixture has no %s", tc.edit)
			}
			data = bytes.Replace(data, []byte(tc.edit), []byte(bad), 1)
			x, err := ReadExport(bytes.NewReader(data), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = Map(x)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to name %q", err, tc.want)
			}
		})
	}
}
