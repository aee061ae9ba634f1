package aggregate_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
)

// TestCountMinSketchSparkExample checks Spark's documented example,
// hex(count_min_sketch(col, 0.5d, 0.5d, 1)) over (1), (2), (1), in one and
// in three partitions (through the merge of partial sketches).
func TestCountMinSketchSparkExample(t *testing.T) {
	const want = "0000000100000000000000030000000100000004000000005D8D6AB90000000000000000000000000000000200000000000000010000000000000000"
	s := arrow.NewSchema([]arrow.Field{{Name: "col", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rows := [][]any{{int64(1)}, {int64(2)}, {nil}, {int64(1)}}
	for _, parts := range []int{1, 3} {
		got := runOne(t, s, rows, parts, aggregate.Spec{Func: aggregate.CountMinSketch, Input: 0, Name: "cms", Percentages: []float64{0.5, 0.5}, Accuracy: 1})
		if h := strings.ToUpper(hex.EncodeToString(got[0].([]byte))); h != want {
			t.Errorf("%d partitions: got %s\nwant %s", parts, h, want)
		}
	}
}

// TestCountMinSketchStrings checks a deeper sketch of strings: the same
// bytes whatever the partitioning, the total count, and every row of the
// table summing to it.
func TestCountMinSketchStrings(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	var rows [][]any
	for i := 0; i < 200; i++ {
		rows = append(rows, []any{fmt.Sprintf("v%d", i%37)})
	}
	rows = append(rows, []any{nil})
	spec := aggregate.Spec{Func: aggregate.CountMinSketch, Input: 0, Name: "cms", Percentages: []float64{0.1, 0.9}, Accuracy: 7}
	one := runOne(t, s, rows, 1, spec)[0].([]byte)
	if many := runOne(t, s, rows, 5, spec)[0].([]byte); !bytes.Equal(one, many) {
		t.Fatal("the sketch depends on the partitioning")
	}
	total := binary.BigEndian.Uint64(one[4:])
	depth, width := int(binary.BigEndian.Uint32(one[12:])), int(binary.BigEndian.Uint32(one[16:]))
	if total != 200 || depth != 4 || width != 20 {
		t.Fatalf("total %d, depth %d, width %d; want 200, 4 (⌈-ln 0.1/ln 2⌉), 20 (⌈2/0.1⌉)", total, depth, width)
	}
	table := one[20+8*depth:]
	if len(table) != 8*depth*width {
		t.Fatalf("table of %d bytes, want %d", len(table), 8*depth*width)
	}
	for i := 0; i < depth; i++ {
		sum := uint64(0)
		for j := 0; j < width; j++ {
			sum += binary.BigEndian.Uint64(table[8*(i*width+j):])
		}
		if sum != total {
			t.Errorf("row %d sums to %d, want %d", i, sum, total)
		}
	}
}
