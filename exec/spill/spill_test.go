package spill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	osexec "os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

var schema = arrow.NewSchema([]arrow.Field{
	{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "d64", Type: &arrow.Decimal64Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "d128", Type: &arrow.Decimal128Type{Precision: 30, Scale: 3}, Nullable: true},
	{Name: "t", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "dict", Type: dictType, Nullable: true},
}, nil)

func maybe(r *rand.Rand, v any) any {
	if r.IntN(5) == 0 {
		return nil
	}
	return v
}

// batch builds a batch of n random rows; its dictionary column has a
// dictionary of its own, so consecutive batches replace it.
func batch(t *testing.T, mem memory.Allocator, r *rand.Rand, n int) (arrow.RecordBatch, [][]any) {
	plain := arrow.NewSchema(append(schema.Fields()[:8:8], arrow.Field{Name: "dict", Type: arrow.BinaryTypes.String, Nullable: true}), nil)
	rows := make([][]any, n)
	words := []string{"x", "yy", "", "zzz", fmt.Sprint(r.IntN(100))}
	for i := range rows {
		rows[i] = []any{
			maybe(r, r.Int64()), maybe(r, words[r.IntN(len(words))]), maybe(r, r.Int64N(1e11)-5e10),
			maybe(r, r.Int64()), nil, maybe(r, arrow.Date32(r.IntN(1000))), maybe(r, r.IntN(2) == 0),
			maybe(r, float32(r.NormFloat64())), maybe(r, words[r.IntN(len(words))]),
		}
	}
	pb := exectest.Batch(mem, plain, func() [][]any {
		// exectest.Batch has no timestamp builder: fill it afterwards.
		out := make([][]any, n)
		for i, row := range rows {
			out[i] = append([]any(nil), row...)
			out[i][4] = nil
		}
		return out
	}())
	defer pb.Release()
	tb := array.NewTimestampBuilder(mem, schema.Field(4).Type.(*arrow.TimestampType))
	defer tb.Release()
	for i := range rows {
		if r.IntN(4) == 0 {
			tb.AppendNull()
			continue
		}
		v := r.Int64N(1e15)
		tb.Append(arrow.Timestamp(v))
		rows[i][4] = v
	}
	ts := tb.NewArray()
	defer ts.Release()
	db := array.NewDictionaryBuilder(mem, dictType).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	sc := pb.Column(8).(*array.String)
	for i := range n {
		if sc.IsNull(i) {
			db.AppendNull()
		} else if err := db.AppendString(sc.Value(i)); err != nil {
			t.Fatal(err)
		}
	}
	da := db.NewArray()
	defer da.Release()
	cols := append(pb.Columns()[:4:4], ts)
	cols = append(cols, pb.Columns()[5:8]...)
	cols = append(cols, da)
	return array.NewRecordBatch(schema, cols, int64(n)), nil
}

func rowsOf(bs []arrow.RecordBatch) string { return fmt.Sprint(values.Rows(bs)) }

func emptyDir(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Errorf("%d files left in the spill directory", len(es))
	}
}

