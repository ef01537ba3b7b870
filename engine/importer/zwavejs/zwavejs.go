// Package zwavejs maps Z-Wave JS node dumps to LockSnapshots, exactly as the
// catalogue's section 2.4 reads them; a fact the dump does not report stays
// absent, and user codes never leave the mapping (only their length).
//
// Accepted shapes, as Z-Wave JS, its server, Z-Wave JS UI and Home
// Assistant have written them over the years:
//   - a node state {"nodeId", "endpoints": [{"commandClasses": [{"id",
//     "isSecure"}]}], "values": [{"commandClass", "property",
//     "propertyKey", "value", "metadata"?}], "isSecure",
//     "highestSecurityClass"?} (zwave-js-server);
//   - command classes at the node's top level ("commandClasses": [...]),
//     values with or without metadata;
//   - Z-Wave JS's node dump {"id", "securityClasses", "commandClasses":
//     {"Door Lock": {"isSupported", "secure", "values": [...]}},
//     "endpoints": {"1": {...}}};
//   - Z-Wave JS UI nodes {"id", "values": {"99-0-userCode-1": {...}}};
//   - a list of nodes, {"nodes": [...]}, the server's state message
//     {"result": {"state": {"nodes": [...]}}}, Home Assistant's
//     config-entry diagnostics (a list of server messages, which may include
//     node "notification" event messages) and device diagnostics
//     {"versionInfo", "state": node}, each optionally inside the {"data": …}
//     download envelope.
package zwavejs

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/internal/jsonv"
)

// Kind is the source name.
const Kind = "zwave-js"

// Command class ids (Z-Wave specification; checked against @zwave-js/core by
// the reference test).
const (
	CCDoorLock     = 0x62
	CCUserCode     = 0x63
	CCNotification = 0x71
	CCSecurity     = 0x98
	CCSecurity2    = 0x9F
)

// CCNames are the names Z-Wave JS gives those command classes (its node dump
// keys command classes by name).
var CCNames = map[string]int{
	"Door Lock":    CCDoorLock,
	"User Code":    CCUserCode,
	"Notification": CCNotification,
	"Security":     CCSecurity,
	"Security 2":   CCSecurity2,
}

// User Code CC value properties and user id statuses read.
const (
	PropUserIDStatus = "userIdStatus"
	PropUserCode     = "userCode"
	StatusAvailable  = 0
	StatusEnabled    = 1
	StatusDisabled   = 2
)

// Notification CC: the Access Control type and the events read.
const (
	NotificationAccessControl = 6
	EventKeypadLock           = 5
	EventKeypadUnlock         = 6
	EventLockJammed           = 11
	EventKeypadDisabled       = 16
)

// Security classes, as Z-Wave JS numbers them (SecurityClass enum) and
// names them (securityClasses keys).
const (
	SecS2Unauthenticated = 0
	SecS2Authenticated   = 1
	SecS2AccessControl   = 2
	SecS0Legacy          = 7
	SecNone              = -1
)

// SecurityClassNames maps the securityClasses keys to the enum values.
var SecurityClassNames = map[string]int{
	"S2_Unauthenticated": SecS2Unauthenticated,
	"S2_Authenticated":   SecS2Authenticated,
	"S2_AccessControl":   SecS2AccessControl,
	"S0_Legacy":          SecS0Legacy,
}

// Map reads one dump.
func Map(file string, data []byte) (*importer.Result, error) {
	v, err := jsonv.Decode(data)
	if err != nil {
		return nil, &importer.InputError{File: file, Msg: err.Error()}
	}
	d := &dump{file: file, events: map[int64][]event{}}
	if err := d.find(jsonv.UnwrapHA(v), ""); err != nil {
		return nil, err
	}
	if len(d.nodes) == 0 {
		return nil, &importer.InputError{File: file, Msg: fmt.Sprintf("no Z-Wave JS node found: expected a node {\"nodeId\", …}, a list of nodes, or a diagnostics object holding them (got %s)", jsonv.Kind(v))}
	}
	res := &importer.Result{}
	for _, n := range d.nodes {
		jsonv.WalkSecrets(n.raw, res.Guard.Add)
		s, warns, err := d.mapNode(n, &res.Guard)
		if err != nil {
			return nil, err
		}
		res.Warnings = append(res.Warnings, warns...)
		if s != nil {
			res.Snapshots = append(res.Snapshots, s)
		}
	}
	return res, nil
}

