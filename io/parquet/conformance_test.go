package parquet

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	aparquet "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// The conformance test reads every file of testdata/io/parquet (written by
// DuckDB, arrow-go, parquet-go, parquet-mr, Spark and pyarrow; see
// testdata/io/README.md) with gspark and with arrow-go's pqarrow reader, and
// compares every value of every column. The files and columns gspark cannot
// read are listed here with the error they must fail with.

// refusedFiles are the files gspark must refuse to open, with why.
var refusedFiles = map[string]string{
	"uniform_encryption.parquet.encrypted":               "encrypted Parquet is not supported",
	"encrypt_columns_plaintext_footer.parquet.encrypted": "encrypted Parquet is not supported",
}

// refusedColumns are the columns ("file/column") gspark opens but must fail
// to read, with the error they must name.
var refusedColumns = map[string]string{
	// TIMESTAMP(NANOS) values that are not whole microseconds: gspark's
	// timestamps are microseconds, and it refuses rather than truncates.
	"arrow_types_snappy_dict_v1.parquet/ts_ns":        "has nanoseconds",
	"arrow_types_gzip_dict_v2.parquet/ts_ns":          "has nanoseconds",
	"arrow_types_zstd_plain_v1.parquet/ts_ns":         "has nanoseconds",
	"arrow_types_brotli_plain_v2.parquet/ts_ns":       "has nanoseconds",
	"arrow_types_lz4raw_dict_v1.parquet/ts_ns":        "has nanoseconds",
	"arrow_types_uncompressed_plain_v2.parquet/ts_ns": "has nanoseconds",
	"arrow_delta_split_v1.parquet/ts_ns":              "has nanoseconds",
	"arrow_delta_split_v2.parquet/ts_ns":              "has nanoseconds",
}

// arrowCannotRead are the files arrow-go v18.8.0's reader rejects (the error
// it gives, and what gspark's reading is compared with instead). duckMD5 is
// DuckDB's digest of the rows (see duckDigest), printed by
// benchmarks/cmd/iofixtures; the others are checked against the values their
// source documents by the named test.
var arrowCannotRead = map[string]struct{ arrowErr, duckMD5, checkedBy string }{
	// The INT32 DELTA_BINARY_PACKED overflow case: arrow-go refuses deltas
	// wider than 32 bits, which the format allows.
	"delta_int32_v2.parquet":    {arrowErr: "exceeds INT32 range", duckMD5: "252a38775c3f64835af3029ea0fa5130"},
	"delta_extremes_v2.parquet": {arrowErr: "exceeds INT32 range", duckMD5: "4dee978113612d68dd1b83a09610e32f"},
	// arrow-go does not implement the deprecated LZ4 codec.
	"hadoop_lz4_compressed.parquet":     {arrowErr: "LZ4 unimplemented", checkedBy: "TestHadoopLZ4ParquetTesting"},
	"non_hadoop_lz4_compressed.parquet": {arrowErr: "LZ4 unimplemented", checkedBy: "TestHadoopLZ4ParquetTesting"},
	// A data page v2 with nothing to decompress: arrow-go hands the empty
	// buffer to Snappy.
	"datapage_v2_empty_datapage.snappy.parquet": {arrowErr: "corrupt input", checkedBy: "TestEmptyDataPagesV2"},
	// Spark's year-9999 and later INT96 values overflow arrow-go's nanoseconds.
	"int96_from_spark.parquet": {arrowErr: "outside the Arrow nanosecond range", checkedBy: "TestInt96FromSpark"},
}

// arrowReadsOtherwise are the columns ("file/column") arrow-go v18.8.0 reads
// differently from the file's documentation, with the documented values
// (normalized as normValue renders them) gspark's reading is compared with.
var arrowReadsOtherwise = map[string]struct {
	why  string
	want []string
}{
	// A LIST whose 2-level element (a repeated group named "array") is
	// itself a LIST: parquet-testing's old_list_structure.md documents the
	// value [[1, 2], [3, 4]]; arrow-go reads the element as a struct.
	"old_list_structure.parquet/a": {why: "arrow-go reads the LIST-annotated element as a struct",
		want: []string{"[[n:1, n:2], [n:3, n:4]]"}},
}

func TestParquetConformance(t *testing.T) {
	paths, err := filepath.Glob(fixture("*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 30 {
		t.Fatalf("only %d corpus files", len(paths))
	}
	compared := 0
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			compared += conformFile(t, path, name)
		})
	}
	t.Logf("%d files, %d values compared", len(paths), compared)
}

