package lockcheck.lib

# Helpers shared by the credential-lifecycle controls (CRED-001 … CRED-009).

# cred_label names a credential in messages by its id and holder, never by its
# secret: "credential g-114 (holder h-9)". Where the id is absent it names the
# list position instead ("spec.credentials[3]").
cred_label(list_path, i, c) := sprintf("credential %s (holder %s)", [_cred_ref(list_path, i, c), _cred_holder(c)])

_cred_ref(list_path, i, c) := c.credential_id if {
	is_string(c.credential_id)
	c.credential_id != ""
} else := sprintf("%s[%d]", [list_path, i])

_cred_holder(c) := c.holder_id if {
	is_string(c.holder_id)
	c.holder_id != ""
} else := "unknown"

# cred_wall_ns is the site's wall-clock reading of an instant, expressed as if
# it were UTC: the difference of two wall-clock readings counts calendar days
# in the site's zone, so a 30-day window across a DST change is still 30 days.
cred_wall_ns(ns) := w if {
	[y, mo, d] := time.date([ns, timezone])
	[h, mi, s] := time.clock([ns, timezone])
	w := time.parse_rfc3339_ns(sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", [y, mo, d, h, mi, s])) + (ns % 1000000000)
}

# cred_duration writes an elapsed time (ns) as days, hours, minutes and seconds,
# leaving out the parts that are zero: "30 days 30 min", "1 day 2 h".
cred_duration(ns) := concat("", ["-", _duration(0 - ns)]) if ns < 0

cred_duration(ns) := _duration(ns) if ns >= 0

_duration(ns) := "0 s" if ns < 1000000000

_duration(ns) := concat(" ", [p | some p in _duration_parts(floor(ns / 1000000000)); p != ""]) if ns >= 1000000000

_duration_parts(s) := [
	_part(floor(s / 86400), "day"),
	_part(floor((s % 86400) / 3600), "h"),
	_part(floor((s % 3600) / 60), "min"),
	_part(s % 60, "s"),
]

_part(0, _) := ""

_part(1, "day") := "1 day"

_part(n, "day") := sprintf("%d days", [n]) if n > 1

_part(n, unit) := sprintf("%d %s", [n, unit]) if {
	n != 0
	unit != "day"
}

# cred_fmt formats a number of hours or days with at most one decimal.
cred_fmt(x) := sprintf("%v", [round(x * 10) / 10])

# cred_all_have holds when every item carries every one of fields (null counts
# as present): a summary over a list is only stated when its selectors are known.
cred_all_have(items, fields) if {
	is_array(items)
	count([1 |
		some item in items
		some f in fields
		not item[f] == item[f] # absent (see item_missing)
	]) == 0
}
