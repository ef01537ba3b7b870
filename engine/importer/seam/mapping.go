package seam

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Kind is the source kind recorded on every snapshot imported from Seam.
const Kind = "seam"

// Field is one snapshot field the mapping sets: a path relative to spec (a
// list item addressed by its id in brackets, as engine/importer expects),
// the value, and where it came from.
type Field struct {
	Path   string
	Value  any
	Source string
}

// Lock is the evidence Seam gives about one lock.
type Lock struct {
	DeviceID string
	// Label is the device's name in Seam (display_name, else nickname).
	Label string
	// Timestamps are the export's own times (annotations).
	Timestamps map[string]string
	Fields     []Field
}

func (l *Lock) set(path string, v any, source string) {
	l.Fields = append(l.Fields, Field{Path: path, Value: v, Source: "seam:" + source})
}

// Map turns an export into one Lock per lock device, in device-id order. It
// is pure: the same export gives the same result. It maps only what Seam
// reports (docs/importers.md has the table); everything else stays absent for
// an overlay to supply or for the controls to report as missing. A time that
// is not RFC 3339 is an error naming the list, the item and the field.
func Map(x *Export) ([]Lock, []string, error) {
	if err := x.check(); err != nil {
		return nil, nil, err
	}
	x.sort()
	var warnings []string
	codes := map[string][]AccessCode{}
	for _, c := range x.AccessCodes.AccessCodes {
		codes[c.DeviceID] = append(codes[c.DeviceID], c)
	}
	unmanaged := map[string][]AccessCode{}
	for _, c := range x.UnmanagedAccessCodes.AccessCodes {
		c.IsManaged = false
		unmanaged[c.DeviceID] = append(unmanaged[c.DeviceID], c)
	}
	events := map[string][]Event{}
	for _, e := range x.Events.Events {
		events[e.DeviceID] = append(events[e.DeviceID], e)
	}
	var locks []Lock
	for _, d := range x.Devices.Devices {
		if !hasCapability(d, CapabilityLock) {
			warnings = append(warnings, fmt.Sprintf("seam device %s (%s): not a lock (no %q capability), skipped", d.DeviceID, d.DeviceType, CapabilityLock))
			continue
		}
		locks = append(locks, mapDevice(x, d, codes[d.DeviceID], unmanaged[d.DeviceID], events[d.DeviceID]))
	}
	return locks, warnings, nil
}

