package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("sarif", func(w io.Writer, o Options) Writer { return newSARIFWriter(w, o) })
}

// SARIF 2.1.0 model: only what lockcheck writes.
const (
	sarifSchema      = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion     = "2.1.0"
	sarifInfoURI     = "https://github.com/lockcheck/lockcheck"
	sarifSrcRoot     = "%SRCROOT%"
	sarifFingerprint = "lockcheck/v1"
)

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 sarifMessage       `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Area             string   `json:"area"`
	AppliesTo        []string `json:"appliesTo,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string          `json:"kind"`
	Status        string          `json:"status"`
	Justification string          `json:"justification,omitempty"`
	Properties    *sarifWaiverRef `json:"properties,omitempty"`
}

type sarifWaiverRef struct {
	Waiver     string `json:"waiver"`
	ApprovedBy string `json:"approvedBy,omitempty"`
	Ticket     string `json:"ticket,omitempty"`
	Expires    string `json:"expires,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Kind                string             `json:"kind"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Status       finding.Status `json:"status"`
	Severity     string         `json:"severity"`
	Document     string         `json:"document"`
	DocumentKind string         `json:"documentKind"`
	Site         string         `json:"site,omitempty"`
	Missing      []string       `json:"missing,omitempty"`
}

// sarifWriter streams one SARIF log with one run: the header with the
// rules (the selected controls) first, then one result per finding as the
// documents come, then the invocation.
type sarifWriter struct {
	w      *bufio.Writer
	o      Options
	index  map[string]int
	cwd    string
	begun  bool
	n      int
	failed error
}

func newSARIFWriter(w io.Writer, o Options) *sarifWriter {
	cwd, _ := os.Getwd()
	return &sarifWriter{w: bufio.NewWriter(w), o: o, index: map[string]int{}, cwd: cwd}
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityCritical, finding.SeverityHigh:
		return "error"
	case finding.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub code scanning's numeric severity (0–10).
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.SeverityCritical:
		return "9.5"
	case finding.SeverityHigh:
		return "8.0"
	case finding.SeverityMedium:
		return "5.5"
	}
	return "3.0"
}

