package lockcheck.lib

# clock_trustworthy holds when a snapshot's clock meets LOG-004's clock
# criterion: a clock source other than none and a drift within
# clock_drift_max_s. CRED-004 relies on it (catalogue edge case 10): a lock
# that enforces credential validity from its own clock is only trusted when
# that clock is.
clock_trustworthy if {
	spec.device.clock_source in {"ntp", "app_sync", "rtc_only"}
	abs(spec.device.clock_drift_s) <= param("clock_drift_max_s")
}

# clock_evidence are the fields clock_trustworthy reads.
clock_evidence := ["spec.device.clock_source", "spec.device.clock_drift_s"]
