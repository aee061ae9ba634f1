package arrowipc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values/vectors"
)

// dictBatch is a batch with a dictionary-encoded string column: the
// dictionary ["red", "green"] and indices [1, 0, null, 1], so the values
// are green, red, null, green.
func dictBatch(t *testing.T, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, v := range []string{"green", "red", "", "green"} {
		if v == "" {
			b.AppendNull()
			continue
		}
		if err := b.AppendString(v); err != nil {
			t.Fatal(err)
		}
	}
	col := b.NewArray()
	defer col.Release()
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	ib.AppendValues([]int64{10, 20, 30, 40}, nil)
	ids := ib.NewArray()
	defer ids.Release()
	s := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "color", Type: dt, Nullable: true}}, nil)
	return array.NewRecordBatch(s, []arrow.Array{ids, col}, 4)
}

func readAll(t *testing.T, path string, opts Options) []string {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows []string
	for {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < int(b.NumRows()); i++ {
			var vs []string
			for _, c := range b.Columns() {
				vs = append(vs, c.ValueStr(i))
			}
			rows = append(rows, strings.Join(vs, " "))
		}
		b.Release()
	}
	return rows
}

func TestDictionaryFileAndStreamCompressed(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	b := dictBatch(t, mem)
	defer b.Release()
	dir := t.TempDir()
	want := []string{"10 green", "20 red", "30 (null)", "40 green"}
	for _, kind := range []string{"file-lz4", "file-zstd", "stream", "stream-zstd"} {
		var buf bytes.Buffer
		opts := []ipc.Option{ipc.WithSchema(b.Schema()), ipc.WithAllocator(mem)}
		if strings.HasSuffix(kind, "lz4") {
			opts = append(opts, ipc.WithLZ4())
		}
		if strings.HasSuffix(kind, "zstd") {
			opts = append(opts, ipc.WithZstd())
		}
		if strings.HasPrefix(kind, "file") {
			w, err := ipc.NewFileWriter(&buf, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			w := ipc.NewWriter(&buf, opts...)
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, kind+".arrow")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := ReadSchema(path)
		if err != nil {
			t.Fatal(err)
		}
		if !arrow.TypeEqual(s.Field(1).Type, arrow.BinaryTypes.String) {
			t.Fatalf("%s: color read as %s, want utf8", kind, s.Field(1).Type)
		}
		if got := readAll(t, path, Options{Schema: s, Mem: mem}); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: rows %q, want %q", kind, got, want)
		}
		// Projection: only color is read; id comes back null.
		got := readAll(t, path, Options{Schema: s, Read: []bool{false, true}, Mem: mem})
		if fmt.Sprint(got) != fmt.Sprint([]string{"(null) green", "(null) red", "(null) (null)", "(null) green"}) {
			t.Errorf("%s: projected rows %q", kind, got)
		}
	}
}

func TestVectorRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	// A dense vector [1, 2.5] and a sparse one of size 4 with 3 at index 2,
	// in the storage layout of vectors.VectorStorageType.
	st := vectors.VectorStorageType()
	sb := array.NewStructBuilder(mem, st)
	defer sb.Release()
	kind := sb.FieldBuilder(0).(*array.Int8Builder)
	size := sb.FieldBuilder(1).(*array.Int32Builder)
	idx := sb.FieldBuilder(2).(*array.ListBuilder)
	val := sb.FieldBuilder(3).(*array.ListBuilder)
	sb.Append(true)
	kind.Append(1)
	size.Append(2)
	idx.AppendNull()
	val.Append(true)
	val.ValueBuilder().(*array.Float64Builder).AppendValues([]float64{1, 2.5}, nil)
	sb.Append(true)
	kind.Append(0)
	size.Append(4)
	idx.Append(true)
	idx.ValueBuilder().(*array.Int32Builder).Append(2)
	val.Append(true)
	val.ValueBuilder().(*array.Float64Builder).Append(3)
	storage := sb.NewArray()
	defer storage.Release()
	col := array.NewExtensionArrayWithStorage(vectors.VectorType(), storage)
	defer col.Release()
	s := arrow.NewSchema([]arrow.Field{{Name: "features", Type: vectors.VectorType(), Nullable: true}}, nil)
	b := array.NewRecordBatch(s, []arrow.Array{col}, 2)
	defer b.Release()

	path := filepath.Join(t.TempDir(), "v.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(f, s, WriterOptions{Compression: "zstd", Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	if !vectors.IsVector(got.Field(0).Type) {
		t.Fatalf("features read as %s, want vector", got.Field(0).Type)
	}
	rows := readAll(t, path, Options{Mem: mem})
	if len(rows) != 2 || !strings.Contains(rows[0], "2.5") || !strings.Contains(rows[1], "4") || !strings.Contains(rows[1], "3") {
		t.Fatalf("vectors read back as %q", rows)
	}
}

func TestBadFilesNameThePath(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	b := dictBatch(t, mem)
	defer b.Release()
	var buf bytes.Buffer
	w, err := ipc.NewFileWriter(&buf, ipc.WithSchema(b.Schema()), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data := buf.Bytes()
	cases := map[string][]byte{
		"truncated.arrow": data[:len(data)/2],
		"garbage.arrow":   []byte("not an arrow file, just some words of text"),
		"empty.arrow":     nil,
		"magic.arrow":     []byte("ARROW1"),
		"badfooter.arrow": append(append([]byte{}, data[:len(data)-10]...), []byte("\xff\xff\xff\xffARROW1")...),
	}
	for name, content := range cases {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{Mem: mem})
		if err == nil {
			for err == nil {
				var b arrow.RecordBatch
				b, err = r.Next()
				if b != nil {
					b.Release()
				}
			}
			r.Close()
			if errors.Is(err, io.EOF) {
				err = nil
			}
		}
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v does not name the file", name, err)
		}
	}
}

func TestWidenedTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	u8 := array.NewUint8Builder(mem)
	defer u8.Release()
	u8.AppendValues([]uint8{200, 0}, []bool{true, false})
	u64 := array.NewUint64Builder(mem)
	defer u64.Release()
	u64.AppendValues([]uint64{18446744073709551615, 1}, nil)
	ls := array.NewLargeStringBuilder(mem)
	defer ls.Release()
	ls.AppendValues([]string{"é", "b"}, nil)
	cols := []arrow.Array{u8.NewArray(), u64.NewArray(), ls.NewArray()}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	s := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Uint8, Nullable: true},
		{Name: "b", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "c", Type: arrow.BinaryTypes.LargeString},
	}, nil)
	b := array.NewRecordBatch(s, cols, 2)
	defer b.Release()
	path := filepath.Join(t.TempDir(), "w.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(f, s, WriterOptions{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	if g := fmt.Sprint(got.Field(0).Type, got.Field(1).Type, got.Field(2).Type); g != "int16 decimal(20, 0) utf8" {
		t.Errorf("types %s", g)
	}
	// 2^64 - 1 = 18446744073709551615 fits decimal(20, 0).
	if rows := fmt.Sprint(readAll(t, path, Options{Mem: mem})); rows != "[200 18446744073709551615 é (null) 1 b]" {
		t.Errorf("rows %s", rows)
	}
}
