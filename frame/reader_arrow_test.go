package frame_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// allTypesSQL selects one row of each type gspark has (two rows: values and nulls).
const allTypesSQL = `SELECT * FROM VALUES
 (1, CAST(2 AS TINYINT), CAST(3 AS SMALLINT), CAST(4 AS BIGINT), CAST(1.5 AS FLOAT), 2.25D, true, 'héllo',
  CAST('12.34' AS DECIMAL(10,2)), DATE'2024-02-29', TIMESTAMP'2024-01-02 03:04:05.123456', X'00FF',
  array(1, 2, 3), named_struct('a', 7, 'b', 'x'), map('k', 1.5D)),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
 AS t(id, ti, si, bi, f, d, b, s, dec, dt, ts, bin, arr, st, m)`

func TestArrowWriteReadRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	src := s.SQL(allTypesSQL)
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	for _, codec := range []string{"", "lz4", "zstd"} {
		dir := filepath.Join(t.TempDir(), "out")
		if err := src.Write().Format("arrow").Option("compression", codec).Save(ctx, dir); err != nil {
			t.Fatal(err)
		}
		parts, _ := filepath.Glob(filepath.Join(dir, "part-*.arrow"))
		if len(parts) == 0 {
			t.Fatalf("%s: no .arrow part files in %v", codec, listDir(t, dir))
		}
		back := s.Read().Format("feather").Load(dir)
		if !arrow.TypeEqual(arrow.StructOf(back.Schema().Fields()...), arrow.StructOf(src.Schema().Fields()...)) {
			t.Fatalf("%s: schema %s, want %s", codec, back.Schema(), src.Schema())
		}
		rows := collect(t, back.OrderBy(F.Col("id")))
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", codec, len(rows))
		}
		got := fmt.Sprint(rows[0][:9]...)
		want := fmt.Sprint(int32(1), int8(2), int16(3), int64(4), float32(1.5), 2.25, true, "héllo")
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s: row 1 starts %q, want %q", codec, got, want)
		}
		checks := []struct {
			col  int
			want string
		}{
			{8, "12.34"}, {9, "2024-02-29"}, {10, "2024-01-02 03:04:05.123456"}, {11, "[0 255]"},
			{12, "[1 2 3]"}, {13, "7"}, {13, "x"}, {14, "k"}, {14, "1.5"},
		}
		for _, c := range checks {
			if v := fmt.Sprint(rows[0][c.col]); !strings.Contains(v, c.want) {
				t.Errorf("%s: column %d = %s, want it to contain %s", codec, c.col, v, c.want)
			}
		}
		for i, v := range rows[1][1:] {
			if v != nil {
				t.Errorf("%s: row 2 column %d = %v, want null", codec, i+1, v)
			}
		}
		// SQL on the directory and projection of one column.
		df := s.SQL("SELECT s, dec FROM arrow.`" + dir + "` WHERE id = 1")
		if err := df.Err(); err != nil {
			t.Fatal(err)
		}
		r := collect(t, df)
		if len(r) != 1 || r[0][0] != "héllo" || fmt.Sprint(r[0][1]) != "12.34" {
			t.Errorf("%s: SQL read %v", codec, r)
		}
	}
}

func TestArrowReadViewAndErrors(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	dir := filepath.Join(t.TempDir(), "v")
	df := s.SQL("SELECT id, id * 2 AS twice FROM range(5)")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	if err := df.Write().Format("arrow").Save(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SQL("CREATE TEMP VIEW v USING arrow OPTIONS (path '" + dir + "')").Collect(ctx); err != nil {
		t.Fatal(err)
	}
	q := s.SQL("SELECT sum(twice) FROM v")
	if err := q.Err(); err != nil {
		t.Fatal(err)
	}
	if r := collect(t, q); len(r) != 1 || fmt.Sprint(r[0][0]) != "20" { // 2*(0+1+2+3+4)
		t.Fatalf("sum(twice) = %v, want 20", r)
	}

	bad := filepath.Join(t.TempDir(), "garbage.arrow")
	if err := os.WriteFile(bad, []byte("this is not arrow at all, just text"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Read().Format("arrow").Load(bad).Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("garbage file: error %v does not name %s", err, bad)
	}
}

func TestAvroRead(t *testing.T) {
	s := frame.NewSession()
	dir := filepath.Join("..", "testdata", "io", "avro")
	// The fixtures hold two records each (see io/avro's fixtureRows):
	// i = 7 and -1, dec = 12.34 and -0.05.
	df := s.Read().Format("avro").Load(filepath.Join(dir, "types_zstandard.avro"))
	r := collect(t, df.Select(F.Col("i"), F.Col("dec")).OrderBy(F.Col("i")))
	if fmt.Sprint(r) != "[[-1 -0.05] [7 12.34]]" {
		t.Fatalf("avro read %v", r)
	}
	// SQL over the four files (one per codec): 4 x (7 + -1).
	q := s.SQL("SELECT sum(i), count(*) FROM avro.`" + dir + "`")
	if r := collect(t, q); fmt.Sprint(r) != "[[24 8]]" {
		t.Fatalf("SQL over the avro directory: %v (%v)", r, q.Err())
	}
}

func TestArrowPartitionedWrite(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	dir := filepath.Join(t.TempDir(), "p")
	df := s.SQL("SELECT id, id % 2 AS k FROM range(6)")
	if err := df.Write().Format("arrow").PartitionBy("k").Save(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if ks, _ := filepath.Glob(filepath.Join(dir, "k=*")); len(ks) != 2 {
		t.Fatalf("partition directories %v, want k=0 and k=1", ks)
	}
	// ids with k = 1 are 1, 3, 5: sum 9.
	r := collect(t, s.Read().Format("arrow").Load(dir).Filter(F.Col("k").Eq(1)).Agg(F.Sum(F.Col("id"))))
	if fmt.Sprint(r) != "[[9]]" {
		t.Fatalf("sum of ids in k=1: %v, want 9", r)
	}
}