type rawNode struct {
	path string
	raw  map[string]any
}

type event struct {
	path   string
	typ    int64
	event  int64
	userID int64 // -1 when absent
}

type dump struct {
	file   string
	nodes  []rawNode
	events map[int64][]event
}

func (d *dump) errf(path, format string, a ...any) error {
	return &importer.InputError{File: d.file, Path: path, Msg: fmt.Sprintf(format, a...)}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func isNode(m map[string]any) bool {
	_, a := m["nodeId"]
	_, b := m["id"]
	_, c := m["values"]
	_, e := m["endpoints"]
	_, f := m["commandClasses"]
	return a || ((b || c) && (c || e || f))
}

// find walks the accepted envelopes to the node objects and event messages.
func (d *dump) find(v any, path string) error {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			p := fmt.Sprintf("%s[%d]", path, i)
			if path == "" {
				p = fmt.Sprintf("[%d]", i)
			}
			m, ok := e.(map[string]any)
			if !ok {
				return d.errf(p, "expected a node or a server message object, got %s", jsonv.Kind(e))
			}
			if err := d.findObj(m, p); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		return d.findObj(x, path)
	}
	return d.errf(path, "expected a Z-Wave JS node, a list of nodes or a diagnostics object, got %s", jsonv.Kind(v))
}

func (d *dump) findObj(m map[string]any, path string) error {
	// a server message: {"type": "result", "result": {"state": …}} or an event
	if t, ok := m["type"].(string); ok {
		switch t {
		case "event":
			return d.readEvent(m, path)
		case "result":
			if r, ok := m["result"].(map[string]any); ok {
				return d.findObj(r, join(path, "result"))
			}
			return nil
		case "version":
			return nil
		}
	}
	if isNode(m) {
		d.nodes = append(d.nodes, rawNode{path: path, raw: m})
		return nil
	}
	if st, ok := m["state"].(map[string]any); ok { // HA device diagnostics or server state
		return d.findObj(st, join(path, "state"))
	}
	if ns, ok := m["nodes"]; ok {
		return d.find(ns, join(path, "nodes"))
	}
	return nil
}

// readEvent keeps node "notification" events of the Notification CC.
func (d *dump) readEvent(m map[string]any, path string) error {
	ev, ok := m["event"].(map[string]any)
	if !ok {
		return nil
	}
	if ev["source"] != "node" || ev["event"] != "notification" {
		return nil
	}
	nid, ok := jsonv.Int(ev["nodeId"])
	if !ok {
		return d.errf(join(path, "event.nodeId"), "expected an integer node id, got %s", jsonv.Kind(ev["nodeId"]))
	}
	if cc, ok := ev["ccId"]; ok {
		if c, ok := jsonv.Int(cc); !ok || c != CCNotification {
			return nil
		}
	}
	args, ok := ev["args"].(map[string]any)
	if !ok {
		return d.errf(join(path, "event.args"), "expected the notification's args object, got %s", jsonv.Kind(ev["args"]))
	}
	typ, ok1 := jsonv.Int(args["type"])
	num, ok2 := jsonv.Int(args["event"])
	if !ok1 || !ok2 {
		return d.errf(join(path, "event.args"), "expected integer notification type and event")
	}
	e := event{path: path, typ: typ, event: num, userID: -1}
	if p, ok := args["parameters"].(map[string]any); ok {
		if u, ok := p["userId"]; ok {
			uid, isInt := jsonv.Int(u)
			if !isInt || uid < 0 {
				return d.errf(join(path, "event.args.parameters.userId"), "expected a non-negative integer user id, got %s", jsonv.Kind(u))
			}
			e.userID = uid
		}
	}
	d.events[nid] = append(d.events[nid], e)
	return nil
}

type ccInfo struct {
	present bool
	secure  any // bool, or nil when unknown
}

type value struct {
	cc       int64
	endpoint int64
	property string
	key      any
	val      any
	path     string
}

type node struct {
	id     int64
	path   string
	raw    map[string]any
	ccs    map[int64]*ccInfo
	values []value
}

