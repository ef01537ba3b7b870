package deploytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const dir = "../../../docs/deploy"

// object is one decoded manifest.
type object struct {
	file string
	kind string
	name string
	v    any
}

// decodeStrict converts YAML to JSON and decodes it into out, refusing
// unknown fields at any depth.
func decodeStrict(doc []byte, out any) error {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	return dec.Decode(out)
}

func loadManifests(t *testing.T) []object {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "kubernetes", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests under %s/kubernetes (%v)", dir, err)
	}
	var out []object
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitYAML(b) {
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Metadata   struct {
					Name string `json:"name"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				t.Fatalf("%s (doc %d): %v", f, i+1, err)
			}
			var v any
			switch meta.APIVersion + " " + meta.Kind {
			case "batch/v1 CronJob":
				v = &batchv1.CronJob{}
			case "batch/v1 Job":
				v = &batchv1.Job{}
			case "v1 PersistentVolumeClaim":
				v = &corev1.PersistentVolumeClaim{}
			default:
				t.Fatalf("%s (doc %d): unexpected %s %s; add its type to this test", f, i+1, meta.APIVersion, meta.Kind)
			}
			if err := decodeStrict(doc, v); err != nil {
				t.Errorf("%s (doc %d, %s %s): %v", filepath.Base(f), i+1, meta.Kind, meta.Metadata.Name, err)
				continue
			}
			out = append(out, object{filepath.Base(f), meta.Kind, meta.Metadata.Name, v})
		}
	}
	return out
}

// splitYAML splits a multi-document YAML file on "---" lines, dropping
// documents that hold only comments.
func splitYAML(b []byte) [][]byte {
	var docs [][]byte
	for _, part := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
		keep := false
		for _, line := range strings.Split(part, "\n") {
			if s := strings.TrimSpace(line); s != "" && !strings.HasPrefix(s, "#") {
				keep = true
			}
		}
		if keep {
			docs = append(docs, []byte(part))
		}
	}
	return docs
}

func cronJob(t *testing.T, objs []object, name string) *batchv1.CronJob {
	t.Helper()
	for _, o := range objs {
		if cj, ok := o.v.(*batchv1.CronJob); ok && o.name == name {
			return cj
		}
	}
	t.Fatalf("no CronJob %q among the manifests", name)
	return nil
}

// TestStrictDecoding fails on any field the Kubernetes types do not know,
// at any depth: a typo cannot ship.
func TestStrictDecoding(t *testing.T) {
	objs := loadManifests(t)
	if len(objs) == 0 {
		t.Fatal("no manifests decoded")
	}
	t.Run("typo is caught", func(t *testing.T) {
		bad := []byte("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  schedule: '0 1 * * *'\n  jobTemplate:\n    spec:\n      completionMod: Indexed\n")
		if err := decodeStrict(bad, &batchv1.CronJob{}); err == nil {
			t.Error("a misspelt field (completionMod) decoded without error")
		}
	})
}

// TestShardedScan checks that the scan is an Indexed Job whose pods take
// their shard from JOB_COMPLETION_INDEX, that N agrees everywhere, and that
// the merge step reads exactly the files the shards write.
func TestShardedScan(t *testing.T) {
	objs := loadManifests(t)
	scanJob := cronJob(t, objs, "lockcheck-scan")
	merge := cronJob(t, objs, "lockcheck-merge")

	js := scanJob.Spec.JobTemplate.Spec
	if js.CompletionMode == nil || *js.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("scan job completionMode = %v, want Indexed", js.CompletionMode)
	}
	if js.Completions == nil || js.Parallelism == nil {
		t.Fatal("scan job must set completions and parallelism")
	}
	n := int(*js.Completions)
	if int(*js.Parallelism) != n {
		t.Errorf("parallelism %d != completions %d: the shards would not run at once", *js.Parallelism, n)
	}
	if js.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy %q, want Never (required by podFailurePolicy)", js.Template.Spec.RestartPolicy)
	}
	c := only(t, js.Template.Spec.Containers)
	args := c.Args
	if len(args) == 0 || args[0] != "scan" {
		t.Fatalf("scan container args %q: want the scan command", args)
	}
	if got, want := flagValue(args, "--shard"), fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", n); got != want {
		t.Errorf("--shard %q, want %q", got, want)
	}
	report := flagValue(args, "--report")
	format, out, _ := strings.Cut(report, "=")
	if format != "ndjson" || !strings.Contains(out, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("--report %q: want ndjson=<file named by the index>", report)
	}
	var shardFiles []string
	for k := 0; k < n; k++ {
		shardFiles = append(shardFiles, strings.ReplaceAll(out, "$(JOB_COMPLETION_INDEX)", fmt.Sprint(k)))
	}

	mc := only(t, merge.Spec.JobTemplate.Spec.Template.Spec.Containers)
	if len(mc.Args) == 0 || mc.Args[0] != "merge" {
		t.Fatalf("merge container args %q: want the merge command", mc.Args)
	}
	var inputs []string
	for i := 1; i < len(mc.Args) && !strings.HasPrefix(mc.Args[i], "-"); i++ {
		inputs = append(inputs, mc.Args[i])
	}
	if !slices.Equal(inputs, shardFiles) {
		t.Errorf("merge reads %q, the %d shards write %q", inputs, n, shardFiles)
	}
	if c.Image != mc.Image {
		t.Errorf("scan image %q and merge image %q differ: merge refuses results of another catalogue", c.Image, mc.Image)
	}

	// The results volume is the same claim in both, mounted where the
	// paths point.
	for _, cj := range []*batchv1.CronJob{scanJob, merge} {
		ps := cj.Spec.JobTemplate.Spec.Template.Spec
		sc := ps.SecurityContext
		if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
			t.Errorf("%s: pod must set runAsNonRoot", cj.Name)
		}
		claims := map[string]string{}
		for _, v := range ps.Volumes {
			if v.PersistentVolumeClaim != nil {
				claims[v.Name] = v.PersistentVolumeClaim.ClaimName
			}
		}
		for _, m := range only(t, ps.Containers).VolumeMounts {
			if claims[m.Name] == "" {
				t.Errorf("%s: volume mount %q has no PersistentVolumeClaim volume", cj.Name, m.Name)
			}
			if m.MountPath == "/results" && claims[m.Name] != "lockcheck-results" {
				t.Errorf("%s: /results is claim %q, want lockcheck-results", cj.Name, claims[m.Name])
			}
		}
		for _, claim := range claims {
			if !hasPVC(objs, claim) {
				t.Errorf("%s: claim %q is not defined in the manifests", cj.Name, claim)
			}
		}
	}
}

func hasPVC(objs []object, name string) bool {
	for _, o := range objs {
		if _, ok := o.v.(*corev1.PersistentVolumeClaim); ok && o.name == name {
			return true
		}
	}
	return false
}

func only(t *testing.T, cs []corev1.Container) corev1.Container {
	t.Helper()
	if len(cs) != 1 {
		t.Fatalf("want one container, got %d", len(cs))
	}
	return cs[0]
}

// flagValue returns the value after the last occurrence of name in args.
func flagValue(args []string, name string) string {
	v := ""
	for i := 0; i+1 < len(args); i++ {
		if args[i] == name {
			v = args[i+1]
		}
	}
	return v
}

// TestDockerfile checks the image recipe: a Go builder stage, a static
// binary (CGO off), a distroless base and a non-root user.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var froms []string
	user := ""
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.EqualFold(f[0], "FROM") {
			froms = append(froms, f[1])
		}
		if len(f) >= 2 && strings.EqualFold(f[0], "USER") {
			user = f[1]
		}
	}
	if len(froms) != 2 || !strings.HasPrefix(froms[0], "golang:") || !strings.HasPrefix(froms[1], "gcr.io/distroless/static") {
		t.Errorf("stages %q: want golang builder then gcr.io/distroless/static", froms)
	}
	if !strings.Contains(string(b), "CGO_ENABLED=0") {
		t.Error("the binary must be static: CGO_ENABLED=0")
	}
	if user == "" || strings.HasPrefix(user, "root") || strings.HasPrefix(user, "0") {
		t.Errorf("USER %q: want a non-root user", user)
	}
}
