package catalogue

import (
	"regexp"

	"github.com/lockcheck/lockcheck/engine/finding"
)

// referenceURLs are stable addresses of the standards the catalogue cites
// (DOIs for NIST publications, the official ETSI and UK legislation pages).
var referenceURLs = map[string]string{
	"ETSI EN 303 645":               "https://www.etsi.org/deliver/etsi_en/303600_303699/303645/03.01.03_60/en_303645v030103p.pdf",
	"NIST CSF 2.0":                  "https://doi.org/10.6028/NIST.CSWP.29",
	"NIST SP 800-63B-4":             "https://doi.org/10.6028/NIST.SP.800-63B-4",
	"NIST SP 800-63-3":              "https://doi.org/10.6028/NIST.SP.800-63-3",
	"NIST IR 8259A":                 "https://doi.org/10.6028/NIST.IR.8259A",
	"NIST IR 8259A Federal Profile": "https://doi.org/10.6028/NIST.IR.8259D",
	"NIST IR 8259B":                 "https://doi.org/10.6028/NIST.IR.8259B",
	"NIST IR 8425":                  "https://doi.org/10.6028/NIST.IR.8425",
	"NIST SP 800-193":               "https://doi.org/10.6028/NIST.SP.800-193",
	"UK PSTI Regulations 2023":      "https://www.legislation.gov.uk/uksi/2023/1007",
}

var cveRE = regexp.MustCompile(`^CVE-\d{4}-\d+$`)

// ReferenceURL is a stable address for a reference, or "" when its
// standard has none (a conference talk, a vendor's support page).
func ReferenceURL(r finding.Reference) string {
	if r.Standard == "CVE" && cveRE.MatchString(r.Clause) {
		return "https://www.cve.org/CVERecord?id=" + r.Clause
	}
	return referenceURLs[r.Standard]
}