func mapDevice(x *Export, d Device, codes, unmanaged []AccessCode, events []Event) Lock {
	l := Lock{DeviceID: d.DeviceID, Label: d.DisplayName, Timestamps: map[string]string{"seam-fetched-at": x.FetchedAt}}
	if l.Label == "" {
		l.Label = d.Nickname
	}
	if x.Since != "" {
		l.Timestamps["seam-events-since"] = x.Since
	}
	l.set("captured_at", x.FetchedAt, "export.fetched_at")
	p := d.Properties

	// Identity.
	if p.SerialNumber != "" {
		l.set("device.serial_number", p.SerialNumber, "device.properties.serial_number")
	}
	if p.Model != nil && p.Model.DisplayName != "" {
		l.set("device.model", p.Model.DisplayName, "device.properties.model.display_name")
		l.set("subject.model", p.Model.DisplayName, "device.properties.model.display_name")
	}
	switch {
	case p.Model != nil && p.Model.ManufacturerDisplayName != "":
		l.set("subject.manufacturer", p.Model.ManufacturerDisplayName, "device.properties.model.manufacturer_display_name")
	case p.Manufacturer != "":
		l.set("subject.manufacturer", p.Manufacturer, "device.properties.manufacturer")
	}
	if d.Location != nil && d.Location.TimeZone != "" {
		if _, err := time.LoadLocation(d.Location.TimeZone); err == nil {
			l.set("device.timezone", d.Location.TimeZone, "device.location.time_zone")
		}
	}

	// Connectivity: offline when Seam says so now, or when the last
	// connection event is a disconnection with no reconnection after it.
	lastConn := ""
	lastConnAt := time.Time{}
	for _, e := range events {
		if e.EventType == EventDeviceConnected || e.EventType == EventDeviceDisconnected {
			if t := parseTime(e.OccurredAt); !t.Before(lastConnAt) {
				lastConn, lastConnAt = e.EventType, t
			}
		}
	}
	switch {
	case lastConn == EventDeviceDisconnected:
		l.set("device.connectivity", "offline", "event.device.disconnected")
	case p.Online != nil && !*p.Online:
		l.set("device.connectivity", "offline", "device.properties.online")
	case p.Online != nil && *p.Online:
		l.set("device.connectivity", "online", "device.properties.online")
	}

	// Power.
	switch {
	case p.BatteryLevel != nil:
		l.set("power.battery_percent", percent(*p.BatteryLevel), "device.properties.battery_level")
	case p.Battery != nil && p.Battery.Level != nil:
		l.set("power.battery_percent", percent(*p.Battery.Level), "device.properties.battery.level")
	}

	// Interfaces stay absent: Seam says whether the lock has a keypad but
	// not which radios it has, and a list holding only the keypad would let
	// "every enabled interface …" controls pass on the ones not listed.

	// Remote unlock.
	// Remote unlock: true is evidence; false only says Seam cannot unlock
	// it, not that the provider's own app cannot, so it stays absent.
	if d.CanRemotelyUnlock != nil && *d.CanRemotelyUnlock {
		l.set("remote_unlock.enabled", true, "device.can_remotely_unlock")
	}

	// Credentials: managed codes, then the codes nobody manages.
	confirmed := map[string]string{}
	for _, e := range events {
		if (e.EventType == EventCodeRemovedFromDevice || e.EventType == EventCodeDeleted) && e.AccessCodeID != "" {
			if t, ok := confirmed[e.AccessCodeID]; !ok || parseTime(e.OccurredAt).After(parseTime(t)) {
				confirmed[e.AccessCodeID] = e.OccurredAt
			}
		}
	}
	for _, c := range codes {
		mapCode(&l, c, "access_code", confirmed)
	}
	if hasCapability(d, CapabilityAccessCode) {
		ids := []string{}
		for _, c := range unmanaged {
			mapCode(&l, c, "unmanaged_access_code", confirmed)
			ids = append(ids, c.AccessCodeID)
		}
		sort.Strings(ids)
		l.set("device_sync.device_local_only_ids", ids, "access_codes/unmanaged/list")
	}

	// Events.
	for _, e := range events {
		mapEvent(&l, e)
	}
	return l
}

func mapCode(l *Lock, c AccessCode, schema string, confirmed map[string]string) {
	item := "credentials[" + c.AccessCodeID + "]"
	src := schema + "."
	l.set(item+".credential_id", c.AccessCodeID, src+"access_code_id")
	if c.IsOfflineAccessCode != nil && *c.IsOfflineAccessCode {
		// An offline code is computed by the provider's algorithm and works
		// without the lock being reachable: catalogue kind offline_algorithmic_pin.
		l.set(item+".kind", "offline_algorithmic_pin", src+"is_offline_access_code")
	} else {
		l.set(item+".kind", "keypad_pin", src+"is_managed")
	}
	switch c.Type {
	case CodeTypeTimeBound:
		if c.StartsAt != nil && *c.StartsAt != "" {
			l.set(item+".valid_from", *c.StartsAt, src+"starts_at")
		}
		if c.EndsAt != nil && *c.EndsAt != "" {
			l.set(item+".valid_until", *c.EndsAt, src+"ends_at")
		}
	case CodeTypeOngoing:
		l.set(item+".valid_until", nil, src+"type")
	}
	if c.CreatedAt != "" {
		l.set(item+".created_at", c.CreatedAt, src+"created_at")
	}
	switch c.Status {
	case CodeStatusSet:
		l.set(item+".cloud_status", "active", src+"status")
	case CodeStatusRemoving:
		l.set(item+".cloud_status", "revoked", src+"status")
		for _, m := range c.PendingMutations {
			if m.MutationCode == "deleting" && m.CreatedAt != "" {
				l.set(item+".revoked_at", m.CreatedAt, src+"pending_mutations.deleting.created_at")
			}
		}
	case CodeStatusUnset:
		l.set(item+".cloud_status", "revoked", src+"status")
		if at, ok := confirmed[c.AccessCodeID]; ok {
			l.set(item+".revocation_confirmed_by_device_at", at, "event.access_code.removed_from_device")
		}
	}
	// setting and unknown: Seam does not know yet whether the code is on the
	// lock; cloud_status stays absent and the controls report it missing.
}

