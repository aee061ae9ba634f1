package main

import (
	"fmt"

	"github.com/gspark/gspark/internal/answers"
)

// compareTables returns nil when got agrees with want row by row, in order
// (answers.Compare with every column an order key: the benchmark queries sort
// their output or return one row); otherwise an error listing the differences.
func compareTables(query, gotName string, got answers.Table, wantName string, want answers.Table) error {
	keys := make([]int, len(want.Columns))
	for i := range keys {
		keys[i] = i
	}
	if err := answers.Compare(got, want, keys); err != nil {
		return fmt.Errorf("%s: %s and %s (want) disagree:\n%w", query, gotName, wantName, err)
	}
	return nil
}