func (d *dump) parseNode(rn rawNode) (*node, error) {
	m := rn.raw
	idKey := "nodeId"
	idv, ok := m["nodeId"]
	if !ok {
		idKey = "id"
		idv, ok = m["id"]
	}
	if !ok {
		return nil, d.errf(join(rn.path, "nodeId"), "missing node id")
	}
	id, ok := jsonv.Int(idv)
	if !ok || id < 1 || id > 4000 {
		return nil, d.errf(join(rn.path, idKey), "expected a node id (an integer 1–4000), got %s", jsonv.Kind(idv))
	}
	n := &node{id: id, path: rn.path, raw: m, ccs: map[int64]*ccInfo{}}
	if err := d.readCCs(n, m["commandClasses"], join(rn.path, "commandClasses"), 0); err != nil {
		return nil, err
	}
	switch eps := m["endpoints"].(type) {
	case nil:
	case []any:
		err := d.listObjects(eps, join(rn.path, "endpoints"), "an endpoint object", func(em map[string]any, p string) error {
			idx, _ := jsonv.Int(em["index"])
			return d.readCCs(n, em["commandClasses"], join(p, "commandClasses"), idx)
		})
		if err != nil {
			return nil, err
		}
	case map[string]any:
		err := d.keyedObjects(eps, join(rn.path, "endpoints"), "an endpoint object", func(k string, em map[string]any, p string) error {
			idx, _ := strconv.ParseInt(k, 10, 64)
			return d.readCCs(n, em["commandClasses"], join(p, "commandClasses"), idx)
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, d.errf(join(rn.path, "endpoints"), "expected a list or an object of endpoints, got %s", jsonv.Kind(eps))
	}
	if err := d.readValues(n, m["values"], join(rn.path, "values"), -1, nil); err != nil {
		return nil, err
	}
	return n, nil
}

// readCCs accepts a list of {"id", "isSecure"} or an object keyed by name
// {"Door Lock": {"isSupported", "secure", "values"}}.
func (d *dump) readCCs(n *node, v any, path string, endpoint int64) error {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return d.listObjects(x, path, "a command class object", func(o map[string]any, p string) error {
			id, ok := jsonv.Int(o["id"])
			if !ok || id < 0 {
				return d.errf(join(p, "id"), "expected a command class id (an integer), got %s", jsonv.Kind(o["id"]))
			}
			return d.addCC(n, id, o, p)
		})
	case map[string]any:
		return d.keyedObjects(x, path, "a command class object", func(name string, o map[string]any, p string) error {
			id, known := int64(0), false
			if i, ok := jsonv.Int(o["id"]); ok {
				id, known = i, true
			} else if i, ok := CCNames[name]; ok {
				id, known = int64(i), true
			}
			if !known {
				return nil // a command class the mapping does not read
			}
			if sup, ok := o["isSupported"].(bool); ok && !sup {
				return nil // controlled only
			}
			if err := d.addCC(n, id, o, p); err != nil {
				return err
			}
			if vals, ok := o["values"]; ok {
				return d.readValues(n, vals, join(p, "values"), endpoint, &id)
			}
			return nil
		})
	default:
		return d.errf(path, "expected a list or an object of command classes, got %s", jsonv.Kind(v))
	}
}

// listObjects calls fn with each element of the list x and its path,
// stopping at the first error; an element that is not an object is an input
// error naming what it should be (what, e.g. "a value object").
func (d *dump) listObjects(x []any, path, what string, fn func(o map[string]any, p string) error) error {
	for i, e := range x {
		p := fmt.Sprintf("%s[%d]", path, i)
		o, ok := e.(map[string]any)
		if !ok {
			return d.errf(p, "expected %s, got %s", what, jsonv.Kind(e))
		}
		if err := fn(o, p); err != nil {
			return err
		}
	}
	return nil
}

// keyedObjects is listObjects for the members of the object x, in key order
// (deterministic paths and errors); fn also gets the member's key.
func (d *dump) keyedObjects(x map[string]any, path, what string, fn func(k string, o map[string]any, p string) error) error {
	for _, k := range slices.Sorted(maps.Keys(x)) {
		p := fmt.Sprintf("%s[%q]", path, k)
		o, ok := x[k].(map[string]any)
		if !ok {
			return d.errf(p, "expected %s, got %s", what, jsonv.Kind(x[k]))
		}
		if err := fn(k, o, p); err != nil {
			return err
		}
	}
	return nil
}

func (d *dump) addCC(n *node, id int64, o map[string]any, path string) error {
	c := n.ccs[id]
	if c == nil {
		c = &ccInfo{}
		n.ccs[id] = c
	}
	c.present = true
	for _, k := range []string{"isSecure", "secure"} {
		if s, ok := o[k]; ok {
			switch b := s.(type) {
			case bool:
				if c.secure == nil || !b { // any insecure endpoint makes it insecure
					c.secure = b
				}
			case string: // "unknown"
			default:
				return d.errf(join(path, k), "expected a boolean, got %s", jsonv.Kind(s))
			}
		}
	}
	return nil
}

// readValues accepts a list of values or an object of them (Z-Wave JS UI);
// cc is set when the values sit under their command class (node dump).
func (d *dump) readValues(n *node, v any, path string, endpoint int64, cc *int64) error {
	read := func(o map[string]any, p string) error {
		val := value{endpoint: endpoint, path: p}
		if cc != nil {
			val.cc = *cc
		} else {
			c, ok := jsonv.Int(o["commandClass"])
			if !ok {
				return d.errf(join(p, "commandClass"), "expected a command class id (an integer), got %s", jsonv.Kind(o["commandClass"]))
			}
			val.cc = c
		}
		if e, ok := o["endpoint"]; ok {
			ep, isInt := jsonv.Int(e)
			if !isInt {
				return d.errf(join(p, "endpoint"), "expected an endpoint index (an integer), got %s", jsonv.Kind(e))
			}
			val.endpoint = ep
		}
		if val.endpoint < 0 {
			val.endpoint = 0
		}
		switch pr := o["property"].(type) {
		case string:
			val.property = pr
		case json.Number:
			val.property = pr.String()
		default:
			return d.errf(join(p, "property"), "expected a property name or number, got %s", jsonv.Kind(o["property"]))
		}
		val.key = o["propertyKey"]
		val.val = o["value"]
		n.values = append(n.values, val)
		return nil
	}
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return d.listObjects(x, path, "a value object", read)
	case map[string]any:
		return d.keyedObjects(x, path, "a value object", func(_ string, o map[string]any, p string) error {
			return read(o, p)
		})
	default:
		return d.errf(path, "expected a list or an object of values, got %s", jsonv.Kind(v))
	}
}

