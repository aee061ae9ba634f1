package fpm_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/fpm"
)

// The association rules of Spark's ML guide example; a rule's items are
// listed least frequent first, as Spark lists them.
func ExampleFPGrowth() {
	ctx := context.Background()
	s := frame.NewSession()
	df := s.CreateDataFrameRows([][]any{{[]any{"1", "2", "5"}}, {[]any{"1", "2", "3", "5"}}, {[]any{"1", "2"}}}, "items ARRAY<STRING>")
	model, err := fpm.NewFPGrowth().SetMinSupport(0.5).SetMinConfidence(0.6).FitModel(ctx, df)
	if err != nil {
		fmt.Println(err)
		return
	}
	var lines []string
	for _, r := range model.Rules() {
		lines = append(lines, fmt.Sprintf("%v => %v  confidence %.3f  lift %.1f", r.Antecedent, r.Consequent, r.Confidence, r.Lift))
	}
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// [1] => [2]  confidence 1.000  lift 1.0
	// [1] => [5]  confidence 0.667  lift 1.0
	// [2 1] => [5]  confidence 0.667  lift 1.0
	// [2] => [1]  confidence 1.000  lift 1.0
	// [2] => [5]  confidence 0.667  lift 1.0
	// [5 1] => [2]  confidence 1.000  lift 1.0
	// [5 2] => [1]  confidence 1.000  lift 1.0
	// [5] => [1]  confidence 1.000  lift 1.0
	// [5] => [2]  confidence 1.000  lift 1.0
}
