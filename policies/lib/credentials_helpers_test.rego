package lockcheck.credentials_helpers_test

import data.lockcheck.lib

test_cred_duration_parts if {
	lib.cred_duration(0) == "0 s"
	lib.cred_duration(500000000) == "0 s"
	lib.cred_duration(86400000000000) == "1 day"
	lib.cred_duration(93600000000000) == "1 day 2 h"
	lib.cred_duration(2593800000000000) == "30 days 30 min"
	lib.cred_duration(-300000000000) == "-5 min"
}

test_cred_label_falls_back_to_position if {
	lib.cred_label("spec.credentials", 3, {"holder_id": ""}) == "credential spec.credentials[3] (holder unknown)"
	lib.cred_label("spec.credentials", 0, {"credential_id": "c-1", "holder_id": "h-1"}) == "credential c-1 (holder h-1)"
}