func (d *dump) mapNode(rn rawNode, guard *importer.Guard) (*importer.Snapshot, []string, error) {
	n, err := d.parseNode(rn)
	if err != nil {
		return nil, nil, err
	}
	// every user code is a secret, whatever its slot's status
	for _, v := range n.values {
		if v.cc == CCUserCode && v.property == PropUserCode {
			if code, ok := codeString(v.val); ok {
				guard.Add(code)
			}
		}
	}
	name := nodeName(rn.raw)
	_, isLock := n.ccs[CCDoorLock]
	if !isLock {
		for _, v := range n.values {
			if v.cc == CCDoorLock {
				isLock = true
				break
			}
		}
	}
	if !isLock {
		who := fmt.Sprintf("node %d", n.id)
		if name != "" {
			who += fmt.Sprintf(" (%q)", name)
		}
		return nil, []string{fmt.Sprintf("%s: Z-Wave %s is not a lock (no Door Lock command class 98); skipped", d.file, who)}, nil
	}
	s := importer.NewSnapshot(Kind, strconv.FormatInt(n.id, 10))
	s.Label = name
	if t, ok := rn.raw["lastSeen"].(string); ok && t != "" {
		s.Timestamps["last-seen"] = t
	}
	var warns []string
	w, err := d.mapSecurity(n, s)
	if err != nil {
		return nil, nil, err
	}
	if w != "" {
		warns = append(warns, w)
	}
	warns = append(warns, d.mapUserCodes(n, s)...)
	d.mapEvents(n, s)
	return s, warns, nil
}

