// Package matter maps python-matter-server node dumps (and Home Assistant's
// Matter diagnostics, which wrap them) to LockSnapshots, exactly as the
// catalogue's section 2.4 reads them. A fact the dump does not report stays
// absent.
//
// Accepted shapes: one node {"node_id", "attributes": {"E/C/A": value}, …};
// a list of nodes; {"nodes": [...]} (server diagnostics, with "info");
// {"server": {"nodes": [...]}} (Home Assistant config-entry diagnostics);
// {"node": {...}} (Home Assistant device diagnostics); {"result": [...]}
// (the server's start_listening reply); each optionally inside Home
// Assistant's {"data": …} download envelope. Attribute values may be raw or,
// as older servers wrote them, objects {"attribute_id", "value", …};
// "attributes" may also be such a list.
package matter

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/internal/jsonv"
)

// Kind is the source name.
const Kind = "matter"

// Cluster and attribute ids the mapping reads (Matter Application Cluster
// specification; checked against @matter/model by the reference test).
const (
	ClusterBasicInformation         = 0x0028
	AttrProductName                 = 0x0003
	AttrNodeLabel                   = 0x0005
	AttrHardwareVersionString       = 0x0008
	AttrSoftwareVersionString       = 0x000A
	AttrSerialNumber                = 0x000F
	ClusterAdministratorCommission  = 0x003C
	AttrWindowStatus                = 0x0000
	ClusterOperationalCredentials   = 0x003E
	AttrFabrics                     = 0x0001
	AttrCommissionedFabrics         = 0x0003
	ClusterDoorLock                 = 0x0101
	AttrOperatingMode               = 0x0025
	AttrWrongCodeEntryLimit         = 0x0030
	AttrUserCodeTemporaryDisableTim = 0x0031
	AttrRequirePINforRemoteOp       = 0x0033
	AttrFeatureMap                  = 0xFFFC
	// FeaturePinCredential is the Door Lock FeatureMap bit for PIN credentials.
	FeaturePinCredential = 0
	// Fabric descriptor struct field ids.
	FieldVendorID    = 2
	FieldLabel       = 5
	FieldFabricIndex = 254
	// Door Lock OperatingMode values that allow remote lock/unlock:
	// Normal 0, Vacation 1, Passage 4 (Privacy 2 and NoRemoteLockUnlock 3 do not).
	ModeNormal, ModeVacation, ModePrivacy, ModeNoRemoteLockUnlock, ModePassage = 0, 1, 2, 3, 4
)

// Ref is one id the mapping uses, by its specification name.
type Ref struct {
	Cluster   int    `json:"cluster"`
	Name      string `json:"cluster_name"`
	Attribute int    `json:"attribute"`
	Attr      string `json:"attribute_name"`
}

// Refs lists every cluster/attribute id the mapping reads, for the test that
// checks them against the reference package.
var Refs = []Ref{
	{ClusterBasicInformation, "BasicInformation", AttrProductName, "ProductName"},
	{ClusterBasicInformation, "BasicInformation", AttrNodeLabel, "NodeLabel"},
	{ClusterBasicInformation, "BasicInformation", AttrHardwareVersionString, "HardwareVersionString"},
	{ClusterBasicInformation, "BasicInformation", AttrSoftwareVersionString, "SoftwareVersionString"},
	{ClusterBasicInformation, "BasicInformation", AttrSerialNumber, "SerialNumber"},
	{ClusterAdministratorCommission, "AdministratorCommissioning", AttrWindowStatus, "WindowStatus"},
	{ClusterOperationalCredentials, "OperationalCredentials", AttrFabrics, "Fabrics"},
	{ClusterOperationalCredentials, "OperationalCredentials", AttrCommissionedFabrics, "CommissionedFabrics"},
	{ClusterDoorLock, "DoorLock", AttrOperatingMode, "OperatingMode"},
	{ClusterDoorLock, "DoorLock", AttrWrongCodeEntryLimit, "WrongCodeEntryLimit"},
	{ClusterDoorLock, "DoorLock", AttrUserCodeTemporaryDisableTim, "UserCodeTemporaryDisableTime"},
	{ClusterDoorLock, "DoorLock", AttrRequirePINforRemoteOp, "RequirePinForRemoteOperation"},
	{ClusterDoorLock, "DoorLock", AttrFeatureMap, "FeatureMap"},
}

