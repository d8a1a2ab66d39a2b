package coding

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCodebookExportRoundTrip(t *testing.T) {
	cb := sampleBook()
	for _, format := range []string{"json", "yaml"} {
		data, err := ExportCodebook(cb).Marshal(format)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "codebook."+format)
		if os.Getenv("TACIT_UPDATE_GOLDEN") != "" {
			os.WriteFile(golden, data, 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != string(want) {
			t.Errorf("%s export differs from %s:\n%s", format, golden, data)
		}
		flat, err := ParseCodebook(data, "")
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(flat) != cb.Len() {
			t.Fatalf("%s: %d codes back, want %d", format, len(flat), cb.Len())
		}
		for _, f := range flat {
			c := cb.ByPath(f.Path)
			if c == nil || c.GUID != f.GUID {
				t.Errorf("%s: %q came back as %+v", format, f.Path, f)
			}
		}
	}
}

func TestParseCodebookShapes(t *testing.T) {
	yamlList := "- name: Principles\n  children:\n    - name: Respect\n      color: '#ABC'\n      description: |\n        Client treated as an adult.\n"
	flat, err := ParseCodebook([]byte(yamlList), "")
	if err != nil || len(flat) != 2 || flat[1].Path != "Principles/Respect" || flat[1].Color != "#aabbcc" || flat[1].Description != "Client treated as an adult." {
		t.Errorf("YAML list: %+v %v", flat, err)
	}
	jsonList := `[{"name":"A","children":[{"name":"B"}]}]`
	if flat, err := ParseCodebook([]byte(jsonList), ""); err != nil || len(flat) != 2 {
		t.Errorf("JSON list: %+v %v", flat, err)
	}
	bad := map[string]string{
		`{"codes":[{"name":""}]}`:                    "cannot be empty",
		`{"codes":[{"name":"a/b"}]}`:                 `holds a "/"`,
		`{"codes":[{"name":"A"},{"name":"a"}]}`:      "appears twice",
		`{"codes":[{"name":"A","color":"blurple"}]}`: "not a colour",
		`{"codes":[]}`:                               "no codes",
		`{"codes": [`:                                "not valid JSON",
		"codes:\n  - name: [unclosed":                "not valid YAML",
		"codes: 5\n":                                 "expected shape",
		`{"codes":[{"name":"A","guid":"x"},{"name":"B","guid":"X"}]}`: "GUID X appears twice",
	}
	for in, want := range bad {
		_, err := ParseCodebook([]byte(in), "")
		if err == nil || !strings.Contains(err.Error(), want) || ErrorKind(err) != EInvalid {
			t.Errorf("ParseCodebook(%q) = %v, want %q", in, err, want)
		}
	}
}

func FuzzParseCodebook(f *testing.F) {
	f.Add([]byte(`{"codes":[{"name":"A","children":[{"name":"B","color":"#fff"}]}]}`))
	f.Add([]byte("codes:\n  - name: משבר\n    children:\n      - name: x\n"))
	f.Add([]byte("- name: a\n- name: b\n"))
	f.Add([]byte("\xef\xbb\xbf[]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		flat, err := ParseCodebook(data, "")
		if err != nil {
			if ErrorKind(err) != EInvalid {
				t.Fatalf("error of kind %s: %v", ErrorKind(err), err)
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range flat {
			if _, err := SplitPath(c.Path); err != nil {
				t.Fatalf("bad path %q: %v", c.Path, err)
			}
			k := strings.ToLower(c.Path)
			if seen[k] {
				t.Fatalf("duplicate %q", c.Path)
			}
			seen[k] = true
		}
	})
}

// The sample study's codebook is a flat list of paths.
func TestParseSampleCodebook(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "samples", "study", "codebook.json"))
	if err != nil {
		t.Skip("samples/study/codebook.json not present")
	}
	flat, err := ParseCodebook(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(flat) < 10 || flat[1].Path != "Principles/Respectful attitude" || flat[1].Color != "#2a9d8f" || flat[1].Description == "" {
		t.Errorf("parsed %d codes, second %+v", len(flat), flat[1])
	}
}