func nodeName(m map[string]any) string {
	if s, ok := m["name"].(string); ok && s != "" {
		return s
	}
	if dc, ok := m["deviceConfig"].(map[string]any); ok {
		if s, ok := dc["label"].(string); ok && s != "" {
			return s
		}
	}
	if s, ok := m["label"].(string); ok && s != "" {
		return s
	}
	return ""
}

type secClass int

const (
	secUnknown secClass = iota
	secS2Auth
	secS2Unauth
	secS0
	secNone
)

// security determines the node's security class and where it was read.
func (d *dump) security(n *node) (secClass, string, error) {
	m := n.raw
	if v, ok := m["highestSecurityClass"]; ok && v != nil {
		c, isInt := jsonv.Int(v)
		if !isInt {
			return secUnknown, "", d.errf(join(n.path, "highestSecurityClass"), "expected a SecurityClass number, got %s", jsonv.Kind(v))
		}
		src := "zwave-js:highestSecurityClass"
		switch c {
		case SecS2AccessControl, SecS2Authenticated:
			return secS2Auth, src, nil
		case SecS2Unauthenticated:
			return secS2Unauth, src, nil
		case SecS0Legacy:
			return secS0, src, nil
		case SecNone:
			return secNone, src, nil
		}
		return secUnknown, "", nil
	}
	if v, ok := m["securityClasses"]; ok && v != nil {
		sc, isObj := v.(map[string]any)
		if !isObj {
			return secUnknown, "", d.errf(join(n.path, "securityClasses"), "expected an object of security classes, got %s", jsonv.Kind(v))
		}
		granted := map[string]bool{}
		known := 0
		for _, k := range slices.Sorted(maps.Keys(sc)) {
			switch b := sc[k].(type) {
			case bool:
				granted[k] = b
				known++
			case string: // "unknown"
			default:
				return secUnknown, "", d.errf(join(n.path, "securityClasses."+k), "expected true, false or \"unknown\", got %s", jsonv.Kind(sc[k]))
			}
		}
		src := "zwave-js:securityClasses"
		switch {
		case granted["S2_AccessControl"] || granted["S2_Authenticated"]:
			return secS2Auth, src, nil
		case granted["S2_Unauthenticated"]:
			return secS2Unauth, src, nil
		case granted["S0_Legacy"]:
			return secS0, src, nil
		case known == len(SecurityClassNames) && known == len(sc):
			return secNone, src, nil // every class positively not granted
		}
		return secUnknown, "", nil
	}
	if v, ok := m["isSecure"]; ok {
		switch b := v.(type) {
		case bool:
			if !b {
				return secNone, "zwave-js:isSecure", nil
			}
			_, s0 := n.ccs[CCSecurity]
			_, s2 := n.ccs[CCSecurity2]
			if s0 && !s2 {
				return secS0, "zwave-js:isSecure+commandClasses(0x98 without 0x9f)", nil
			}
		case string: // "unknown"
		default:
			return secUnknown, "", d.errf(join(n.path, "isSecure"), "expected a boolean or \"unknown\", got %s", jsonv.Kind(v))
		}
	}
	return secUnknown, "", nil
}

func (d *dump) mapSecurity(n *node, s *importer.Snapshot) (string, error) {
	cls, src, err := d.security(n)
	if err != nil {
		return "", err
	}
	if cls == secUnknown {
		return fmt.Sprintf("%s: Z-Wave node %d: security class not determinable from the dump; the zwave interface's encryption, authentication and replay protection stay absent", d.file, n.id), nil
	}
	if cls != secNone {
		if c := n.ccs[CCDoorLock]; c != nil && c.secure == false {
			return fmt.Sprintf("%s: Z-Wave node %d: the Door Lock command class is not secure although the node is; the zwave interface's fields stay absent", d.file, n.id), nil
		}
	}
	set := func(f string, v any) { s.Set("interfaces[zwave]."+f, v, src) }
	set("type", "zwave")
	switch cls {
	case secS2Auth:
		set("encryption", "app_layer_aead")
		set("authenticated", true)
		set("replay_protection", "nonce_challenge")
		set("unauthenticated_pairing_allowed", false)
	case secS2Unauth:
		set("encryption", "app_layer_aead")
		set("authenticated", false)
	case secS0:
		set("encryption", "link_layer_only")
		set("authenticated", false)
		set("replay_protection", "nonce_challenge")
	case secNone:
		set("encryption", "none")
		set("authenticated", false)
		set("replay_protection", "none")
	}
	return "", nil
}