// conformFile compares gspark's reading of one file with arrow-go's and
// returns the number of values compared.
func conformFile(t *testing.T, path, name string) int {
	f, err := OpenFile(path)
	if want, ok := refusedFiles[name]; ok {
		if err == nil {
			f.Close()
			t.Fatalf("opened; want an error %q", want)
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %q, want one naming the file and %q", err, want)
		}
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := readWithArrow(path)
	if other, ok := arrowCannotRead[name]; ok {
		if err == nil || !strings.Contains(err.Error(), other.arrowErr) {
			t.Fatalf("arrow-go: error %v; listed as failing with %q", err, other.arrowErr)
		}
		if other.duckMD5 != "" {
			if d := duckDigest(readFixture(t, name)); d != other.duckMD5 {
				t.Fatalf("gspark's rows have digest %s, DuckDB's %s", d, other.duckMD5)
			}
		}
		return 0
	}
	if err != nil {
		t.Fatalf("arrow-go: %v", err)
	}
	if int64(len(ref.rows)) != f.NumRows() {
		t.Fatalf("gspark says %d rows, arrow-go reads %d", f.NumRows(), len(ref.rows))
	}
	n := 0
	for c, fld := range f.Schema().Fields() {
		got, err := readColumnGspark(f, c)
		key := name + "/" + fld.Name
		if want, ok := refusedColumns[key]; ok {
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name) {
				t.Errorf("column %s: error %v, want one naming the file and %q", fld.Name, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("column %s: %v", fld.Name, err)
			continue
		}
		if other, ok := arrowReadsOtherwise[key]; ok {
			if strings.Join(got, "\n") != strings.Join(other.want, "\n") {
				t.Errorf("column %s: gspark %q, documented %q", fld.Name, got, other.want)
			}
			n += len(got)
			continue
		}
		rc, ok := ref.col[fld.Name]
		if !ok {
			t.Errorf("column %s: arrow-go has no such column", fld.Name)
			continue
		}
		if len(got) != len(ref.rows) {
			t.Errorf("column %s: %d values, arrow-go %d", fld.Name, len(got), len(ref.rows))
			continue
		}
		bad := 0
		for i := range got {
			if want := ref.rows[i][rc]; !sameValue(got[i], want) {
				if bad < 5 {
					t.Errorf("column %s (%s) row %d: gspark %q, arrow-go %q", fld.Name, fld.Type, i, got[i], want)
				}
				bad++
			}
			n++
		}
		if bad > 0 {
			t.Errorf("column %s: %d of %d values differ", fld.Name, bad, len(got))
		}
	}
	for nm := range ref.col {
		if f.Schema().FieldIndices(nm) == nil {
			t.Errorf("arrow-go reads column %s, gspark does not", nm)
		}
	}
	return n
}

// readColumnGspark reads column c of every row group in batches of 77 rows
// (so pages straddle batches) and returns its values normalized.
func readColumnGspark(f *File, c int) ([]string, error) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	var out []string
	for rg := range f.NumRowGroups() {
		r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Columns: []int{c}, BatchSize: 77, Mem: mem})
		if err != nil {
			return nil, err
		}
		for {
			b, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				return nil, err
			}
			col := b.Column(0)
			for i := range col.Len() {
				v, err := normValue(col, i)
				if err != nil {
					b.Release()
					r.Close()
					return nil, err
				}
				out = append(out, v)
			}
			b.Release()
		}
		if err := r.Close(); err != nil {
			return nil, err
		}
	}
	if mem.CurrentAlloc() != 0 {
		return nil, fmt.Errorf("%d bytes leaked", mem.CurrentAlloc())
	}
	return out, nil
}

// arrowReading is arrow-go's reading of a file: normalized rows and the
// index of each top-level column.
type arrowReading struct {
	rows [][]string
	col  map[string]int
}

func readWithArrow(path string) (*arrowReading, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	pr, err := file.NewParquetReader(fh, file.WithReadProps(aparquet.NewReaderProperties(nil)))
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{BatchSize: 1000}, memory.NewGoAllocator())
	if err != nil {
		return nil, err
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	ar := &arrowReading{rows: make([][]string, tbl.NumRows()), col: map[string]int{}}
	for c := range int(tbl.NumCols()) {
		col := tbl.Column(c)
		ar.col[col.Name()] = c
		row := 0
		for _, chunk := range col.Data().Chunks() {
			for i := range chunk.Len() {
				v, err := normValue(chunk, i)
				if err != nil {
					v = "unsupported:" + err.Error()
				}
				if c == 0 {
					ar.rows[row] = make([]string, tbl.NumCols())
				}
				ar.rows[row][c] = v
				row++
			}
		}
	}
	return ar, nil
}

var nanosPer = map[arrow.TimeUnit]int64{arrow.Second: 1e9, arrow.Millisecond: 1e6, arrow.Microsecond: 1e3, arrow.Nanosecond: 1}