func mapEvent(l *Lock, e Event) {
	var typ, result string
	switch e.EventType {
	case EventLockUnlocked:
		typ, result = "unlock", "success"
	case EventLockLocked:
		typ, result = "lock", "success"
	case EventLockAccessDenied:
		typ, result = "unlock_failed", "failure"
	case EventCodeSetOnDevice, EventUnmanagedCodeCreated:
		typ, result = "credential_added", "success"
	case EventCodeRemovedFromDevice, EventUnmanagedCodeRemoved:
		typ, result = "credential_removed", "success"
	case EventDeviceLowBattery:
		typ, result = "low_battery", "success"
	case EventDeviceTampered:
		typ, result = "tamper", "success"
	default:
		return
	}
	item := "events[" + e.EventID + "]"
	src := "event." + e.EventType
	l.set(item+".event_id", e.EventID, src+".event_id")
	l.set(item+".timestamp", e.OccurredAt, src+".occurred_at")
	l.set(item+".type", typ, src)
	l.set(item+".result", result, src)
	if e.AccessCodeID != "" {
		l.set(item+".credential_id", e.AccessCodeID, src+".access_code_id")
	}
	if ch := channel(e); ch != "" {
		l.set(item+".channel", ch, src+".method")
	}
}

// channel reads how a lock event was done; "" when Seam's method does not
// say which of lockcheck's channels it was.
func channel(e Event) string {
	switch e.EventType {
	case EventLockUnlocked, EventLockLocked:
	case EventLockAccessDenied:
		if e.AccessCodeID != "" {
			return "keypad"
		}
		return ""
	default:
		return ""
	}
	switch e.Method {
	case MethodKeycode:
		return "keypad"
	case MethodRemote:
		switch {
		case e.IsViaBluetooth != nil && *e.IsViaBluetooth:
			return "ble_app"
		case e.IsViaNFC != nil && *e.IsViaNFC:
			return "nfc"
		}
		return "remote_cloud"
	case MethodCard:
		return "nfc"
	case MethodUnknown:
		return "unknown"
	}
	// manual (a thumbturn, a handle or a key) and automatic (a schedule):
	// not one of lockcheck's channels.
	return ""
}

// percent converts Seam's 0–1 battery level to a whole percentage.
func percent(level float64) int {
	return int(math.Round(math.Max(0, math.Min(1, level)) * 100))
}

// check refuses an export whose times are not RFC 3339 or whose items lack
// their id, naming the list, the item and the field.
func (x *Export) check() error {
	bad := func(list string, i int, field, got string) error {
		return &FormatError{Name: list, Err: fmt.Errorf("item %d: %s: expected an RFC 3339 time with offset, got %s", i, field, strconv.Quote(got))}
	}
	okTime := func(s string) bool {
		_, err := time.Parse(time.RFC3339Nano, s)
		return err == nil
	}
	for i, d := range x.Devices.Devices {
		if d.DeviceID == "" {
			return &FormatError{Name: "devices/list", Err: fmt.Errorf("item %d: device_id is missing", i)}
		}
	}
	for _, l := range []struct {
		name string
		list []AccessCode
	}{{"access_codes/list", x.AccessCodes.AccessCodes}, {"access_codes/unmanaged/list", x.UnmanagedAccessCodes.AccessCodes}} {
		for i, c := range l.list {
			if c.AccessCodeID == "" || c.DeviceID == "" {
				return &FormatError{Name: l.name, Err: fmt.Errorf("item %d: access_code_id or device_id is missing", i)}
			}
			if c.StartsAt != nil && *c.StartsAt != "" && !okTime(*c.StartsAt) {
				return bad(l.name, i, "starts_at", *c.StartsAt)
			}
			if c.EndsAt != nil && *c.EndsAt != "" && !okTime(*c.EndsAt) {
				return bad(l.name, i, "ends_at", *c.EndsAt)
			}
			if c.CreatedAt != "" && !okTime(c.CreatedAt) {
				return bad(l.name, i, "created_at", c.CreatedAt)
			}
			for _, m := range c.PendingMutations {
				if m.CreatedAt != "" && !okTime(m.CreatedAt) {
					return bad(l.name, i, "pending_mutations.created_at", m.CreatedAt)
				}
			}
		}
	}
	for i, e := range x.Events.Events {
		if e.EventID == "" {
			return &FormatError{Name: "events/list", Err: fmt.Errorf("item %d: event_id is missing", i)}
		}
		if !okTime(e.OccurredAt) {
			return bad("events/list", i, "occurred_at", e.OccurredAt)
		}
	}
	return nil
}
