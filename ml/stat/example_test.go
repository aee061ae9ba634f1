package stat_test

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/stat"
)

// The ChiSquareTest example of Spark's ML guide, with its printed result.
func ExampleChiSquareTest() {
	type row struct {
		Label    float64             `gspark:"label"`
		Features *linalg.DenseVector `gspark:"features"`
	}
	s := frame.NewSession()
	df := s.CreateDataFrame([]row{
		{0, linalg.Dense(0.5, 10)}, {0, linalg.Dense(1.5, 20)}, {1, linalg.Dense(1.5, 30)},
		{0, linalg.Dense(3.5, 30)}, {0, linalg.Dense(3.5, 40)}, {1, linalg.Dense(3.5, 40)},
	})
	r, err := stat.ChiSquareTest(context.Background(), df, "features", "label")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("pValues: %.10f\ndegreesOfFreedom: %v\nstatistics: %v\n", r.PValues, r.DegreesOfFreedom, r.Statistics)
	// Output:
	// pValues: [0.6872892788 0.6822703303]
	// degreesOfFreedom: [2 3]
	// statistics: [0.75 1.5]
}

// Spark's Summarizer example: weighted and unweighted means and variances.
func ExampleSummarize() {
	type row struct {
		Features *linalg.DenseVector `gspark:"features"`
		Weight   float64             `gspark:"weight"`
	}
	s := frame.NewSession()
	df := s.CreateDataFrame([]row{{linalg.Dense(2, 3, 5), 1}, {linalg.Dense(4, 6, 7), 2}})
	ctx := context.Background()
	w, err := stat.Summarize(ctx, df, "features", "weight")
	if err != nil {
		fmt.Println(err)
		return
	}
	u, err := stat.Summarize(ctx, df, "features", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("weighted mean %.4f variance %.4f\nmean %.4f variance %.4f\n", w.Mean, w.Variance, u.Mean, u.Variance)
	// Output:
	// weighted mean [3.3333 5.0000 6.3333] variance [2.0000 4.5000 2.0000]
	// mean [3.0000 4.5000 6.0000] variance [2.0000 4.5000 2.0000]
}
