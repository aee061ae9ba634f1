package parquet

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// The files under testdata/io/parquet were written by DuckDB or copied from
// apache/parquet-testing (testdata/io/README.md says how). The expected
// values come from the SQL that wrote them and from DuckDB's reading of them
// (the md5 digests, printed by benchmarks/cmd/iofixtures).

func fixture(name string) string {
	return filepath.Join("..", "..", "testdata", "io", "parquet", name)
}

// readFixture reads every row of the file with small batches (so pages are
// split across batches) and returns the normalized rows.
func readFixture(t *testing.T, name string) [][]any {
	t.Helper()
	f, err := OpenFile(fixture(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]any
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{BatchSize: 77})
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, rowsOf([]arrow.RecordBatch{b})...)
			b.Release()
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// duckDigest is the md5 of the rows as DuckDB prints them for iofixtures:
// values cast to VARCHAR (NULL as \N) joined by '|', rows by '\n'.
func duckDigest(rows [][]any) string {
	var sb strings.Builder
	for i, row := range rows {
		if i > 0 {
			sb.WriteByte('\n')
		}
		for c, v := range row {
			if c > 0 {
				sb.WriteByte('|')
			}
			switch v := v.(type) {
			case nil:
				sb.WriteString(`\N`)
			case int64:
				sb.WriteString(strconv.FormatInt(v, 10))
			case string:
				sb.WriteString(strings.TrimPrefix(v, "s:"))
			default:
				panic(fmt.Sprintf("duckDigest: %T", v))
			}
		}
	}
	sum := md5.Sum([]byte(sb.String()))
	return hex.EncodeToString(sum[:])
}

func TestDeltaInt32WideDeltas(t *testing.T) {
	// COPY (SELECT * FROM (VALUES (2147483647), (-2147483648), (0), (5)) t(x))
	//   TO 'delta_int32_v2.parquet' (FORMAT parquet, PARQUET_VERSION V2)
	// The deltas -4294967295, 2147483648, 5 need miniblocks of bit width 33.
	got := readFixture(t, "delta_int32_v2.parquet")
	want := [][]any{{int64(2147483647)}, {int64(-2147483648)}, {int64(0)}, {int64(5)}}
	compareRows(t, got, want)
}

func TestDeltaExtremes(t *testing.T) {
	got := readFixture(t, "delta_extremes_v2.parquet")
	var want [][]any
	for i := int64(0); i < 300; i++ {
		var i32 int64
		var i64 any
		if i%2 == 0 {
			i32, i64 = math.MaxInt32-i, math.MaxInt64-i
		} else {
			i32, i64 = math.MinInt32+i, math.MinInt64+i
		}
		if i%7 == 3 {
			i64 = nil
		}
		want = append(want, []any{i32, i64})
	}
	compareRows(t, got, want)
	if d := duckDigest(got); d != "4dee978113612d68dd1b83a09610e32f" {
		t.Errorf("digest %s differs from DuckDB's", d)
	}
}

// lz4Want are the rows of lz4Rows in benchmarks/cmd/iofixtures.
func lz4Want(extraNull bool) [][]any {
	hexmd5 := func(i int64) string {
		s := md5.Sum([]byte(strconv.FormatInt(i, 10)))
		return "s:" + hex.EncodeToString(s[:])
	}
	var want [][]any
	for i := int64(0); i < 1000; i++ {
		row := []any{i, hexmd5(i), nil, nil}
		if i%5 != 0 {
			row[2] = hexmd5(i * 31)
		}
		if i%3 != 0 {
			row[3] = i*1000003 - 500000000
		}
		if extraNull {
			row = append(row, nil)
		}
		want = append(want, row)
	}
	return want
}

func TestLZ4RawDuckDB(t *testing.T) {
	for _, tc := range []struct {
		name, digest string
		extraNull    bool
	}{
		{"lz4_v1.parquet", "9426c5865fb02d05368d4f626b500b19", false},
		{"lz4_v2.parquet", "028ead243fd7d9e2178e3db74f6d073a", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readFixture(t, tc.name)
			compareRows(t, got, lz4Want(tc.extraNull))
			if d := duckDigest(got); d != tc.digest {
				t.Errorf("digest %s differs from DuckDB's %s", d, tc.digest)
			}
		})
	}
}

func TestLZ4RawParquetTesting(t *testing.T) {
	// lz4_raw_compressed.parquet as DuckDB reads it: c0 INT64, c1 BLOB, v11
	// DOUBLE.
	got := readFixture(t, "lz4_raw_compressed.parquet")
	want := [][]any{
		{int64(1593604800), "s:abc", math.Float64bits(42)},
		{int64(1593604800), "s:def", math.Float64bits(7.7)},
		{int64(1593604801), "s:abc", math.Float64bits(42.125)},
		{int64(1593604801), "s:def", math.Float64bits(7.7)},
	}
	compareRows(t, got, want)

	// 10000 UUID strings in a REQUIRED column, one page whose compressed
	// size is above a third of its uncompressed size.
	got = readFixture(t, "lz4_raw_compressed_larger.parquet")
	if len(got) != 10000 {
		t.Fatalf("got %d rows, want 10000", len(got))
	}
	if got[0][0] != "s:c7ce6bef-d5b0-4863-b199-8ea8c7fb117b" || got[9999][0] != "s:85440778-460a-41ac-aa2e-ac3ee41696bf" {
		t.Fatalf("first/last rows %v %v", got[0], got[9999])
	}
	if d := duckDigest(got); d != "3cbf7141ea1167dc033cbae5db0a6439" {
		t.Errorf("digest %s differs from DuckDB's", d)
	}
}

// The deprecated LZ4 codec: Hadoop-framed blocks as parquet-mr writes them,
// and a bare LZ4 block under the same codec; both files hold the rows of
// lz4_raw_compressed.parquet (DataFusion's sqllogictest of
// hadoop_lz4_compressed.parquet lists them).
func TestHadoopLZ4ParquetTesting(t *testing.T) {
	want := [][]any{
		{int64(1593604800), "s:abc", math.Float64bits(42)},
		{int64(1593604800), "s:def", math.Float64bits(7.7)},
		{int64(1593604801), "s:abc", math.Float64bits(42.125)},
		{int64(1593604801), "s:def", math.Float64bits(7.7)},
	}
	for _, name := range []string{"hadoop_lz4_compressed.parquet", "non_hadoop_lz4_compressed.parquet"} {
		t.Run(name, func(t *testing.T) {
			compareRows(t, readFixture(t, name), want)
		})
	}
}