// camelName turns a title into a Pascal-case SARIF rule name ("TLS
// certificate's validation" → "TlsCertificatesValidation"): every word
// capitalised with the rest of it lower case, apostrophes and the article
// "a" dropped (a one-letter word would make two capitals in a row). It falls
// back to the slug when the title does not start with a letter.
func camelName(title, fallback string) string {
	var b strings.Builder
	words := strings.FieldsFunc(strings.NewReplacer("'", "", "’", "").Replace(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		if strings.EqualFold(w, "a") {
			continue
		}
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	if b.Len() == 0 || !unicode.IsLetter([]rune(b.String())[0]) {
		if fallback == "" {
			return "Control"
		}
		return camelName(strings.ReplaceAll(fallback, "_", " "), "")
	}
	return b.String()
}

// slugOf is the last element of a control's package path.
func slugOf(c *finding.Control) string {
	if i := strings.LastIndex(c.Package, "."); i >= 0 {
		return c.Package[i+1:]
	}
	return c.ID
}

func sarifRuleOf(c *finding.Control) sarifRule {
	tags := []string{"security", c.Area}
	var refs []string
	for _, r := range c.References {
		t := r.Standard + " " + r.Clause
		tags = append(tags, t)
		refs = append(refs, "- "+mdInline(t))
	}
	full := c.Description
	if full == "" {
		full = c.Title
	}
	rem := oneParagraph(c.Remediation)
	helpText := c.Title + "."
	helpMD := "**" + mdInline(c.Title) + "** (" + c.ID + ", " + string(c.Severity) + ")"
	if full != c.Title {
		helpText += " " + oneParagraph(full)
		helpMD += "\n\n" + mdInline(oneParagraph(full))
	}
	if rem != "" {
		helpText += " Remediation: " + rem
		helpMD += "\n\n**Remediation:** " + mdInline(rem)
	}
	if len(refs) > 0 {
		helpMD += "\n\n**References:**\n" + strings.Join(refs, "\n")
	}
	return sarifRule{
		ID:                   c.ID,
		Name:                 camelName(c.Title, slugOf(c)),
		ShortDescription:     sarifMessage{Text: c.Title},
		FullDescription:      sarifMessage{Text: oneParagraph(full)},
		Help:                 sarifMessage{Text: helpText, Markdown: helpMD},
		HelpURI:              controlDocURI(c.ID),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(c.Severity)},
		Properties: sarifRuleProps{
			Tags:             tags,
			SecuritySeverity: securitySeverity(c.Severity),
			Area:             c.Area,
			AppliesTo:        c.AppliesTo,
		},
	}
}

// controlDocURI is the control's entry in the generated catalogue
// documentation (docs/controls.md has one "### ID" heading per control).
func controlDocURI(id string) string {
	return sarifInfoURI + "/blob/main/docs/controls.md#" + strings.ToLower(id)
}

// mdInline escapes the characters that would turn text into Markdown markup.
func mdInline(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "|", `\|`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func (s *sarifWriter) begin() {
	if s.begun {
		return
	}
	s.begun = true
	var rules []sarifRule
	if s.o.Engine != nil {
		for i, c := range s.o.Engine.Selected() {
			s.index[c.ID] = i
			rules = append(rules, sarifRuleOf(c))
		}
	}
	if rules == nil {
		rules = []sarifRule{}
	}
	driver := map[string]any{
		"name":           "lockcheck",
		"version":        s.o.ToolVersion,
		"informationUri": sarifInfoURI,
		"rules":          rules,
	}
	if s.o.ToolVersion == "" {
		driver["version"] = "dev"
	}
	props := map[string]any{"command": s.o.Verb}
	if s.o.Engine != nil {
		props["catalogueVersion"] = s.o.Engine.Version()
		props["catalogueDigest"] = s.o.Engine.Digest()
		props["paramsDigest"] = s.o.Engine.ParamsDigest()
		props["now"] = s.o.Engine.Now().UTC().Format("2006-01-02T15:04:05Z")
	}
	drv, err := marshalJSON(map[string]any{"driver": driver}, "      ", "  ")
	if err != nil {
		s.failed = err
		return
	}
	pr, _ := marshalJSON(props, "      ", "  ")
	w := s.w
	w.WriteString("{\n  \"$schema\": \"" + sarifSchema + "\",\n  \"version\": \"" + sarifVersion + "\",\n  \"runs\": [\n    {\n")
	w.WriteString("      \"tool\": ")
	w.Write(drv)
	w.WriteString(",\n      \"originalUriBaseIds\": {\n        \"" + sarifSrcRoot + "\": {\n          \"description\": {\n            \"text\": \"The directory lockcheck ran in; document paths are relative to it.\"\n          }\n        }\n      },\n")
	w.WriteString("      \"columnKind\": \"utf16CodeUnits\",\n")
	w.WriteString("      \"properties\": ")
	w.Write(pr)
	w.WriteString(",\n      \"results\": [")
}

// artifactURI makes a document's file a URI reference: relative (with
// forward slashes, percent-encoded) to the directory lockcheck ran in, or an
// absolute file URI when it lies outside.
func (s *sarifWriter) artifactURI(file string) (uri, base string) {
	if file == "" || file == "-" {
		return "stdin", sarifSrcRoot
	}
	p := file
	if filepath.IsAbs(p) && s.cwd != "" {
		if rel, err := filepath.Rel(s.cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
	}
	if filepath.IsAbs(p) {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(p)}
		return u.String(), ""
	}
	parts := strings.Split(filepath.ToSlash(filepath.Clean(p)), "/")
	for i, seg := range parts {
		parts[i] = url.PathEscape(seg)
	}
	return strings.Join(parts, "/"), sarifSrcRoot
}

// fingerprint identifies a finding across runs: the control and the
// document's identity, not its file or line.
func fingerprint(f *finding.Finding) string {
	h := sha256.Sum256([]byte(f.ControlID + "\x00" + f.Document.Kind + "\x00" + f.Document.Name))
	return hex.EncodeToString(h[:])
}

// resultText is the finding's message: the rationale, plus what evidence is
// missing.
func resultText(f *finding.Finding) string {
	text := strings.TrimSpace(f.Rationale)
	if f.Status == finding.StatusInsufficientEvidence && len(f.Missing) > 0 {
		if text != "" && !strings.HasSuffix(text, ".") {
			text += "."
		}
		text = strings.TrimSpace(text + " Missing: " + strings.Join(f.Missing, ", ") + ".")
	}
	if text == "" {
		text = f.Title + ": " + string(f.Status) + "."
	}
	return text
}

func (s *sarifWriter) result(f *finding.Finding) sarifResult {
	uri, base := s.artifactURI(f.Document.File)
	line := f.Line
	if line < 1 {
		line = 1
	}
	r := sarifResult{
		RuleID:  f.ControlID,
		Kind:    "fail",
		Level:   sarifLevel(f.Severity),
		Message: sarifMessage{Text: resultText(f)},
		Locations: []sarifLocation{{
			PhysicalLocation: &sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: base},
				Region:           sarifRegion{StartLine: line},
			},
			LogicalLocations: []sarifLogicalLocation{{
				Name:               f.Document.Name,
				FullyQualifiedName: f.Document.Kind + "/" + f.Document.Name,
				Kind:               "resource",
			}},
		}},
		PartialFingerprints: map[string]string{sarifFingerprint: fingerprint(f)},
		Properties: sarifResultProps{
			Status: f.Status, Severity: string(f.Severity), Document: f.Document.Name,
			DocumentKind: f.Document.Kind, Site: f.Document.Site, Missing: f.Missing,
		},
	}
	if f.Document.File == scan.FleetFile {
		// A fleet-level finding is about sites, not a file: logical
		// locations only, one per site it names.
		r.Locations = []sarifLocation{{LogicalLocations: fleetLocations(f)}}
	}
	if i, ok := s.index[f.ControlID]; ok {
		r.RuleIndex = &i
	}
	switch f.Status {
	case finding.StatusPass:
		r.Kind, r.Level = "pass", "none"
	case finding.StatusWaived:
		sup := sarifSuppression{Kind: "external", Status: "accepted"}
		if wv := f.Waiver; wv != nil {
			sup.Justification = wv.Reason
			sup.Properties = &sarifWaiverRef{Waiver: wv.Name, ApprovedBy: wv.ApprovedBy, Ticket: wv.Ticket, Expires: wv.Expires}
		}
		r.Suppressions = []sarifSuppression{sup}
	}
	return r
}

