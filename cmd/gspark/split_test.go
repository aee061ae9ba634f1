package main

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	cases := []struct {
		in    string
		stmts []string
		rest  string
	}{
		{"", nil, ""},
		{"select 1", nil, "select 1"},
		{"select 1;", []string{"select 1"}, ""},
		{"select 1; select 2;\n", []string{"select 1", "select 2"}, "\n"},
		{"select 1;;  ; select\n 2", []string{"select 1"}, " select\n 2"},
		{"select ';' as s;", []string{"select ';' as s"}, ""},
		{"select 'it''s;' ;x", []string{"select 'it''s;'"}, "x"},
		{`select 'a\';' ;`, []string{`select 'a\';'`}, ""},
		{`select "a;b", "\"" ;`, []string{`select "a;b", "\""`}, ""},
		{"select `a;b` from t;", []string{"select `a;b` from t"}, ""},
		{"select `a\\`;", []string{"select `a\\`"}, ""}, // no backslash escape in backticks
		{"select 1 -- no; end\n;", []string{"select 1 -- no; end"}, ""},
		{"select /* ; */ 1;", []string{"select /* ; */ 1"}, ""},
		{"select /* open ; ", nil, "select /* open ; "},
		{"select 'open ; ", nil, "select 'open ; "},
		{"-- only a comment;\n; /* and; this */;", nil, ""},
		{"select 1 - -1;", []string{"select 1 - -1"}, ""},
		{"select 4/2;", []string{"select 4/2"}, ""},
	}
	for _, c := range cases {
		stmts, rest := splitStatements(c.in)
		if !reflect.DeepEqual(stmts, c.stmts) || rest != c.rest {
			t.Errorf("splitStatements(%q) = %q, %q; want %q, %q", c.in, stmts, rest, c.stmts, c.rest)
		}
	}
}

func TestIsBlankSQL(t *testing.T) {
	for in, want := range map[string]bool{
		"": true, " \n\t": true, "-- x; y": true, "/* a */ -- b\n": true,
		"/* open": false, "x": false, "-- c\nselect": false, "- 1": false,
	} {
		if got := isBlankSQL(in); got != want {
			t.Errorf("isBlankSQL(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestSplitStatementsRandom joins random statements built from pieces that
// hide ';' (strings, quoted identifiers, comments), with random white space
// and empty statements between them, and checks that splitting gives them
// back — also when the text arrives in random chunks, as lines do.
func TestSplitStatementsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{
		"select", "x", "1", ",", "+", "-", "/", "*", "'a;b'", "'it''s'", `'\';'`, `"q;"`, `"\""`,
		"`c;d`", "`e``f`", "/* ; */", "/**/", "--;\n", "-- x\n", "(", ")", "a.b", "'--'", "'/*'",
	}
	for iter := 0; iter < 2000; iter++ {
		var want []string
		var b strings.Builder
		for n := rng.IntN(5); n > 0; n-- {
			var st strings.Builder
			st.WriteString("select")
			for k := rng.IntN(8); k > 0; k-- {
				st.WriteString(" ")
				st.WriteString(pieces[rng.IntN(len(pieces))])
			}
			st.WriteString(" z")
			want = append(want, st.String())
			b.WriteString(strings.Repeat(" \n", rng.IntN(2)))
			b.WriteString(st.String())
			b.WriteString(strings.Repeat(" ", rng.IntN(2)))
			b.WriteString(strings.Repeat(";", 1+rng.IntN(2)))
		}
		tail := ""
		if rng.IntN(2) == 0 {
			tail = " select 'unfinished;"
		}
		text := b.String() + tail
		got, rest := splitStatements(text)
		if !reflect.DeepEqual(got, want) || rest != tail {
			t.Fatalf("splitStatements(%q)\n got %q rest %q\nwant %q rest %q", text, got, rest, want, tail)
		}
		// Fed in chunks, keeping the rest as the shell does.
		var chunked []string
		pending := ""
		for i := 0; i < len(text); {
			j := min(len(text), i+1+rng.IntN(12))
			var stmts []string
			stmts, pending = splitStatements(pending + text[i:j])
			chunked = append(chunked, stmts...)
			i = j
		}
		if !reflect.DeepEqual(chunked, want) || pending != tail {
			t.Fatalf("chunked %q\n got %q rest %q\nwant %q", text, chunked, pending, want)
		}
	}
}

func TestHistoryEntry(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"select 1;"}, "select 1;"},
		{[]string{"select a,  -- the key", "", "  b from t -- done", ";"}, "select a, b from t ;"},
		{[]string{"select '--not', \"--\", `--`", "/* -- kept */ from t;"}, "select '--not', \"--\", `--` /* -- kept */ from t;"},
		{[]string{"select 'a", "b' as s;"}, "select 'a b' as s;"},
		{[]string{"-- only", "select 2;"}, "select 2;"},
	} {
		if got := historyEntry(c.lines); got != c.want {
			t.Errorf("historyEntry(%q) = %q, want %q", c.lines, got, c.want)
		}
	}
}