// slotOf reads a User Code value's propertyKey (the user id).
func slotOf(v value) (int64, bool) {
	id, ok := jsonv.IntOrString(v.key)
	return id, ok && id >= 1
}

func (d *dump) mapUserCodes(n *node, s *importer.Snapshot) []string {
	var warns []string
	status := map[int64]value{}
	codes := map[int64]value{}
	var slots []int64
	for _, v := range n.values {
		if v.cc != CCUserCode {
			continue
		}
		id, ok := slotOf(v)
		if !ok {
			continue
		}
		switch v.property {
		case PropUserIDStatus:
			if _, seen := status[id]; !seen {
				status[id] = v
				slots = append(slots, id)
			}
		case PropUserCode:
			if _, seen := codes[id]; !seen {
				codes[id] = v
			}
		}
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i] < slots[j] })
	for _, id := range slots {
		v := status[id]
		if v.val == nil {
			continue // not queried yet
		}
		st, ok := jsonv.Int(v.val)
		if !ok {
			warns = append(warns, fmt.Sprintf("%s: %s: user id status is %s, not a number; slot %d not imported", d.file, v.path, jsonv.Kind(v.val), id))
			continue
		}
		src := fmt.Sprintf("zwave-js:cc99/userIdStatus/%d", id)
		item := fmt.Sprintf("credentials[zwave-slot-%d]", id)
		switch st {
		case StatusAvailable:
			continue
		case StatusEnabled:
			s.Set(item+".credential_id", fmt.Sprintf("zwave-slot-%d", id), src)
			s.Set(item+".kind", "keypad_pin", src)
			s.Set(item+".cloud_status", "active", src)
		case StatusDisabled:
			s.Set(item+".credential_id", fmt.Sprintf("zwave-slot-%d", id), src)
			s.Set(item+".kind", "keypad_pin", src)
			s.Set(item+".cloud_status", "suspended", src)
		default:
			warns = append(warns, fmt.Sprintf("%s: Z-Wave node %d: user code slot %d has status %d, which catalogue 2.4 does not read; not imported", d.file, n.id, id, st))
			continue
		}
		if c, ok := codes[id]; ok {
			if code, ok := codeString(c.val); ok && code != "" {
				s.Set(item+".pin_length", len(code), fmt.Sprintf("zwave-js:cc99/userCode/%d(length)", id))
			}
		}
	}
	return warns
}

// codeString reads a user code: a string, or a serialised Buffer
// {"type": "Buffer", "data": [...]}. Redacted values are no code.
func codeString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		if jsonv.Redacted(x) {
			return "", false
		}
		return x, true
	case map[string]any:
		if x["type"] != "Buffer" {
			return "", false
		}
		data, ok := x["data"].([]any)
		if !ok {
			return "", false
		}
		b := make([]byte, 0, len(data))
		for _, e := range data {
			c, ok := jsonv.Int(e)
			if !ok || c < 0 || c > 255 {
				return "", false
			}
			b = append(b, byte(c))
		}
		return string(b), true
	}
	return "", false
}

func (d *dump) mapEvents(n *node, s *importer.Snapshot) {
	seq := 0
	for _, e := range d.events[n.id] {
		if e.typ != NotificationAccessControl {
			continue
		}
		src := fmt.Sprintf("zwave-js:cc113/%d/%d", e.typ, e.event)
		next := func() string {
			seq++
			return fmt.Sprintf("events[n%04d]", seq)
		}
		switch e.event {
		case EventKeypadLock, EventKeypadUnlock:
			if e.userID < 0 {
				continue // no user id: no reading
			}
			item := next()
			typ := "unlock"
			if e.event == EventKeypadLock {
				typ = "lock"
			}
			s.Set(item+".type", typ, src)
			s.Set(item+".channel", "keypad", src)
			s.Set(item+".credential_id", fmt.Sprintf("zwave-slot-%d", e.userID), src)
			s.Set(item+".result", "success", src)
		case EventLockJammed, EventKeypadDisabled:
			s.Set(next()+".type", "unlock_failed", src)
		}
	}
}
