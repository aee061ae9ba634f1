package aggregate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// partialRows makes the input of a final sum and count by key: rows rows
// of (key, sum state, count state) over the given keys, shuffled, each
// key's states split over the rows it has. want holds each key's total sum
// and count.
func partialRows(t *testing.T, mem memory.Allocator, keys []any, rows int, r *rand.Rand) (*arrow.Schema, []arrow.RecordBatch, map[any][2]int64) {
	t.Helper()
	kt := arrow.DataType(arrow.PrimitiveTypes.Int64)
	if _, ok := keys[0].(string); ok {
		kt = arrow.BinaryTypes.String
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: kt, Nullable: true},
		{Name: "s", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "c", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	order := make([]int, rows)
	for i := range order {
		order[i] = i % len(keys)
	}
	r.Shuffle(rows, func(i, j int) { order[i], order[j] = order[j], order[i] })
	want := map[any][2]int64{}
	var batches []arrow.RecordBatch
	for lo := 0; lo < rows; lo += 8192 {
		b := array.NewRecordBuilder(mem, schema)
		for _, k := range order[lo:min(lo+8192, rows)] {
			key := keys[k]
			switch key := key.(type) {
			case int64:
				b.Field(0).(*array.Int64Builder).Append(key)
			case string:
				b.Field(0).(*array.StringBuilder).Append(key)
			}
			s, c := int64(r.IntN(1000)), int64(1+r.IntN(4))
			b.Field(1).(*array.Int64Builder).Append(s)
			b.Field(2).(*array.Int64Builder).Append(c)
			w := want[key]
			want[key] = [2]int64{w[0] + s, w[1] + c}
		}
		batches = append(batches, b.NewRecordBatch())
		b.Release()
	}
	return schema, batches, want
}

// runFinal aggregates batches with a final sum and count by the first
// column, checks every key's sum and count against want, and returns the
// groups the table was sized for ahead, the slots it ended with and the
// times it doubled.
func runFinal(t *testing.T, mem memory.Allocator, schema *arrow.Schema, batches []arrow.RecordBatch, want map[any][2]int64, aheadRows int) (presized int, slots uint64, grown int) {
	t.Helper()
	src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{batches})
	defer src.Release()
	env := &exec.Env{Mem: mem, BatchSize: 4096}
	o, err := NewFinal(env, src, 1, []Spec{{Func: Sum, Input: 1, Name: "s"}, {Func: Count, Input: 2, Name: "c"}},
		[]arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64})
	if err != nil {
		t.Fatal(err)
	}
	o.(*op).aheadRows = aheadRows
	st, err := o.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seen := map[any]bool{}
	for {
		b, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		s, c := b.Column(1).(*array.Int64), b.Column(2).(*array.Int64)
		for i := range int(b.NumRows()) {
			var key any
			switch k := b.Column(0).(type) {
			case *array.Int64:
				key = k.Value(i)
			case *array.String:
				key = k.Value(i)
			}
			if w, ok := want[key]; !ok || seen[key] || s.Value(i) != w[0] || c.Value(i) != w[1] {
				t.Fatalf("key %v (in the input: %v, output before: %v): sum %d count %d, want %d %d", key, ok, seen[key], s.Value(i), c.Value(i), w[0], w[1])
			}
			seen[key] = true
		}
		b.Release()
	}
	if len(seen) != len(want) {
		t.Fatalf("%d groups, want %d", len(seen), len(want))
	}
	as := st.(*aggStream)
	return as.presized, as.t.mask + 1, as.t.grown
}

