package optim

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
)

// CategoricalFeatures reads Spark's categoricalFeaturesInfo from the ML
// attributes of vector column col of s (as Spark's
// MetadataUtils.getCategoricalFeatures): slot index → number of categories
// for every nominal slot (its number of values) and binary slot (2). A
// column without attributes has no categorical features; a nominal slot of
// unknown cardinality is an error, as in Spark.
func CategoricalFeatures(s *arrow.Schema, col string) (map[int]int, error) {
	idx := ml.FieldIndex(s, col)
	if idx < 0 {
		return nil, fmt.Errorf("no column %q", col)
	}
	g, ok, err := attribute.GroupFromField(s.Field(idx))
	if err != nil || !ok {
		return nil, err
	}
	out := map[int]int{}
	for i, a := range g.Attrs {
		if a.Type != attribute.Nominal && a.Type != attribute.Binary {
			continue
		}
		n, ok := a.Cardinality()
		if !ok {
			return nil, fmt.Errorf("column %q: feature %d is marked as Nominal (categorical), but it does not have the number of values specified", col, i)
		}
		out[i] = n
	}
	return out, nil
}

// catLayout says, per feature, its number of categories (0: continuous)
// and whether it is unordered (every subset of categories a candidate).
type catLayout struct {
	arity     []int
	isCat     []bool
	unordered []bool
}

// categoricalLayout decides, as Spark's DecisionTreeMetadata, which of the
// d features are categorical and which of those unordered, for numRows
// training rows.
func categoricalLayout(cfg TreeConfig, d, numRows int) (catLayout, error) {
	c := catLayout{arity: make([]int, d), isCat: make([]bool, d), unordered: make([]bool, d)}
	if len(cfg.Categorical) == 0 {
		return c, nil
	}
	maxPossibleBins := min(cfg.MaxBins, numRows)
	// Spark names the feature holding the most categories (the lowest index
	// on ties here, where Spark's map order decides).
	keys := make([]int, 0, len(cfg.Categorical))
	for j := range cfg.Categorical {
		keys = append(keys, j)
	}
	sort.Ints(keys)
	maxCat, maxFeature := -1, -1
	for _, j := range keys {
		k := cfg.Categorical[j]
		if j < 0 || j >= d {
			return c, fmt.Errorf("categorical feature %d is outside the %d features", j, d)
		}
		if k < 1 {
			return c, fmt.Errorf("categorical feature %d has %d categories, want at least 1", j, k)
		}
		if k > maxCat {
			maxCat, maxFeature = k, j
		}
	}
	if maxCat > maxPossibleBins {
		return c, fmt.Errorf("DecisionTree requires maxBins (= %d) to be at least as large as the number of values in each categorical feature, but categorical feature %d has %d values. Considering remove this and other categorical features with a large number of values, or add more training examples",
			maxPossibleBins, maxFeature, maxCat)
	}
	maxUnordered := 0
	if cfg.NumClasses > 2 {
		maxUnordered = int(math.Floor(math.Log(float64(maxPossibleBins/2+1))/math.Log(2) + 1))
	}
	for _, j := range keys {
		k := cfg.Categorical[j]
		if k <= 1 {
			continue // Spark treats a single category as a continuous feature
		}
		c.arity[j], c.isCat[j] = k, true
		c.unordered[j] = k <= maxUnordered
	}
	return c, nil
}

// bestCategoricalSplit returns the best split of a categorical feature with
// k categories whose per-category statistics (S values each) are catStats:
// its gain and its left categories in ascending order (nil when no split
// is allowed). gainOf scores a left child's statistics. Ties keep the
// first candidate, in Spark's order.
func bestCategoricalSplit(catStats []float64, k, S int, unordered bool, cfg TreeConfig, classif bool,
	gainOf func(left []float64) (float64, bool)) (float64, []float64) {
	left := make([]float64, S)
	best, bestAt := math.Inf(-1), -1
	if unordered {
		// Split s sends left the categories whose bit is set in s.
		for s := 1; s < 1<<(k-1); s++ {
			clear(left)
			for c := 0; c < k; c++ {
				if s&(1<<c) != 0 {
					for q := 0; q < S; q++ {
						left[q] += catStats[c*S+q]
					}
				}
			}
			if g, ok := gainOf(left); ok && g > best {
				best, bestAt = g, s
			}
		}
		if bestAt < 0 {
			return 0, nil
		}
		out := make([]float64, 0, bits.OnesCount(uint(bestAt)))
		for c := 0; c < k; c++ {
			if bestAt&(1<<c) != 0 {
				out = append(out, float64(c))
			}
		}
		return best, out
	}
	// Ordered: categories sorted by their centroid, then prefixes.
	centroid := make([]float64, k)
	for c := range centroid {
		st := catStats[c*S : (c+1)*S]
		switch {
		case st[S-1] == 0:
			centroid[c] = math.MaxFloat64
		case classif && cfg.NumClasses > 2:
			centroid[c] = impurity(cfg.Impurity, st[:S-1], true)
		case classif:
			centroid[c] = st[1]
		default:
			centroid[c] = prediction(st[:S-1], false)
		}
	}
	order := make([]int, k)
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case centroid[a] < centroid[b]:
			return -1
		case centroid[a] > centroid[b]:
			return 1
		}
		return 0
	})
	for s := 0; s < k-1; s++ {
		c := order[s]
		for q := 0; q < S; q++ {
			left[q] += catStats[c*S+q]
		}
		if g, ok := gainOf(left); ok && g > best {
			best, bestAt = g, s
		}
	}
	if bestAt < 0 {
		return 0, nil
	}
	out := make([]float64, bestAt+1)
	for i, c := range order[:bestAt+1] {
		out[i] = float64(c)
	}
	slices.Sort(out)
	return best, out
}