// FabricFields are the FabricDescriptorStruct fields read, by name.
var FabricFields = map[string]int{"VendorId": FieldVendorID, "Label": FieldLabel, "FabricIndex": FieldFabricIndex}

// SessionSource is the provenance of the matter interface's fields: every
// Matter operational session is CASE (or PASE) with AES-CCM and message
// counters.
const SessionSource = "matter:session"

// Map reads one dump.
func Map(file string, data []byte) (*importer.Result, error) {
	v, err := jsonv.Decode(data)
	if err != nil {
		return nil, &importer.InputError{File: file, Msg: err.Error()}
	}
	nodes, base, err := findNodes(jsonv.UnwrapHA(v))
	if err != nil {
		return nil, &importer.InputError{File: file, Msg: err.Error()}
	}
	res := &importer.Result{}
	for i, n := range nodes {
		jsonv.WalkSecrets(n, res.Guard.Add)
		path := fmt.Sprintf("%s[%d]", base, i)
		if base == "" {
			path = ""
		}
		s, warns, err := mapNode(file, path, n)
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

// findNodes locates the node objects in any accepted shape; base is the
// path of the list holding them ("" for a single node).
func findNodes(v any) ([]any, string, error) {
	switch x := v.(type) {
	case []any:
		return x, "nodes", nil
	case map[string]any:
		if _, ok := x["node_id"]; ok {
			return []any{x}, "", nil
		}
		if _, ok := x["attributes"]; ok {
			return []any{x}, "", nil
		}
		for _, k := range []string{"nodes", "result"} {
			if l, ok := x[k].([]any); ok {
				return l, k, nil
			}
		}
		if s, ok := x["server"].(map[string]any); ok {
			if l, ok := s["nodes"].([]any); ok {
				return l, "server.nodes", nil
			}
		}
		if n, ok := x["node"].(map[string]any); ok {
			return []any{n}, "", nil
		}
	}
	return nil, "", fmt.Errorf("no Matter node found: expected a node {\"node_id\", \"attributes\"}, a list of nodes, or a diagnostics object holding them (got %s)", jsonv.Kind(v))
}

type attrKey struct{ ep, cluster, attr int64 }

type node struct {
	file, path string
	id         string
	attrs      map[attrKey]any
	raw        map[attrKey]string // the key as written, for messages
	warns      []string
}

func (n *node) where(k attrKey) string {
	p := fmt.Sprintf("attributes[%q]", n.raw[k])
	if n.path != "" {
		p = n.path + "." + p
	}
	return p
}

func (n *node) errf(k attrKey, format string, a ...any) error {
	return &importer.InputError{File: n.file, Path: n.where(k), Msg: fmt.Sprintf(format, a...)}
}

func mapNode(file, path string, v any) (*importer.Snapshot, []string, error) {
	at := func(f string) string {
		if path == "" {
			return f
		}
		return path + "." + f
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, &importer.InputError{File: file, Path: path, Msg: "expected a node object, got " + jsonv.Kind(v)}
	}
	idv, ok := m["node_id"]
	if !ok {
		return nil, nil, &importer.InputError{File: file, Path: at("node_id"), Msg: "missing node id"}
	}
	id, ok := jsonv.Int(idv)
	if !ok || id < 0 {
		return nil, nil, &importer.InputError{File: file, Path: at("node_id"), Msg: "expected a non-negative integer node id, got " + jsonv.Kind(idv)}
	}
	n := &node{file: file, path: path, id: strconv.FormatInt(id, 10), attrs: map[attrKey]any{}, raw: map[attrKey]string{}}
	if err := n.readAttributes(m["attributes"], at("attributes")); err != nil {
		return nil, nil, err
	}
	lockEP := int64(-1)
	for k := range n.attrs {
		if k.cluster == ClusterDoorLock && (lockEP < 0 || k.ep < lockEP) {
			lockEP = k.ep
		}
	}
	label, _ := n.str(attrKey{0, ClusterBasicInformation, AttrNodeLabel})
	if lockEP < 0 {
		name := "node " + n.id
		if label != "" {
			name += fmt.Sprintf(" (%q)", label)
		}
		return nil, []string{fmt.Sprintf("%s: Matter %s is not a lock (no Door Lock cluster 0x0101); skipped", file, name)}, nil
	}
	s := importer.NewSnapshot(Kind, n.id)
	s.Label = label
	for _, ts := range []struct{ key, ann string }{{"date_commissioned", "date-commissioned"}, {"last_interview", "last-interview"}} {
		if t, ok := m[ts.key].(string); ok && t != "" {
			s.Timestamps[ts.ann] = t
		}
	}
	if err := n.mapSnapshot(s, lockEP); err != nil {
		return nil, nil, err
	}
	return s, n.warns, nil
}

// readAttributes accepts {"E/C/A": value}, {"E/C/A": {"value": …}} and a
// list of {"endpoint", "cluster_id", "attribute_id", "value"}.
func (n *node) readAttributes(v any, path string) error {
	switch x := v.(type) {
	case nil:
		return &importer.InputError{File: n.file, Path: path, Msg: "missing attributes (the node's attribute cache)"}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ak, err := parseAttrPath(k)
			if err != nil {
				return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%q]", path, k), Msg: err.Error()}
			}
			n.put(ak, k, unwrap(x[k]))
		}
	case []any:
		for i, e := range x {
			o, ok := e.(map[string]any)
			ep, ok1 := jsonv.Int(o["endpoint"])
			cl, ok2 := jsonv.Int(o["cluster_id"])
			at, ok3 := jsonv.Int(o["attribute_id"])
			if !ok || !ok1 || !ok2 || !ok3 {
				return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d]", path, i), Msg: "expected {endpoint, cluster_id, attribute_id, value} with integer ids"}
			}
			k := fmt.Sprintf("%d/%d/%d", ep, cl, at)
			ak, err := parseAttrPath(k)
			if err != nil {
				return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d]", path, i), Msg: err.Error()}
			}
			n.put(ak, k, o["value"])
		}
	default:
		return &importer.InputError{File: n.file, Path: path, Msg: "expected an object keyed by endpoint/cluster/attribute, got " + jsonv.Kind(v)}
	}
	return nil
}

