package coding

import (
	"testing"
)

func TestReadCodingsCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rows     int
		err      bool
	}{
		{"taguette", "id,document,tag,content\n1,P2.odt,Home,\"Okay, I read this.\"\n", 1, false},
		{"semicolon", "\ufeffDocument;Code;Start;End\nA;X;1;4\nB;Y;2;5\n", 2, false},
		{"tabs-tags", "doc\ttags\ttext\na\tx;y\thello\n", 1, false},
		{"no code", "document,text\na,b\n", 0, true},
		{"no place", "document,code\na,b\n", 0, true},
		{"empty", "", 0, true},
		{"bad offsets", "document,code,start,end\na,b,x,2\n", 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ReadCodingsCSV([]byte(tc.in))
			if (err != nil) != tc.err {
				t.Fatalf("error %v", err)
			}
			if err == nil && len(tab.Rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(tab.Rows), tc.rows)
			}
			if tc.name == "tabs-tags" && len(tab.Rows[0].Codes) != 2 {
				t.Errorf("codes %q", tab.Rows[0].Codes)
			}
			if tc.name == "bad offsets" && tab.Rows[0].Err == "" {
				t.Error("no error for bad offsets")
			}
			if tc.name == "taguette" && (tab.Rows[0].ID != "1" || tab.Rows[0].Line != 2) {
				t.Errorf("row %+v", tab.Rows[0])
			}
		})
	}
}

// FuzzReadCodingsCSV: any bytes give a table or an error, never a panic;
// a row's line is after the header.
func FuzzReadCodingsCSV(f *testing.F) {
	f.Add([]byte("id,document,tag,content\n1,P2.odt,Home,\"Okay, I read this.\"\n"))
	f.Add([]byte("Document;Code;Start;End;Memo;Coder\nA;X;1;4;m;c\n"))
	f.Add([]byte("doc\ttags\ttext\na\tx;y\t\"hel\"\"lo\"\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadCodingsCSV(data)
		if err != nil {
			return
		}
		for _, r := range tab.Rows {
			if r.Line < 2 {
				t.Fatalf("row on line %d", r.Line)
			}
		}
	})
}

// TestReadCodingsCSVUnguards: the formula guard of 'tacit codings --csv'
// ('=..., '-...) is undone on import; other apostrophes stay.
func TestReadCodingsCSVUnguards(t *testing.T) {
	tab, err := ReadCodingsCSV([]byte("document,code,text,memo\nd,'=SUM(1+2),'- so I said,'it's\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := tab.Rows[0]
	if len(r.Codes) != 1 || r.Codes[0] != "=SUM(1+2)" || r.Text != "- so I said" || r.Memo != "'it's" {
		t.Errorf("row %+v", r)
	}
}
