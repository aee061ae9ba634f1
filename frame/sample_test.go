package frame_test

import (
	"context"
	"reflect"
	"testing"

	F "github.com/gspark/gspark/frame/functions"
)

func TestSampleIsSeededAndRandomSplitPartitions(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			keys := s.Table("samples.orders").Select(F.Col("o_orderkey"))
			total, err := keys.Count(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			a := sortedStrRows(collect(t, keys.Sample(0.1, 7)))
			b := sortedStrRows(collect(t, keys.Sample(0.1, 7)))
			if !reflect.DeepEqual(a, b) {
				t.Fatal("the same seed gave different samples")
			}
			// 15000 orders at 10%: 1500 expected, standard deviation ~37.
			if n := len(a); n < 1300 || n > 1700 {
				t.Fatalf("sample(0.1) kept %d of %d rows", n, total)
			}
			if c := sortedStrRows(collect(t, keys.Sample(0.1, 8))); reflect.DeepEqual(a, c) {
				t.Fatal("another seed gave the same sample")
			}
			parts, err := keys.RandomSplit([]float64{3, 1}, 42)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			var sizes []int
			for _, p := range parts {
				rows := sortedStrRows(collect(t, p))
				sizes = append(sizes, len(rows))
				for _, r := range rows {
					seen[r]++
				}
			}
			if int64(len(seen)) != total {
				t.Fatalf("randomSplit covered %d distinct rows of %d", len(seen), total)
			}
			for r, n := range seen {
				if n != 1 {
					t.Fatalf("row %s in %d splits", r, n)
				}
			}
			if sizes[0] < 10800 || sizes[0] > 11700 {
				t.Fatalf("split sizes %v, want about 3:1", sizes)
			}
		})
	}
}