func (n *node) put(k attrKey, raw string, v any) {
	n.raw[k] = raw
	if v == nil || jsonv.Redacted(v) {
		return // null or redacted: not reported
	}
	n.attrs[k] = v
}

func unwrap(v any) any {
	if o, ok := v.(map[string]any); ok {
		if _, has := o["value"]; has {
			_, a := o["attribute_id"]
			_, t := o["attribute_type"]
			if a || t {
				return o["value"]
			}
		}
	}
	return v
}

// parseAttrPath reads "E/C/A" (decimal) and refuses ids the Matter
// specification does not allow: a cluster id's suffix must be a standard
// (0x0000–0x7FFF) or manufacturer-specific (0xFC00–0xFFFE) one; an
// attribute id's suffix 0x0000–0x4FFF or global (0xF000–0xFFFE).
func parseAttrPath(p string) (attrKey, error) {
	parts := strings.Split(p, "/")
	if len(parts) != 3 {
		return attrKey{}, fmt.Errorf("malformed attribute path (expected endpoint/cluster/attribute)")
	}
	var ids [3]int64
	for i, s := range parts {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return attrKey{}, fmt.Errorf("malformed attribute path (expected three decimal ids endpoint/cluster/attribute)")
		}
		ids[i] = v
	}
	if ids[0] > 0xFFFF {
		return attrKey{}, fmt.Errorf("endpoint %d out of range (0–65535)", ids[0])
	}
	if !validCluster(ids[1]) {
		return attrKey{}, fmt.Errorf("unknown cluster id 0x%X: not a standard (0x0000–0x7FFF) or manufacturer-specific (MEI prefix, 0xFC00–0xFFFE) cluster id", ids[1])
	}
	if !validAttribute(ids[2]) {
		return attrKey{}, fmt.Errorf("attribute id 0x%X is not a valid Matter attribute id", ids[2])
	}
	return attrKey{ids[0], ids[1], ids[2]}, nil
}

