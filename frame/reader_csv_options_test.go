package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCSVOptionNames: an option gspark does not know is an error (with the
// nearest name), not silently ignored, in Go and in SQL OPTIONS.
func TestCSVOptionNames(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	p := writeFile(t, dir, "a.csv", "a,b\n1,2\n")
	for _, tc := range []struct{ key, want string }{
		{"heder", `unknown CSV option "heder"; did you mean "header"?`},
		{"inferSchma", `unknown CSV option "inferschma"; did you mean "inferschema"?`},
		{"maxColumns", `CSV option "maxcolumns" is not supported`},
	} {
		_, err := s.Read().Option(tc.key, "true").CSV(p).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("option %s: got %v, want %s", tc.key, err, tc.want)
		}
	}
	_, err := s.SQL(`CREATE TEMP VIEW v USING csv OPTIONS (path '` + p + `', hedaer 'true')`).Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), `did you mean "header"?`) {
		t.Errorf("SQL OPTIONS: got %v", err)
	}
	if err := s.Read().Option("header", "true").CSV(p).Write().Option("sepp", ";").CSV(ctx, filepath.Join(dir, "out")); err == nil || !strings.Contains(err.Error(), `did you mean "sep"?`) {
		t.Errorf("writer option: got %v", err)
	}
}

// TestCSVModesEndToEnd reads a file with bad rows through SQL in each mode.
func TestCSVModesEndToEnd(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	p := writeFile(t, dir, "people.csv", "name,age\nal,30\nbob,abc\ncy\n")
	schema := "name STRING, age INT, _corrupt_record STRING"
	got := func(mode string) (string, error) {
		rows, err := s.Read().Option("header", "true").Option("mode", mode).
			Option("columnNameOfCorruptRecord", "_corrupt_record").SchemaDDL(schema).CSV(p).Collect(ctx)
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(fmt.Sprint([]any(r)) + ";")
		}
		return b.String(), err
	}
	if out, err := got("PERMISSIVE"); err != nil || out != "[al 30 <nil>];[bob <nil> bob,abc];[cy <nil> cy];" {
		t.Errorf("PERMISSIVE: %q, %v", out, err)
	}
	if out, err := got("DROPMALFORMED"); err != nil || out != "[al 30 <nil>];" {
		t.Errorf("DROPMALFORMED: %q, %v", out, err)
	}
	if _, err := got("FAILFAST"); err == nil || !strings.Contains(err.Error(), `people.csv:3:5: cannot parse "abc" as int in column age`) {
		t.Errorf("FAILFAST: %v", err)
	}
}
