package lockcheck.lib

# The document under evaluation and its linked documents.
doc := input.document

kind := input.document.kind

spec := input.document.spec

name := input.document.metadata.name

plan := input.related.plan.spec

product := input.related.product.spec

is_snapshot if kind == "LockSnapshot"

is_spec if kind == "ProductSpec"

is_plan if kind == "InstallPlan"

# param returns a threshold: the linked (or own) plan's policy_overrides where
# the plan sets one, else the run's params (defaults in policies/params.json,
# overridable with --params).
param(key) := v if {
	v := _plan_for_params.policy_overrides[key]
} else := data.params[key]

_plan_for_params := spec if is_plan

_plan_for_params := plan if not is_plan

# Time. The run time comes from the engine (--now or the clock); each document
# is judged as of its own reference time (catalogue header): a snapshot as of
# captured_at, a plan as of planned_install_date (start of that day on site),
# a spec as of the run time.
now_ns := time.parse_rfc3339_ns(input.run.now)

ref_ns := time.parse_rfc3339_ns(spec.captured_at) if is_snapshot

ref_ns := now_ns if is_spec

# a plan's day is a date: its instant is the start of that day (UTC); plan
# controls compare dates (ref_date), not instants.
ref_ns := time.parse_ns("2006-01-02", spec.planned_install_date) if is_plan

# timezone is the site's IANA zone: device.timezone for a snapshot, else the
# linked plan's site.timezone, else UTC.
timezone := tz if {
	is_snapshot
	tz := spec.device.timezone
} else := tz if {
	is_snapshot
	tz := plan.site.timezone
} else := tz if {
	is_plan
	tz := spec.site.timezone
} else := "UTC"

# ref_date is the reference day in the site's zone (YYYY-MM-DD).
ref_date := spec.planned_install_date if is_plan

ref_date := local_date(ref_ns) if not is_plan

# local_date converts an instant (ns) to its calendar date in the site's zone.
local_date(ns) := sprintf("%04d-%02d-%02d", time.date([ns, timezone]))

# ts_ns parses an RFC 3339 timestamp (the schema guarantees the offset).
ts_ns(ts) := time.parse_rfc3339_ns(ts)

# add_months adds calendar months to a YYYY-MM-DD date.
add_months(d, months) := sprintf("%04d-%02d-%02d", time.date(time.add_date(time.parse_ns("2006-01-02", d), 0, months, 0)))

# add_days adds days to a YYYY-MM-DD date.
add_days(d, days) := sprintf("%04d-%02d-%02d", time.date(time.add_date(time.parse_ns("2006-01-02", d), 0, 0, days)))

hours(ns) := ns / 3600000000000

days(ns) := ns / 86400000000000