func validCluster(id int64) bool {
	if id > 0xFFFFFFFF {
		return false
	}
	prefix, suffix := id>>16, id&0xFFFF
	if prefix == 0 {
		return suffix <= 0x7FFF || (suffix >= 0xFC00 && suffix <= 0xFFFE)
	}
	return prefix <= 0xFFF4 && suffix >= 0xFC00 && suffix <= 0xFFFE
}

func validAttribute(id int64) bool {
	if id > 0xFFFFFFFF {
		return false
	}
	prefix, suffix := id>>16, id&0xFFFF
	if prefix > 0xFFF4 {
		return false
	}
	return suffix <= 0x4FFF || (suffix >= 0xF000 && suffix <= 0xFFFE)
}

func (n *node) src(k attrKey) string {
	return fmt.Sprintf("matter:%d/%d/%d", k.ep, k.cluster, k.attr)
}

func (n *node) str(k attrKey) (string, bool) {
	v, ok := n.attrs[k]
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// mapSnapshot writes the catalogue 2.4 readings.
func (n *node) mapSnapshot(s *importer.Snapshot, lockEP int64) error {
	// Basic Information (0x0028), endpoint 0.
	for _, f := range []struct {
		attr  int64
		field string
	}{
		{AttrSerialNumber, "device.serial_number"},
		{AttrProductName, "device.model"},
		{AttrHardwareVersionString, "device.hardware_revision"},
		{AttrSoftwareVersionString, "firmware.version"},
	} {
		k := attrKey{0, ClusterBasicInformation, f.attr}
		v, ok := n.attrs[k]
		if !ok {
			continue
		}
		str, isStr := v.(string)
		if !isStr {
			return n.errf(k, "expected a string, got %s", jsonv.Kind(v))
		}
		if str != "" { // an empty string reports nothing
			s.Set(f.field, str, n.src(k))
		}
	}
	if k := (attrKey{0, ClusterBasicInformation, AttrNodeLabel}); n.attrs[k] != nil {
		if _, ok := n.attrs[k].(string); !ok {
			return n.errf(k, "expected a string, got %s", jsonv.Kind(n.attrs[k]))
		}
	}

	// Every Matter operational session is CASE/PASE with AES-CCM and counters.
	s.Set("interfaces[matter].type", "matter", SessionSource)
	s.Set("interfaces[matter].encryption", "app_layer_aead", SessionSource)
	s.Set("interfaces[matter].authenticated", true, SessionSource)
	s.Set("interfaces[matter].replay_protection", "counter", SessionSource)

	// Door Lock (0x0101): the keypad exists when the PIN credential feature is set.
	fk := attrKey{lockEP, ClusterDoorLock, AttrFeatureMap}
	keypad := false
	if v, ok := n.attrs[fk]; ok {
		fm, ok := jsonv.Int(v)
		if !ok || fm < 0 {
			return n.errf(fk, "expected the FeatureMap bitmap (an unsigned integer), got %s", jsonv.Kind(v))
		}
		if fm&(1<<FeaturePinCredential) != 0 {
			keypad = true
			s.Set("interfaces[keypad].type", "keypad", n.src(fk))
		}
	}
	if keypad {
		var scopeSrc []string
		for _, f := range []struct {
			attr  int64
			field string
		}{
			{AttrWrongCodeEntryLimit, "interfaces[keypad].rate_limit.max_consecutive_failures"},
			{AttrUserCodeTemporaryDisableTim, "interfaces[keypad].rate_limit.lockout_delay_s"},
		} {
			k := attrKey{lockEP, ClusterDoorLock, f.attr}
			v, ok := n.attrs[k]
			if !ok {
				continue
			}
			i, ok := jsonv.Int(v)
			if !ok || i < 0 || i > 255 {
				return n.errf(k, "expected an unsigned 8-bit integer, got %s", jsonv.Kind(v))
			}
			s.Set(f.field, i, n.src(k))
			scopeSrc = append(scopeSrc, n.src(k))
		}
		if len(scopeSrc) > 0 {
			s.Set("interfaces[keypad].rate_limit.lockout_scope", "per_interface", strings.Join(scopeSrc, "+"))
		}
	}

	// RequirePINforRemoteOperation false with remote operation possible.
	rk, mk := attrKey{lockEP, ClusterDoorLock, AttrRequirePINforRemoteOp}, attrKey{lockEP, ClusterDoorLock, AttrOperatingMode}
	if v, ok := n.attrs[rk]; ok {
		req, isBool := v.(bool)
		if !isBool {
			return n.errf(rk, "expected a boolean, got %s", jsonv.Kind(v))
		}
		if mv, ok := n.attrs[mk]; ok {
			mode, ok := jsonv.Int(mv)
			if !ok || mode < 0 || mode > 255 {
				return n.errf(mk, "expected the OperatingMode enum (an unsigned integer), got %s", jsonv.Kind(mv))
			}
			remote := mode == ModeNormal || mode == ModeVacation || mode == ModePassage
			if !req && remote {
				s.Set("remote_unlock.requires_step_up", false, n.src(rk)+"+"+n.src(mk))
			}
		}
	}

	// Administrator Commissioning (0x003C) WindowStatus.
	wk := attrKey{0, ClusterAdministratorCommission, AttrWindowStatus}
	if v, ok := n.attrs[wk]; ok {
		st, ok := jsonv.Int(v)
		switch {
		case !ok:
			return n.errf(wk, "expected the CommissioningWindowStatus enum (0, 1 or 2), got %s", jsonv.Kind(v))
		case st == 0:
			s.Set("enrollment.pairing_mode_open", false, n.src(wk))
		case st == 1 || st == 2:
			s.Set("enrollment.pairing_mode_open", true, n.src(wk))
		default:
			return n.errf(wk, "CommissioningWindowStatus %d is not 0, 1 or 2", st)
		}
	}

	// Operational Credentials (0x003E) Fabrics: one administering ecosystem each.
	return n.mapFabrics(s)
}

func (n *node) mapFabrics(s *importer.Snapshot) error {
	k := attrKey{0, ClusterOperationalCredentials, AttrFabrics}
	v, ok := n.attrs[k]
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return n.errf(k, "expected a list of FabricDescriptorStruct, got %s", jsonv.Kind(v))
	}
	src := n.src(k)
	for i, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d]", n.where(k), i), Msg: "expected a FabricDescriptorStruct object, got " + jsonv.Kind(e)}
		}
		field := func(id int, names ...string) (any, bool) {
			if x, ok := o[strconv.Itoa(id)]; ok {
				return x, true
			}
			for _, nm := range names {
				if x, ok := o[nm]; ok {
					return x, true
				}
			}
			return nil, false
		}
		fiv, ok := field(FieldFabricIndex, "fabricIndex", "fabric_index")
		fi, isInt := jsonv.Int(fiv)
		if !ok || !isInt || fi < 1 || fi > 254 {
			return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d].%d", n.where(k), i, FieldFabricIndex), Msg: "expected a fabric index 1–254"}
		}
		item := fmt.Sprintf("control_paths.fabrics[%d]", fi)
		s.Set(item+".fabric_index", fi, src)
		if vv, ok := field(FieldVendorID, "vendorID", "vendorId", "vendor_id"); ok && vv != nil {
			vid, isInt := jsonv.Int(vv)
			if !isInt || vid < 0 || vid > 0xFFFF {
				return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d].%d", n.where(k), i, FieldVendorID), Msg: "expected a vendor id 0–65535"}
			}
			s.Set(item+".vendor_id", vid, src)
		}
		if lv, ok := field(FieldLabel, "label"); ok && lv != nil {
			l, isStr := lv.(string)
			if !isStr {
				return &importer.InputError{File: n.file, Path: fmt.Sprintf("%s[%d].%d", n.where(k), i, FieldLabel), Msg: "expected a string label, got " + jsonv.Kind(lv)}
			}
			s.Set(item+".label", l, src)
		}
	}
	ck := attrKey{0, ClusterOperationalCredentials, AttrCommissionedFabrics}
	if cv, ok := n.attrs[ck]; ok {
		c, isInt := jsonv.Int(cv)
		if !isInt || c < 0 {
			return n.errf(ck, "expected an unsigned integer, got %s", jsonv.Kind(cv))
		}
		if int(c) > len(list) {
			n.warns = append(n.warns, fmt.Sprintf("%s: Matter node %s: %d fabrics commissioned but only %d listed (a fabric-filtered read); control_paths.fabrics lists those %d", n.file, n.id, c, len(list), len(list)))
		}
	}
	return nil
}