func TestRoundTrip(t *testing.T) {
	mem := exectest.Alloc(t)
	dir := t.TempDir()
	env := &exec.Env{Mem: mem, BatchSize: 64, TempDir: dir, Spill: &exec.SpillStats{}}
	r := rand.New(rand.NewPCG(1, 2))
	var stats exec.SpillStats
	for iter := range 20 {
		var in []arrow.RecordBatch
		for range r.IntN(6) {
			b, _ := batch(t, mem, r, r.IntN(40))
			if r.IntN(3) == 0 && b.NumRows() > 2 {
				s := b.NewSlice(1, b.NumRows()-1)
				b.Release()
				b = s
			}
			in = append(in, b)
		}
		w, err := NewWriter(env, schema, &stats)
		if err != nil {
			t.Fatal(err)
		}
		rows := int64(0)
		for _, b := range in {
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			rows += b.NumRows()
		}
		f, err := w.Finish()
		if err != nil {
			t.Fatal(err)
		}
		w.Abort() // no effect after Finish
		if f.Rows() != rows {
			t.Errorf("Rows() = %d, want %d", f.Rows(), rows)
		}
		// Two readers at once.
		for range 2 {
			rd, err := f.Open(t.Context(), mem)
			if err != nil {
				t.Fatal(err)
			}
			var out []arrow.RecordBatch
			for {
				b, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if !b.Schema().Equal(schema) {
					t.Fatalf("schema %s", b.Schema())
				}
				out = append(out, b)
			}
			rd.Close()
			if got, want := rowsOf(out), rowsOf(in); got != want {
				t.Fatalf("iteration %d: round trip differs:\ngot  %s\nwant %s", iter, got, want)
			}
			exec.ReleaseAll(out)
		}
		exec.ReleaseAll(in)
		if err := f.Remove(); err != nil {
			t.Fatal(err)
		}
		if err := f.Remove(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Open(t.Context(), mem); err == nil {
			t.Error("open after remove: no error")
		}
	}
	if stats.Bytes() == 0 || stats.Files() != 20 || env.Spill.Bytes() != stats.Bytes() {
		t.Errorf("stats: %d bytes in %d files, env %d", stats.Bytes(), stats.Files(), env.Spill.Bytes())
	}
	emptyDir(t, dir)
}

func TestAbortAndCancel(t *testing.T) {
	mem := exectest.Alloc(t)
	dir := t.TempDir()
	env := &exec.Env{Mem: mem, BatchSize: 64, TempDir: dir}
	r := rand.New(rand.NewPCG(3, 4))
	b, _ := batch(t, mem, r, 30)
	defer b.Release()
	w, err := NewWriter(env, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	w.Abort()
	if err := w.Write(b); err == nil {
		t.Error("write after abort: no error")
	}
	if _, err := w.Finish(); err == nil {
		t.Error("finish after abort: no error")
	}
	emptyDir(t, dir)

	w, _ = NewWriter(env, schema, nil)
	for range 3 {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	f, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	rd, err := f.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	x, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	x.Release()
	cancel()
	if _, err := rd.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	rd.Close()
	if err := f.Remove(); err != nil {
		t.Fatal(err)
	}
	emptyDir(t, dir)

	// An empty file reads as no batches.
	w, _ = NewWriter(env, schema, nil)
	f, err = w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	rd, err = f.Open(t.Context(), mem)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("empty file: %v", err)
	}
	rd.Close()
	f.Remove()
	emptyDir(t, dir)

	// A directory that does not exist.
	env.TempDir = dir + "/missing"
	if _, err := NewWriter(env, schema, nil); err == nil {
		t.Error("missing directory: no error")
	}
}

func TestSize(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(5, 6))
	b, _ := batch(t, mem, r, 100)
	defer b.Release()
	if Size(b) < 100*8 {
		t.Errorf("Size = %d", Size(b))
	}
}

// extType is an extension type that is never registered, so IPC reads its
// columns back as their storage.
type extType struct{ arrow.ExtensionBase }

type extArray struct{ array.ExtensionArrayBase }

func newExtType() *extType {
	return &extType{ExtensionBase: arrow.ExtensionBase{Storage: arrow.ListOf(arrow.PrimitiveTypes.Float64)}}
}
func (*extType) ArrayType() reflect.Type { return reflect.TypeOf(extArray{}) }
func (*extType) ExtensionName() string   { return "gspark.test.unregistered" }
func (*extType) Serialize() string       { return "" }
func (*extType) Deserialize(arrow.DataType, string) (arrow.ExtensionType, error) {
	return newExtType(), nil
}
func (e *extType) ExtensionEquals(o arrow.ExtensionType) bool {
	return o.ExtensionName() == e.ExtensionName()
}

func TestExtensionColumn(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 64, TempDir: t.TempDir()}
	et := newExtType()
	s := arrow.NewSchema([]arrow.Field{{Name: "v", Type: et, Nullable: true}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Float64)
	defer lb.Release()
	vb := lb.ValueBuilder().(*array.Float64Builder)
	lb.Append(true)
	vb.AppendValues([]float64{1, 2.5}, nil)
	lb.AppendNull()
	lb.Append(true)
	storage := lb.NewArray()
	defer storage.Release()
	ext := array.NewExtensionArrayWithStorage(et, storage)
	defer ext.Release()
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	ib.AppendValues([]int64{1, 2, 3}, nil)
	ia := ib.NewArray()
	defer ia.Release()
	b := array.NewRecordBatch(s, []arrow.Array{ext, ia}, 3)
	defer b.Release()
	w, err := NewWriter(env, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	f, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Remove()
	rd, err := f.Open(t.Context(), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if !got.Schema().Equal(s) || !arrow.TypeEqual(got.Column(0).DataType(), et) {
		t.Fatalf("read back %s", got.Schema())
	}
	if !array.RecordEqual(got, b) {
		t.Errorf("read back %v, want %v", got, b)
	}
}

// Spill files are named for their process; RemoveStale removes those of
// processes that have exited, and nothing else.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	cmd := osexec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	names := []string{
		fmt.Sprintf("gspark-spill-%d-111", dead),         // a dead process's: removed
		fmt.Sprintf("gspark-spill-%d-222", os.Getpid()),  // ours: kept
		fmt.Sprintf("gspark-spill-%d-333", os.Getppid()), // a live process's: kept
		"gspark-spill-notapid-444", "other-file",
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n := RemoveStale(dir); n != 1 {
		t.Errorf("removed %d files, want 1", n)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != len(names)-1 {
		t.Errorf("%d files left, want %d", len(ents), len(names)-1)
	}
	if _, err := os.Stat(filepath.Join(dir, names[0])); err == nil {
		t.Error("the dead process's spill file is still there")
	}
}
