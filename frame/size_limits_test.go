package frame

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/io/json"
)

// TestCSVRecordBoundSQL: a file with a record past maxRecordBytes (or a field
// past maxCharsPerColumn) fails the query with an error naming the file,
// the line and the option, in SQL OPTIONS and in the Go reader.
func TestCSVRecordBoundSQL(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	// Line 2 starts at byte 4 and is 300,002 bytes long.
	p := writeFile(t, dir, "big.csv", "a,b\n"+strings.Repeat("x", 300000)+",y\n1,2\n")
	if _, err := s.SQL(`CREATE TEMP VIEW v USING csv OPTIONS (path '` + p + `', maxRecordBytes '65536')`).Collect(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := s.SQL("SELECT count(*) FROM v").Collect(ctx)
	var le *csv.LimitError
	if !errors.As(err, &le) || le.Line != 2 || le.Offset != 4 || le.Option != "maxRecordBytes" {
		t.Fatalf("maxRecordBytes 65536: err = %v", err)
	}
	for _, w := range []string{"big.csv:2", "byte offset 4", "maxRecordBytes"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	_, err = s.Read().Option("maxCharsPerColumn", "299999").CSV(p).Collect(ctx)
	if !errors.As(err, &le) || le.Option != "maxCharsPerColumn" || !strings.Contains(err.Error(), "big.csv:2:1") {
		t.Fatalf("maxCharsPerColumn 299999: err = %v", err)
	}
	rows, err := s.Read().Option("maxCharsPerColumn", "300000").CSV(p).Collect(ctx)
	if err != nil || len(rows) != 3 {
		t.Fatalf("maxCharsPerColumn 300000: %d rows, err %v", len(rows), err)
	}
	for _, v := range []string{"0", "-2", "x"} {
		if _, err := s.Read().Option("maxCharsPerColumn", v).CSV(p).Collect(ctx); err == nil || !strings.Contains(err.Error(), "maxCharsPerColumn") {
			t.Errorf("maxCharsPerColumn %q: got %v", v, err)
		}
	}
	if _, err := s.Read().Option("maxRecordBytes", "-1").CSV(p).Collect(ctx); err == nil {
		t.Error("maxRecordBytes -1 accepted")
	}
}

// TestDevZeroFailsFast: csv.`/dev/zero` is one endless record of NUL bytes.
func TestDevZeroFailsFast(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := NewSession()
	start := time.Now()
	_, err := s.SQL("SELECT count(*) FROM csv.`/dev/zero`").Collect(ctx)
	var le *csv.LimitError
	if !errors.As(err, &le) || le.File != "/dev/zero" || le.Option != "maxRecordBytes" {
		t.Fatalf("err = %v, want a maxRecordBytes limit error on /dev/zero", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestJSONRecordBoundSQL(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	p := writeFile(t, dir, "big.json", `{"a":1}`+"\n"+`{"a":"`+strings.Repeat("x", 100000)+`"}`+"\n")
	_, err := s.SQL(`SELECT count(*) FROM json.` + "`" + p + "`").Collect(ctx)
	if err != nil {
		t.Fatalf("default bound: %v", err)
	}
	_, err = s.Read().Option("maxRecordBytes", "65536").JSON(filepath.Join(dir, "big.json")).Collect(ctx)
	var le *json.LimitError
	if !errors.As(err, &le) || le.Line != 2 || le.Offset != 8 || !strings.Contains(err.Error(), "big.json:2") {
		t.Fatalf("maxRecordBytes 65536: err = %v", err)
	}
}

// TestHugeStringFunctionsFailFast: functions that build a large value from
// small arguments fail before allocating it.
func TestHugeStringFunctionsFailFast(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	for _, q := range []struct{ sql, name string }{
		{"SELECT length(repeat('x', 2000000000))", "repeat"},
		{"SELECT length(space(2000000000))", "repeat"},
		{"SELECT length(lpad('a', 2147483647, 'xyz'))", "lpad"},
		{"SELECT length(rpad('a', 2147483647))", "rpad"},
		{"SELECT length(repeat(s, 300000000)) FROM VALUES ('x') AS t(s)", "repeat"},
	} {
		start := time.Now()
		_, err := s.SQL(q.sql).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), q.name+":") || !strings.Contains(err.Error(), "bound on a string value") {
			t.Errorf("%s: err = %v", q.sql, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %v", q.sql, d)
		}
	}
	rows, err := s.SQL("SELECT length(repeat('ab', 1000)), length(lpad('', 5000, 'é')), length(space(3))").Collect(ctx)
	if err != nil || len(rows) != 1 || rows[0][0] != int32(2000) || rows[0][1] != int32(5000) || rows[0][2] != int32(3) {
		t.Fatalf("small values: %v, %v", rows, err)
	}
}