// siteRE finds the sites a fleet-level rationale names ("site X: …").
var siteRE = regexp.MustCompile(`\bsite ([^\s:]+):`)

// fleetLocations are the logical locations of a fleet-level finding: the
// sites its rationale names, or the fleet itself.
func fleetLocations(f *finding.Finding) []sarifLogicalLocation {
	var out []sarifLogicalLocation
	seen := map[string]bool{}
	for _, m := range siteRE.FindAllStringSubmatch(f.Rationale, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, sarifLogicalLocation{Name: m[1], FullyQualifiedName: "site/" + m[1], Kind: "namespace"})
		}
	}
	if len(out) == 0 {
		out = append(out, sarifLogicalLocation{Name: f.Document.Name, FullyQualifiedName: f.Document.Kind + "/" + f.Document.Name, Kind: "namespace"})
	}
	return out
}

// include says whether a finding becomes a SARIF result.
func (s *sarifWriter) include(st finding.Status) bool {
	switch {
	case st.Failing(), st == finding.StatusWaived:
		return true
	case st == finding.StatusPass:
		return s.o.IncludePass
	}
	return false
}

func (s *sarifWriter) Result(r *scan.DocResult) error {
	s.begin()
	if s.failed != nil {
		return s.failed
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if !s.include(f.Status) {
			continue
		}
		b, err := marshalJSON(s.result(f), "        ", "  ")
		if err != nil {
			return err
		}
		if s.n > 0 {
			s.w.WriteByte(',')
		}
		s.n++
		s.w.WriteString("\n        ")
		if _, err := s.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

func (s *sarifWriter) Close(fin *Final) error {
	s.begin()
	if s.failed != nil {
		return s.failed
	}
	w := s.w
	if s.n > 0 {
		w.WriteString("\n      ")
	}
	w.WriteString("],\n")
	// Input errors are tool execution notifications: the documents were not
	// evaluated, so they have no results.
	inv := map[string]any{"executionSuccessful": true}
	var notes []sarifNotification
	if fin != nil && fin.Summary != nil {
		for _, e := range fin.Summary.Errors {
			uri, base := s.artifactURI(e.File)
			line := e.Pos.Line
			if line < 1 {
				line = 1
			}
			notes = append(notes, sarifNotification{Level: "error", Message: sarifMessage{Text: e.Error()},
				Locations: []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{
					ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: base},
					Region:           sarifRegion{StartLine: line}}}}})
		}
		if n := fin.Summary.InputErrors - len(fin.Summary.Errors); n > 0 {
			notes = append(notes, sarifNotification{Level: "error", Message: sarifMessage{Text: fmt.Sprintf("%d more input errors not listed.", n)}})
		}
	}
	if len(notes) > 0 {
		inv["toolExecutionNotifications"] = notes
	}
	b, err := marshalJSON([]any{inv}, "      ", "  ")
	if err != nil {
		return err
	}
	w.WriteString("      \"invocations\": ")
	w.Write(b)
	w.WriteString("\n    }\n  ]\n}\n")
	return w.Flush()
}
