package join

import (
	"context"
	"slices"
	"testing"
)

// The table lists every build row without a null key once, in the bucket of
// its hash, buckets in order and rows ascending within a bucket; a single
// fixed-width key is stored in the entries themselves.
func TestIndexLaysOutBucketsInRowOrder(t *testing.T) {
	// Eight rows: size 8, mask 7. Hashes chosen so buckets 1 and 5 collide.
	hash := []uint64{5, 1, 13, 9, 1, 21, 6, 17}
	null := []bool{false, false, false, true, false, false, false, false}
	vals := []uint64{50, 10, 130, 90, 11, 210, 60, 170}
	for _, tc := range []struct {
		name     string
		nullSafe []bool
		exact    bool
	}{{"exact", nil, true}, {"hashed", []bool{false}, false}} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &table{rows: len(hash), keys: keySet{
				cols: []keyCol{{kind: kindFixed, fixed: slices.Clone(vals)}},
				null: null, hash: hash,
			}}
			if err := tb.index(context.Background(), tc.nullSafe); err != nil {
				t.Fatal(err)
			}
			if tb.exact != tc.exact {
				t.Fatalf("exact = %v, want %v", tb.exact, tc.exact)
			}
			// By hand: bucket 1 = rows 1, 3 (null, left out), 4, 7 (17&7 = 1);
			// bucket 5 = rows 0, 2 (13&7), 5 (21&7); bucket 6 = row 6.
			want := map[int][]int32{1: {1, 4, 7}, 5: {0, 2, 5}, 6: {6}}
			if len(tb.start) != 9 || tb.start[8] != 7 {
				t.Fatalf("start = %v, want 9 bounds ending at 7 entries", tb.start)
			}
			for b := range 8 {
				var rows []int32
				for _, e := range tb.ents[tb.start[b]:tb.start[b+1]] {
					rows = append(rows, e.row)
					wantH := hash[e.row]
					if tc.exact {
						wantH = vals[e.row]
					}
					if e.h != wantH {
						t.Errorf("bucket %d row %d holds %d, want %d", b, e.row, e.h, wantH)
					}
				}
				if !slices.Equal(rows, want[b]) {
					t.Errorf("bucket %d lists rows %v, want %v", b, rows, want[b])
				}
			}
		})
	}
}
