# METADATA
# title: Entry point
# description: |
#   One query per document returns every applicable control's finding:
#   data.lockcheck.main.findings. Each control package defines `finding`
#   (built by data.lockcheck.lib.finding) only for the kinds it applies to.
package lockcheck.main

findings contains f if {
	some area, slug
	f := data.lockcheck.controls[area][slug].finding
}
