package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("oscal", func(w io.Writer, o Options) Writer { return &oscalWriter{w: bufio.NewWriter(w), o: o} })
}

// OSCAL assessment-results (model v1.0.6): one result for the run, an
// observation per finding (what was looked at), an OSCAL finding per control
// and document (satisfied or not).
const (
	oscalVersion = "1.0.6"
	// oscalNS qualifies lockcheck's own props.
	oscalNS = "https://lockcheck.dev/ns/oscal"
)

// oscalNamespace is the fixed UUID namespace of lockcheck's v5 UUIDs.
var oscalNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/lockcheck/lockcheck/oscal"))

// stableUUID is a v5 UUID of the parts: the same inputs always give the same
// UUID, so a document's observations keep their identity from run to run.
func stableUUID(parts ...string) string {
	return uuid.NewSHA1(oscalNamespace, []byte(strings.Join(parts, "\x00"))).String()
}

type oscalProp struct {
	Name    string `json:"name"`
	NS      string `json:"ns,omitempty"`
	Value   string `json:"value"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalSubject struct {
	SubjectUUID string      `json:"subject-uuid"`
	Type        string      `json:"type"`
	Title       string      `json:"title,omitempty"`
	Props       []oscalProp `json:"props,omitempty"`
}

type oscalEvidence struct {
	Description string `json:"description"`
}

type oscalObservation struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	Props            []oscalProp     `json:"props,omitempty"`
	Methods          []string        `json:"methods"`
	Types            []string        `json:"types,omitempty"`
	Subjects         []oscalSubject  `json:"subjects"`
	RelevantEvidence []oscalEvidence `json:"relevant-evidence,omitempty"`
	Collected        string          `json:"collected"`
	Remarks          string          `json:"remarks,omitempty"`
}

type oscalTargetStatus struct {
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

type oscalTarget struct {
	Type     string            `json:"type"`
	TargetID string            `json:"target-id"`
	Title    string            `json:"title,omitempty"`
	Status   oscalTargetStatus `json:"status"`
}

type oscalRelated struct {
	ObservationUUID string `json:"observation-uuid"`
}

type oscalFinding struct {
	UUID               string         `json:"uuid"`
	Title              string         `json:"title"`
	Description        string         `json:"description"`
	Props              []oscalProp    `json:"props"`
	Target             oscalTarget    `json:"target"`
	RelatedObservation []oscalRelated `json:"related-observations"`
	Remarks            string         `json:"remarks,omitempty"`
}

// oscalWriter streams the document in one pass with flat memory: the head
// (metadata, reviewed controls, known before any result) is written first,
// each observation is written to the output as its finding arrives, and the
// OSCAL findings, which come after the observations array, go to a spool
// (memory up to a few MB, then a temporary file) that Close copies out.
type oscalWriter struct {
	w        *bufio.Writer
	o        Options
	now      string
	begun    bool
	nObs     int
	nFind    int
	findings spool
	failed   error
}

func (x *oscalWriter) begin() {
	if x.begun {
		return
	}
	x.begun = true
	x.now = "1970-01-01T00:00:00Z"
	version, title := "unknown", "lockcheck assessment results"
	var controls []map[string]string
	if e := x.o.Engine; e != nil {
		x.now = e.Now().UTC().Format("2006-01-02T15:04:05Z")
		version = e.Version()
		for _, c := range e.Selected() {
			controls = append(controls, map[string]string{"control-id": strings.ToLower(c.ID)})
		}
	}
	if x.o.Verb != "" {
		title = "lockcheck " + x.o.Verb + " assessment results"
	}
	meta := map[string]any{
		"title":         title,
		"last-modified": x.now,
		"version":       version,
		"oscal-version": oscalVersion,
		"props": []oscalProp{
			{Name: "tool", NS: oscalNS, Value: "lockcheck"},
			{Name: "tool-version", NS: oscalNS, Value: nonEmpty(x.o.ToolVersion, "dev")},
		},
	}
	sel := map[string]any{}
	if len(controls) > 0 {
		sel["include-controls"] = controls
	} else {
		sel["include-all"] = map[string]any{}
	}
	result := map[string]any{
		"uuid":  stableUUID("result", x.now, version),
		"title": "lockcheck run at " + x.now,
		"description": "Automated evaluation of lock snapshots, installation plans and product specifications against the " +
			"lockcheck control catalogue " + version + ". Each observation records one control's evaluation of one document; " +
			"each finding states whether the control's objective is satisfied for that document.",
		"start":             x.now,
		"end":               x.now,
		"reviewed-controls": map[string]any{"control-selections": []any{sel}},
	}
	if e := x.o.Engine; e != nil {
		result["props"] = []oscalProp{
			{Name: "catalogue-version", NS: oscalNS, Value: e.Version()},
			{Name: "catalogue-digest", NS: oscalNS, Value: e.Digest()},
			{Name: "params-digest", NS: oscalNS, Value: e.ParamsDigest()},
		}
	}
	mb, err := marshalJSON(meta, "    ", "  ")
	if err != nil {
		x.failed = err
		return
	}
	rb, err := marshalJSON(result, "      ", "  ")
	if err != nil {
		x.failed = err
		return
	}
	w := x.w
	w.WriteString("{\n  \"assessment-results\": {\n")
	fmt.Fprintf(w, "    \"uuid\": %q,\n", stableUUID("assessment-results", x.now, version))
	w.WriteString("    \"metadata\": ")
	w.Write(mb)
	w.WriteString(",\n    \"import-ap\": {\n      \"href\": \"#\",\n      \"remarks\": \"lockcheck evaluates the embedded control catalogue; there is no separate assessment plan.\"\n    },\n")
	w.WriteString("    \"results\": [\n      ")
	// Reopen the result object to append the streamed arrays.
	rb = bytes.TrimRight(rb[:len(rb)-1], " \n") // drop the closing brace
	w.Write(rb)
	w.WriteString(",\n        \"observations\": [")
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// subjectType is the OSCAL subject type of a document: a deployed lock is an
// inventory item, a plan or product a component.
func subjectType(kind string) string {
	if kind == document.KindLockSnapshot {
		return "inventory-item"
	}
	return "component"
}

func oscalState(s finding.Status) (state, reason string) {
	switch s {
	case finding.StatusPass:
		return "satisfied", "pass"
	case finding.StatusFail:
		return "not-satisfied", "fail"
	case finding.StatusWaived:
		return "not-satisfied", "other"
	}
	return "not-satisfied", "other"
}

func (x *oscalWriter) Result(r *scan.DocResult) error {
	x.begin()
	if x.failed != nil {
		return x.failed
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		// A control that does not apply to the document has no objective
		// to judge there.
		if f.Status == finding.StatusNotApplicable {
			continue
		}
		if err := x.finding(f); err != nil {
			return err
		}
	}
	return nil
}

func (x *oscalWriter) finding(f *finding.Finding) error {
	d := f.Document
	obsUUID := stableUUID("observation", f.ControlID, d.Kind, d.Name)
	subj := oscalSubject{SubjectUUID: stableUUID("document", d.Kind, d.Name), Type: subjectType(d.Kind), Title: d.Kind + " " + d.Name,
		Props: []oscalProp{{Name: "document-kind", NS: oscalNS, Value: d.Kind}, {Name: "file", NS: oscalNS, Value: d.File}}}
	if d.Site != "" {
		subj.Props = append(subj.Props, oscalProp{Name: "site", NS: oscalNS, Value: d.Site})
	}
	obs := oscalObservation{
		UUID:        obsUUID,
		Title:       f.ControlID + " on " + d.Kind + " " + d.Name,
		Description: resultText(f),
		Props:       []oscalProp{{Name: "status", NS: oscalNS, Value: string(f.Status)}},
		Methods:     []string{"TEST"},
		Subjects:    []oscalSubject{subj},
		Collected:   x.now,
	}
	if f.Status.Failing() || f.Status == finding.StatusWaived {
		obs.Types = []string{"finding"}
	}
	for _, e := range f.Evidence {
		desc := fmt.Sprintf("%s: observed %s, expected %s", e.Path, compactJSON(e.Observed), compactJSON(e.Expected))
		if e.Line > 0 {
			desc += fmt.Sprintf(" (%s line %d)", d.File, e.Line)
		}
		obs.RelevantEvidence = append(obs.RelevantEvidence, oscalEvidence{Description: desc})
	}
	for _, m := range f.Missing {
		obs.RelevantEvidence = append(obs.RelevantEvidence, oscalEvidence{Description: m + ": missing"})
	}
	state, reason := oscalState(f.Status)
	fi := oscalFinding{
		UUID:        stableUUID("finding", f.ControlID, d.Kind, d.Name),
		Title:       f.ControlID + " " + f.Title + ": " + d.Kind + " " + d.Name,
		Description: resultText(f),
		Props: []oscalProp{
			{Name: "severity", NS: oscalNS, Value: string(f.Severity)},
			{Name: "area", NS: oscalNS, Value: f.Area},
			{Name: "status", NS: oscalNS, Value: string(f.Status)},
		},
		Target: oscalTarget{Type: "objective-id", TargetID: strings.ToLower(f.ControlID) + "_obj", Title: f.Title,
			Status: oscalTargetStatus{State: state, Reason: reason}},
		RelatedObservation: []oscalRelated{{ObservationUUID: obsUUID}},
	}
	if f.Status.Failing() && f.Remediation != "" {
		fi.Remarks = "Remediation: " + oneParagraph(f.Remediation)
	}
	if f.Status == finding.StatusWaived {
		fi.Props = append(fi.Props, oscalProp{Name: "waived", NS: oscalNS, Value: "true", Remarks: waiverText(f.Waiver)})
		if f.Waiver != nil {
			fi.Props = append(fi.Props, oscalProp{Name: "waiver", NS: oscalNS, Value: f.Waiver.Name})
		}
		fi.Remarks = strings.TrimSpace("Risk accepted: " + waiverText(f.Waiver) + ". " + fi.Remarks)
	}
	ob, err := marshalJSON(obs, "          ", "  ")
	if err != nil {
		return err
	}
	fb, err := marshalJSON(fi, "          ", "  ")
	if err != nil {
		return err
	}
	if err := writeElement(x.w, &x.nObs, "\n          ", ob); err != nil {
		return err
	}
	return writeElement(&x.findings, &x.nFind, "\n          ", fb)
}

func (x *oscalWriter) Close(fin *Final) error {
	x.begin()
	if x.failed != nil {
		x.findings.release()
		return x.failed
	}
	w := x.w
	closeArray := func(n int) {
		if n > 0 {
			w.WriteString("\n        ")
		}
		w.WriteString("]")
	}
	closeArray(x.nObs)
	w.WriteString(",\n        \"findings\": [")
	if err := x.findings.copyTo(w); err != nil {
		return fmt.Errorf("oscal: %w", err)
	}
	closeArray(x.nFind)
	if fin != nil && fin.Summary != nil {
		s := fin.Summary
		rem := fmt.Sprintf("%d documents: %d evaluated (%d compliant, %d failing), %d invalid and not evaluated.", s.Documents, s.Evaluated, s.Compliant, s.Failing, s.Invalid)
		if s.Incomplete {
			rem += " The run was interrupted: these results are incomplete."
		}
		b, _ := marshalJSON(rem, "", "")
		w.WriteString(",\n        \"remarks\": ")
		w.Write(b)
	}
	w.WriteString("\n      }\n    ]\n  }\n}\n")
	return w.Flush()
}