// normValue renders value i of arr so that the same value reads the same
// whatever Arrow type each reader maps the Parquet type to: integers and
// decimals as decimal text, floats in their shortest form, strings and
// binaries as their bytes, dates as days, times and timestamps as exact
// nanoseconds (time zones ignored).
func normValue(arr arrow.Array, i int) (string, error) {
	if arr.IsNull(i) {
		return "null", nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i)), nil
	case *array.Int8:
		return "n:" + strconv.FormatInt(int64(a.Value(i)), 10), nil
	case *array.Int16:
		return "n:" + strconv.FormatInt(int64(a.Value(i)), 10), nil
	case *array.Int32:
		return "n:" + strconv.FormatInt(int64(a.Value(i)), 10), nil
	case *array.Int64:
		return "n:" + strconv.FormatInt(a.Value(i), 10), nil
	case *array.Uint8:
		return "n:" + strconv.FormatUint(uint64(a.Value(i)), 10), nil
	case *array.Uint16:
		return "n:" + strconv.FormatUint(uint64(a.Value(i)), 10), nil
	case *array.Uint32:
		return "n:" + strconv.FormatUint(uint64(a.Value(i)), 10), nil
	case *array.Uint64:
		return "n:" + strconv.FormatUint(a.Value(i), 10), nil
	case *array.Decimal32, *array.Decimal64, *array.Decimal128, *array.Decimal256:
		return "n:" + arr.ValueStr(i), nil
	case *array.Float16:
		return "f:" + strconv.FormatFloat(float64(a.Value(i).Float32()), 'g', -1, 32), nil
	case *array.Float32:
		return "f:" + strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32), nil
	case *array.Float64:
		return "f:" + strconv.FormatFloat(a.Value(i), 'g', -1, 64), nil
	case *array.String:
		return "s:" + a.Value(i), nil
	case *array.LargeString:
		return "s:" + a.Value(i), nil
	case *array.Binary:
		return "s:" + string(a.Value(i)), nil
	case *array.LargeBinary:
		return "s:" + string(a.Value(i)), nil
	case *array.FixedSizeBinary:
		return "s:" + string(a.Value(i)), nil
	case *array.Date32:
		return "d:" + strconv.FormatInt(int64(a.Value(i)), 10), nil
	case *array.Date64:
		return "d:" + strconv.FormatInt(int64(a.Value(i))/86400000, 10), nil
	case *array.Timestamp:
		u := a.DataType().(*arrow.TimestampType).Unit
		return "t:" + new(big.Int).Mul(big.NewInt(int64(a.Value(i))), big.NewInt(nanosPer[u])).String(), nil
	case *array.Time32:
		u := a.DataType().(*arrow.Time32Type).Unit
		return "tm:" + strconv.FormatInt(int64(a.Value(i))*nanosPer[u], 10), nil
	case *array.Time64:
		u := a.DataType().(*arrow.Time64Type).Unit
		return "tm:" + strconv.FormatInt(int64(a.Value(i))*nanosPer[u], 10), nil
	case *array.Map:
		s, e := a.ValueOffsets(i)
		keys, items := a.Keys(), a.Items()
		parts := make([]string, 0, e-s)
		for j := int(s); j < int(e); j++ {
			k, err := normValue(keys, j)
			if err != nil {
				return "", err
			}
			v, err := normValue(items, j)
			if err != nil {
				return "", err
			}
			parts = append(parts, k+"=>"+v)
		}
		return "map{" + strings.Join(parts, ", ") + "}", nil
	case array.ListLike:
		s, e := a.ValueOffsets(i)
		parts := make([]string, 0, e-s)
		for j := int(s); j < int(e); j++ {
			v, err := normValue(a.ListValues(), j)
			if err != nil {
				return "", err
			}
			parts = append(parts, v)
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		parts := make([]string, a.NumField())
		for f := range a.NumField() {
			v, err := normValue(a.Field(f), i)
			if err != nil {
				return "", err
			}
			parts[f] = st.Field(f).Name + ":" + v
		}
		return "{" + strings.Join(parts, ", ") + "}", nil
	}
	return "", fmt.Errorf("no comparison for type %s", arr.DataType())
}

// sameValue compares gspark's normalized value with arrow-go's. gspark reads
// a Parquet TIME as a string "HH:MM:SS[.fraction]" (file.go's mapping), which
// is converted to nanoseconds to compare with arrow-go's time.
func sameValue(got, want string) bool {
	if got == want {
		return true
	}
	if !strings.HasPrefix(want, "tm:") || !strings.HasPrefix(got, "s:") {
		return false
	}
	hms, frac, _ := strings.Cut(strings.TrimPrefix(got, "s:"), ".")
	parts := strings.Split(hms, ":")
	if len(parts) != 3 || len(frac) > 9 {
		return false
	}
	var ns int64
	for _, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return false
		}
		ns = ns*60 + v
	}
	ns *= 1e9
	if frac != "" {
		v, err := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil {
			return false
		}
		ns += v
	}
	return "tm:"+strconv.FormatInt(ns, 10) == want
}
