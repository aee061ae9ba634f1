// Package suggest finds the name a user probably meant, for the "did you
// mean …?" part of error messages across the engine, the ML library and
// the job runner.
package suggest

import (
	"slices"
	"strings"
)

// Closest returns the candidate nearest to name by case-insensitive edit
// distance (insertions, deletions, substitutions and transpositions of
// adjacent letters each cost one), if it is within max(2, len(name)/3)
// edits, else "". Ties go to the candidate first in sorted order.
func Closest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	lname := strings.ToLower(name)
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if d := Distance(lname, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return best
}

// Distance is the optimal string alignment distance of a and b, over bytes:
// the Levenshtein distance with a transposition of two adjacent bytes
// costing one edit.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1) // row i-2
	prev := make([]int, len(b)+1)  // row i-1
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