// A final aggregation whose input has many rows sizes its table ahead for
// the distinct keys among them, not for the rows, and then never grows it;
// answers match the sums and counts of the input. Below presizeMin rows
// the table grows as before.
func TestFinalSizesTableForDistinctKeys(t *testing.T) {
	intKeys := func(n int) []any {
		ks := make([]any, n)
		for i := range ks {
			ks[i] = int64(i)*7919 - 3
		}
		return ks
	}
	strKeys := func(n int) []any {
		ks := make([]any, n)
		for i := range ks {
			ks[i] = fmt.Sprintf("key-%d-%s", i, strings.Repeat("x", i%20))
		}
		return ks
	}
	for _, tc := range []struct {
		name  string
		keys  []any
		rows  int
		sized bool
		ahead int // aheadRows; 0: readAheadRows
	}{
		// Every key once (a partial aggregation that reduced nothing).
		{name: "distinct", keys: intKeys(200_000), rows: 200_000, sized: true},
		// Each key from four partial aggregations: sized for the keys,
		// a quarter of the rows.
		{name: "repeated", keys: intKeys(100_000), rows: 400_000, sized: true},
		{name: "strings", keys: strKeys(120_000), rows: 240_000, sized: true},
		// The read-ahead stops at 100,000 rows, which hold about 70,000 of
		// the keys; the table grows past that.
		{name: "beyond the read-ahead", keys: intKeys(200_000), rows: 400_000, sized: true, ahead: 100_000},
		// Too few rows to size for.
		{name: "small", keys: intKeys(30_000), rows: 60_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			schema, batches, want := partialRows(t, mem, tc.keys, tc.rows, rand.New(rand.NewPCG(1, 2)))
			presized, slots, grown := runFinal(t, mem, schema, batches, want, tc.ahead)
			exec.ReleaseAll(batches)
			if !tc.sized {
				if presized != 0 || grown == 0 {
					t.Fatalf("sized for %d groups and doubled %d times; want no sizing below %d rows", presized, grown, presizeMin)
				}
				return
			}
			keys := len(tc.keys)
			if tc.ahead == 0 {
				// Sized once for all keys (the estimate is within a few
				// percent; a sixteenth is added), and never grown.
				if presized < keys || presized > keys+keys/8 || presized > tc.rows {
					t.Fatalf("sized for %d groups; the input has %d keys in %d rows", presized, keys, tc.rows)
				}
				if grown != 0 || slots != tableSize(presized) {
					t.Fatalf("table has %d slots and doubled %d times; sized for %d groups it had %d", slots, grown, presized, tableSize(presized))
				}
				return
			}
			// The read-ahead takes whole batches: the first m rows of a
			// shuffle of two rows per key hold keys·(1-(1-m/rows)²)
			// distinct keys, and the estimate cannot pass m.
			m := (tc.ahead + 8191) / 8192 * 8192
			d := float64(keys) * (1 - (1-float64(m)/float64(tc.rows))*(1-float64(m)/float64(tc.rows)))
			if float64(presized) < d || presized > m {
				t.Fatalf("sized for %d groups from %d rows read ahead holding %.0f keys", presized, m, d)
			}
			if grown == 0 || slots != tableSize(keys) {
				t.Fatalf("table has %d slots and doubled %d times; want %d slots for %d keys", slots, grown, tableSize(keys), keys)
			}
		})
	}
}

// An input that fails, or a query cancelled, while a final aggregation
// reads ahead ends it with the error; every batch read ahead is released
// (the checked allocator finds none left).
func TestFinalReadAheadErrors(t *testing.T) {
	keys := make([]any, 80_000)
	for i := range keys {
		keys[i] = int64(i)
	}
	boom := errors.New("disk gone")
	for _, tc := range []struct {
		name   string
		cancel bool
		want   error
	}{
		{name: "input error", want: boom},
		{name: "cancelled", cancel: true, want: context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			schema, batches, _ := partialRows(t, mem, keys, len(keys), rand.New(rand.NewPCG(3, 4)))
			src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{batches})
			exec.ReleaseAll(batches)
			defer src.Release()
			env := &exec.Env{Mem: mem, BatchSize: 4096}
			o, err := NewFinal(env, exectest.FailAtEnd(src, boom), 1, []Spec{{Func: Sum, Input: 1, Name: "s"}, {Func: Count, Input: 2, Name: "c"}},
				[]arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			st, err := o.Execute(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if tc.cancel {
				cancel()
			}
			_, err = st.Next()
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
