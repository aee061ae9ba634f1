package frame

import (
	"fmt"

	"github.com/gspark/gspark/planner/logical"
)

// Sample keeps each row with probability fraction (without replacement).
// The draw is seeded by seed and the partition, so the same seed over the
// same input and partitioning gives the same rows.
func (df *DataFrame) Sample(fraction float64, seed int64) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if fraction < 0 || fraction > 1 {
			return nil, fmt.Errorf("%w: sample fraction must be in [0, 1], got %g", logical.ErrAnalysis, fraction)
		}
		return &logical.Sample{Lower: 0, Upper: fraction, Seed: seed, Child: df.plan}, nil
	})
}

// RandomSplit splits the rows into len(weights) DataFrames whose sizes
// follow the weights (normalized to sum 1). Every row lands in exactly one
// of them, as long as the input is read in the same order each time (true
// of files and caches; cache a DataFrame whose order could change).
func (df *DataFrame) RandomSplit(weights []float64, seed int64) ([]*DataFrame, error) {
	if df.err != nil {
		return nil, df.err
	}
	var total float64
	for _, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("%w: randomSplit weights must be non-negative, got %v", logical.ErrAnalysis, weights)
		}
		total += w
	}
	if len(weights) == 0 || total <= 0 {
		return nil, fmt.Errorf("%w: randomSplit needs positive weights, got %v", logical.ErrAnalysis, weights)
	}
	out := make([]*DataFrame, len(weights))
	lower := 0.0
	for i, w := range weights {
		upper := lower + w/total
		if i == len(weights)-1 {
			upper = 1 // no row may fall through rounding
		}
		lo, hi := lower, upper
		out[i] = df.derive(func() (logical.Plan, error) {
			return &logical.Sample{Lower: lo, Upper: hi, Seed: seed, Child: df.plan}, nil
		})
		lower = upper
	}
	return out, nil
}
