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

// TestCompressedTextRoundTrip writes CSV and JSON with each codec and reads
// the part files back by their suffix.
func TestCompressedTextRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	df := s.CreateDataFrameRows([][]any{{1, "a"}, {2, ""}, {3, nil}}, "id INT, s STRING")
	for _, codec := range []string{"gzip", "zstd", "snappy", "none"} {
		out := filepath.Join(dir, "csv-"+codec)
		if err := df.Write().Option("header", "true").Option("compression", codec).Option("emptyValue", "E").CSV(ctx, out); err != nil {
			t.Fatal(err)
		}
		parts, _ := filepath.Glob(filepath.Join(out, "part-*"))
		if len(parts) == 0 || (codec == "gzip") != strings.HasSuffix(parts[0], ".csv.gz") || (codec == "zstd") != strings.HasSuffix(parts[0], ".csv.zst") ||
			(codec == "snappy") != strings.HasSuffix(parts[0], ".csv.snappy") {
			t.Fatalf("%s: part files %v", codec, parts)
		}
		rows, err := s.Read().Option("header", "true").SchemaDDL("id INT, s STRING").CSV(out).OrderBy(Col("id")).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(rows); got != "[[1 a] [2 E] [3 <nil>]]" {
			t.Errorf("%s: read back %s", codec, got)
		}
		jout := filepath.Join(dir, "json-"+codec)
		if err := df.Write().Option("compression", codec).JSON(ctx, jout); err != nil {
			t.Fatal(err)
		}
		n, err := s.Read().JSON(jout).Count(ctx)
		if err != nil || n != 3 {
			t.Errorf("%s: JSON read back %d rows, %v", codec, n, err)
		}
	}
	if err := df.Write().Option("compression", "lzma").CSV(ctx, filepath.Join(dir, "x")); err == nil || !strings.Contains(err.Error(), "lzma") {
		t.Errorf("unknown codec: %v", err)
	}
	if _, err := s.Read().Option("int96RebaseMode", "LEGACY").Parquet(dir).Collect(ctx); err == nil || !strings.Contains(err.Error(), "int96rebasemode") {
		t.Errorf("parquet option: %v", err)
	}
}
