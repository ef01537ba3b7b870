package evidencepath

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

type table struct {
	Doc   map[string]any `json:"doc"`
	Cases []struct {
		Path    string   `json:"path"`
		Missing []string `json:"missing"`
		Deleted bool     `json:"deleted"`
	} `json:"cases"`
	Splits []struct {
		Path, Root, Rel string
		OK              bool `json:"ok"`
	} `json:"splits"`
	Steps []struct {
		Path  string   `json:"path"`
		Steps []string `json:"steps"`
	} `json:"steps"`
	Parents []struct {
		Path, Parent string
	} `json:"parents"`
}

func readTable(t *testing.T) table {
	t.Helper()
	b, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var tb table
	if err := json.Unmarshal(b, &tb); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	return tb
}

func TestMissingAndDelete(t *testing.T) {
	tb := readTable(t)
	for _, c := range tb.Cases {
		t.Run(c.Path, func(t *testing.T) {
			got := Missing(tb.Doc, c.Path)
			if len(got) == 0 {
				got = []string{}
			}
			if !reflect.DeepEqual(got, c.Missing) {
				t.Errorf("Missing(%q) = %q, want %q", c.Path, got, c.Missing)
			}
			doc := readTable(t).Doc // a fresh copy to delete from
			if del := Delete(doc, c.Path); del != c.Deleted {
				t.Errorf("Delete(%q) = %v, want %v", c.Path, del, c.Deleted)
			}
			if c.Deleted && strings.Count(c.Path, "[]") <= 1 && len(Missing(doc, c.Path)) == 0 {
				t.Errorf("after Delete(%q), Missing reports nothing: the field is still there", c.Path)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	for _, c := range readTable(t).Splits {
		root, rel, ok := Split(c.Path)
		if root != c.Root || rel != c.Rel || ok != c.OK {
			t.Errorf("Split(%q) = %q, %q, %v; want %q, %q, %v", c.Path, root, rel, ok, c.Root, c.Rel, c.OK)
		}
	}
}

func TestParent(t *testing.T) {
	for _, c := range readTable(t).Parents {
		if got := Parent(c.Path); got != c.Parent {
			t.Errorf("Parent(%q) = %q, want %q", c.Path, got, c.Parent)
		}
	}
}

func TestSteps(t *testing.T) {
	for _, c := range readTable(t).Steps {
		if got := Steps(c.Path); !reflect.DeepEqual(got, c.Steps) {
			t.Errorf("Steps(%q) = %q, want %q", c.Path, got, c.Steps)
		}
	}
}
