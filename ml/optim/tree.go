package optim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gspark/gspark/ml/progress"
)

// TreeConfig controls GrowTree, with Spark's decision-tree params.
type TreeConfig struct {
	MaxDepth            int     // a tree of depth 0 is a single leaf
	MaxBins             int     // candidate thresholds per feature are at most MaxBins−1
	MinInstancesPerNode int     // every child keeps at least this many rows
	MinInfoGain         float64 // a split must gain at least this much
	// Impurity is "gini" or "entropy" (classification, NumClasses > 0) or
	// "variance" (regression).
	Impurity   string
	NumClasses int
	// FeaturesPerNode, when in (0, D), is the number of features each node
	// draws at random (without replacement, seeded by Seed and the node's
	// index) to choose its split from; otherwise every feature is tried.
	FeaturesPerNode int
	Seed            uint64
	// Categorical maps a feature index to its number of categories (Spark's
	// categoricalFeaturesInfo, see CategoricalFeatures): such a feature takes
	// the values 0, 1, …, k−1 and is split into two sets of categories (see
	// GrowTree). Features left out, and those with a single category, are
	// continuous.
	Categorical map[int]int
}

// TreeNode is a node of a fitted tree: a leaf, or a split sending rows
// to Left or Right (indices into the node slice). A continuous split
// (NumCategories 0) sends rows with x[Feature] <= Threshold left; a
// categorical split (Spark's CategoricalSplit, NumCategories k > 0) sends
// rows whose x[Feature] is one of Categories (sorted ascending) left, see
// GoesLeft. Stats are the weighted class counts (classification) or
// [Σw, Σw·y, Σw·y²] (regression) of the training rows that reached it.
type TreeNode struct {
	Leaf       bool      `json:"leaf"`
	Feature    int       `json:"feature"`
	Threshold  float64   `json:"threshold"`
	Left       int       `json:"left"`
	Right      int       `json:"right"`
	Prediction float64   `json:"prediction"`
	Impurity   float64   `json:"impurity"`
	Gain       float64   `json:"gain"`
	Count      float64   `json:"count"`
	Stats      []float64 `json:"stats"`
	// Categories are the categories a categorical split sends left, and
	// NumCategories the feature's number of categories (0 for a continuous
	// split or a leaf).
	Categories    []float64 `json:"categories,omitempty"`
	NumCategories int       `json:"numCategories,omitempty"`
}

// Categorical reports whether n is a categorical split.
func (n *TreeNode) Categorical() bool { return !n.Leaf && n.NumCategories > 0 }

// GoesLeft reports whether a row with features x goes to the left child of
// split node n. A categorical split decides as Spark's CategoricalSplit:
// when Categories are at most half of NumCategories (integer division), a
// value goes left exactly when it is one of them; otherwise it goes right
// exactly when it is one of the other categories 0…k−1. So a value that is
// no category of the feature (unseen in training, e.g. k or more) goes
// right in the first case and left in the second, as in Spark.
func (n *TreeNode) GoesLeft(x []float64) bool {
	v := x[n.Feature]
	if n.NumCategories <= 0 {
		return v <= n.Threshold
	}
	in := slices.Contains(n.Categories, v)
	if len(n.Categories) <= n.NumCategories/2 {
		return in
	}
	isOther := !in && v >= 0 && v < float64(n.NumCategories) && v == math.Trunc(v)
	return !isOther
}

// Splits returns the candidate thresholds of each feature as Spark's
// findSplits does for continuous features: with at most maxBins−1 distinct
// values, the midpoints between consecutive distinct values; otherwise
// midpoints at about maxBins−1 weighted quantiles. All rows are used (Spark
// samples beyond max(maxBins², 10000) rows).
func Splits(blocks []*Block, maxBins int) [][]float64 {
	return splitsOf(blocks, maxBins, nil)
}

// splitsOf is Splits leaving the features with skip[j] set without
// thresholds (skip may be nil).
func splitsOf(blocks []*Block, maxBins int, skip []bool) [][]float64 {
	d := blocks[0].D
	out := make([][]float64, d)
	type vw struct{ v, w float64 }
	for j := 0; j < d; j++ {
		if skip != nil && skip[j] {
			continue
		}
		var vals []vw
		for _, b := range blocks {
			for i := 0; i < b.N; i++ {
				vals = append(vals, vw{b.X[i*d+j], b.W[i]})
			}
		}
		slices.SortFunc(vals, func(a, b vw) int {
			switch {
			case a.v < b.v:
				return -1
			case a.v > b.v:
				return 1
			}
			return 0
		})
		var distinct []vw
		for _, x := range vals {
			if x.w == 0 {
				continue
			}
			if n := len(distinct); n > 0 && distinct[n-1].v == x.v {
				distinct[n-1].w += x.w
				continue
			}
			distinct = append(distinct, x)
		}
		numSplits := maxBins - 1
		if len(distinct) <= 1 {
			continue
		}
		if len(distinct)-1 <= numSplits {
			for k := 1; k < len(distinct); k++ {
				out[j] = append(out[j], (distinct[k-1].v+distinct[k].v)/2)
			}
			continue
		}
		total := 0.0
		for _, x := range distinct {
			total += x.w
		}
		stride := total / float64(numSplits+1)
		target := stride
		cum := distinct[0].w
		for k := 1; k < len(distinct); k++ {
			prev := cum
			cum += distinct[k].w
			// Split before value k when the cumulative weight crosses the target
			// closer after k−1 than after k, as Spark's quantile walk.
			if math.Abs(prev-target) < math.Abs(cum-target) {
				out[j] = append(out[j], (distinct[k-1].v+distinct[k].v)/2)
				target += stride
			}
		}
	}
	return out
}

// GrowTree grows a tree level by level: for every node of the frontier the
// per-bin statistics are aggregated over the blocks in parallel (one
// goroutine per block, summed in block order), then each node takes the
// split of highest gain (first feature, then first candidate, on ties).
//
// Continuous features have the thresholds of Splits as candidates.
// Categorical features (cfg.Categorical) follow Spark's RandomForest: in
// multiclass classification (more than 2 classes) a feature with few
// categories (k ≤ ⌊log2(⌊maxBins/2⌋+1)⌋+1, maxBins capped at the number of
// rows) is unordered, and every one of its 2^(k−1)−1 splits into two
// non-empty sets is a candidate (split s, 1 ≤ s < 2^(k−1), sends left the
// categories whose bit is set in s). Every other categorical feature is
// ordered: its categories are sorted (stably) by a centroid — the weighted
// count of class 1 in binary classification, the impurity in multiclass,
// the mean label in regression; empty categories last — and the k−1
// prefixes of that order are the candidate left sets. maxBins must be at
// least every categorical feature's number of categories.
func GrowTree(ctx context.Context, blocks []*Block, cfg TreeConfig) ([]TreeNode, error) {
	classif := cfg.NumClasses > 0
	switch {
	case classif && cfg.Impurity != "gini" && cfg.Impurity != "entropy":
		return nil, fmt.Errorf("impurity %q is not a classification impurity", cfg.Impurity)
	case !classif && cfg.Impurity != "variance":
		return nil, fmt.Errorf("impurity %q is not a regression impurity", cfg.Impurity)
	}
	d := blocks[0].D
	numRows := 0
	for _, b := range blocks {
		numRows += b.N
	}
	cats, err := categoricalLayout(cfg, d, numRows)
	if err != nil {
		return nil, err
	}
	splits := splitsOf(blocks, cfg.MaxBins, cats.isCat)
	// Bin index of every value: the number of thresholds below it, or the
	// category of a categorical feature.
	bins := make([][]uint16, len(blocks))
	for p, b := range blocks {
		bins[p] = make([]uint16, b.N*d)
		for i := 0; i < b.N; i++ {
			for j := 0; j < d; j++ {
				v := b.X[i*d+j]
				if k := cats.arity[j]; k > 0 {
					if v < 0 || v >= float64(k) || v != math.Trunc(v) {
						return nil, fmt.Errorf("DecisionTree given invalid data: Feature %d is categorical with values in {0,...,%d}, but a data point gives it value %v", j, k-1, v)
					}
					bins[p][i*d+j] = uint16(v)
					continue
				}
				k, _ := slices.BinarySearch(splits[j], v)
				bins[p][i*d+j] = uint16(k)
			}
		}
	}
	offsets := make([]int, d+1) // start of feature j's bins
	for j := 0; j < d; j++ {
		nb := len(splits[j]) + 1
		if cats.arity[j] > 0 {
			nb = cats.arity[j]
		}
		offsets[j+1] = offsets[j] + nb
	}
	nbins := offsets[d]
	S := 4 // regression: Σw, Σwy, Σwy², count
	if classif {
		S = cfg.NumClasses + 1 // class weights, count
	}
	rowNode := make([][]int32, len(blocks))
	for p, b := range blocks {
		rowNode[p] = make([]int32, b.N)
	}
	allFeatures := make([]int, d)
	for j := range allFeatures {
		allFeatures[j] = j
	}
	nodes := []TreeNode{{}}
	frontier := []int{0}
	for depth := 0; len(frontier) > 0; depth++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		slot := make(map[int]int, len(frontier))
		for s, n := range frontier {
			slot[n] = s
		}
		acc, err := Reduce(ctx, blocks, len(frontier)*nbins*S, func(b *Block, a []float64) {
			p := slices.Index(blocks, b)
			for i := 0; i < b.N; i++ {
				s, ok := slot[int(rowNode[p][i])]
				if !ok {
					continue
				}
				base := s * nbins * S
				w := b.W[i]
				if w == 0 {
					continue // e.g. left out of a bootstrap sample
				}
				for j := 0; j < d; j++ {
					o := base + (offsets[j]+int(bins[p][i*d+j]))*S
					if classif {
						a[o+int(b.Y[i])] += w
						a[o+S-1]++
					} else {
						y := b.Y[i]
						a[o] += w
						a[o+1] += w * y
						a[o+2] += w * y * y
						a[o+3]++
					}
				}
			}
		})
		if err != nil {
			return nil, err
		}
		var next []int
		for s, n := range frontier {
			base := s * nbins * S
			// Node totals from feature 0's bins.
			tot := make([]float64, S)
			for k := 0; k < offsets[1]; k++ {
				for q := 0; q < S; q++ {
					tot[q] += acc[base+k*S+q]
				}
			}
			node := &nodes[n]
			node.Stats = append([]float64(nil), tot[:S-1]...)
			node.Count = tot[S-1]
			node.Impurity = impurity(cfg.Impurity, tot[:S-1], classif)
			node.Prediction = prediction(tot[:S-1], classif)
			node.Leaf = true
			if depth >= cfg.MaxDepth || node.Impurity == 0 {
				continue
			}
			bestGain, bestF, bestT := math.Inf(-1), -1, 0.0
			var bestCats []float64
			right := make([]float64, S)
			wTot := weightOf(tot[:S-1], classif)
			// gainOf is the gain of sending the rows of left to the left
			// child, or false when the split is not allowed.
			gainOf := func(left []float64) (float64, bool) {
				for q := 0; q < S; q++ {
					right[q] = tot[q] - left[q]
				}
				if left[S-1] < float64(cfg.MinInstancesPerNode) || right[S-1] < float64(cfg.MinInstancesPerNode) {
					return 0, false
				}
				wl, wr := weightOf(left[:S-1], classif), weightOf(right[:S-1], classif)
				if wl <= 0 || wr <= 0 {
					return 0, false
				}
				gain := node.Impurity - wl/wTot*impurity(cfg.Impurity, left[:S-1], classif) - wr/wTot*impurity(cfg.Impurity, right[:S-1], classif)
				return gain, gain >= cfg.MinInfoGain
			}
			feats := allFeatures
			if cfg.FeaturesPerNode > 0 && cfg.FeaturesPerNode < d {
				r := rand.New(rand.NewPCG(cfg.Seed, uint64(n)))
				feats = r.Perm(d)[:cfg.FeaturesPerNode]
				slices.Sort(feats)
			}
			left := make([]float64, S)
			for _, j := range feats {
				fo := base + offsets[j]*S
				if k := cats.arity[j]; k > 0 {
					g, c := bestCategoricalSplit(acc[fo:fo+k*S], k, S, cats.unordered[j], cfg, classif, gainOf)
					if c != nil && g > bestGain {
						bestGain, bestF, bestT, bestCats = g, j, 0, c
					}
					continue
				}
				clear(left)
				for k := 0; k < len(splits[j]); k++ {
					o := fo + k*S
					for q := 0; q < S; q++ {
						left[q] += acc[o+q]
					}
					gain, ok := gainOf(left)
					if ok && gain > bestGain {
						bestGain, bestF, bestT, bestCats = gain, j, splits[j][k], nil
					}
				}
			}
			if bestF < 0 || bestGain <= 0 {
				continue
			}
			l, r := len(nodes), len(nodes)+1
			node.Leaf, node.Feature, node.Threshold, node.Gain, node.Left, node.Right = false, bestF, bestT, bestGain, l, r
			if bestCats != nil {
				node.Categories, node.NumCategories = bestCats, cats.arity[bestF]
			}
			nodes = append(nodes, TreeNode{}, TreeNode{})
			next = append(next, l, r)
		}
		if len(next) == 0 {
			break
		}
		// Route the rows of the split nodes to their children.
		if _, err := Reduce(ctx, blocks, 0, func(b *Block, _ []float64) {
			p := slices.Index(blocks, b)
			for i := 0; i < b.N; i++ {
				nd := &nodes[rowNode[p][i]]
				if nd.Leaf {
					continue
				}
				if _, ok := slot[int(rowNode[p][i])]; !ok {
					continue
				}
				if nd.GoesLeft(b.Row(i)) {
					rowNode[p][i] = int32(nd.Left)
				} else {
					rowNode[p][i] = int32(nd.Right)
				}
			}
		}); err != nil {
			return nil, err
		}
		frontier = next
	}
	return nodes, nil
}

func weightOf(stats []float64, classif bool) float64 {
	if !classif {
		return stats[0]
	}
	s := 0.0
	for _, v := range stats {
		s += v
	}
	return s
}

func impurity(kind string, stats []float64, classif bool) float64 {
	w := weightOf(stats, classif)
	if w <= 0 {
		return 0
	}
	switch kind {
	case "gini":
		g := 1.0
		for _, c := range stats {
			p := c / w
			g -= p * p
		}
		return g
	case "entropy":
		e := 0.0
		for _, c := range stats {
			if c > 0 {
				p := c / w
				e -= p * math.Log2(p)
			}
		}
		return e
	}
	m := stats[1] / w
	return math.Max(stats[2]/w-m*m, 0)
}

func prediction(stats []float64, classif bool) float64 {
	if !classif {
		if stats[0] <= 0 {
			return 0
		}
		return stats[1] / stats[0]
	}
	best := 0
	for k, v := range stats {
		if v > stats[best] {
			best = k
		}
	}
	return float64(best)
}

// PredictTree returns the leaf x reaches.
func PredictTree(nodes []TreeNode, x []float64) *TreeNode {
	n := &nodes[0]
	for !n.Leaf {
		if n.GoesLeft(x) {
			n = &nodes[n.Left]
		} else {
			n = &nodes[n.Right]
		}
	}
	return n
}

// FeatureImportances returns, as Spark, each feature's total gain weighted
// by the weight of the nodes split on it, normalized to sum 1. classif
// tells how to read the node statistics.
func FeatureImportances(nodes []TreeNode, d int, classif bool) []float64 {
	imp := make([]float64, d)
	total := 0.0
	for _, n := range nodes {
		if n.Leaf || n.Feature >= d {
			continue
		}
		v := n.Gain * weightOf(n.Stats, classif)
		imp[n.Feature] += v
		total += v
	}
	if total > 0 {
		for j := range imp {
			imp[j] /= total
		}
	}
	return imp
}

// CheckTree validates loaded nodes: children in range and after their
// parent, features below d, left categories of categorical splits within
// their features' categories, and (statsLen > 0) statistics of that length.
func CheckTree(nodes []TreeNode, d, statsLen int) error {
	if len(nodes) == 0 {
		return fmt.Errorf("tree has no nodes")
	}
	for i, n := range nodes {
		if statsLen > 0 && len(n.Stats) != statsLen {
			return fmt.Errorf("tree node %d has %d statistics, want %d", i, len(n.Stats), statsLen)
		}
		if n.Leaf {
			continue
		}
		if n.Feature < 0 || n.Feature >= d || n.Left <= i || n.Right <= i || n.Left >= len(nodes) || n.Right >= len(nodes) {
			return fmt.Errorf("tree node %d is malformed", i)
		}
		if n.NumCategories < 0 {
			return fmt.Errorf("tree node %d has %d categories", i, n.NumCategories)
		}
		for _, c := range n.Categories {
			if n.NumCategories == 0 || c < 0 || c >= float64(n.NumCategories) || c != math.Trunc(c) {
				return fmt.Errorf("tree node %d: left category %v of feature %d is not one of 0..%d", i, c, n.Feature, n.NumCategories-1)
			}
		}
	}
	return nil
}

// ForestConfig controls GrowForest.
type ForestConfig struct {
	Tree            TreeConfig
	NumTrees        int
	Bootstrap       bool    // sample rows with replacement (Poisson weights)
	SubsamplingRate float64 // the expected share of rows each tree sees
	Seed            uint64
}

// GrowForest grows NumTrees trees, each on its own sample of the rows: with
// Bootstrap every row's weight is multiplied by a Poisson(SubsamplingRate)
// draw, otherwise rows are kept with probability SubsamplingRate. The draws
// walk the rows in block order from a generator seeded by Seed and the tree
// index, and the per-node feature subsets are seeded by the tree and node,
// so the forest depends on the seed and the row order, not on the
// partitioning.
func GrowForest(ctx context.Context, blocks []*Block, cfg ForestConfig) ([][]TreeNode, error) {
	trees := make([][]TreeNode, cfg.NumTrees)
	for t := range trees {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sample := blocks
		if cfg.Bootstrap || cfg.SubsamplingRate < 1 {
			r := rand.New(rand.NewPCG(cfg.Seed, uint64(t)+1))
			sample = make([]*Block, len(blocks))
			for p, b := range blocks {
				nb := *b
				nb.W = make([]float64, b.N)
				for i, w := range b.W {
					switch {
					case cfg.Bootstrap:
						nb.W[i] = w * float64(poisson(r, cfg.SubsamplingRate))
					case r.Float64() < cfg.SubsamplingRate:
						nb.W[i] = w
					}
				}
				sample[p] = &nb
			}
		}
		tc := cfg.Tree
		tc.Seed = cfg.Seed ^ (uint64(t)+1)*0x9e3779b97f4a7c15
		nodes, err := GrowTree(ctx, sample, tc)
		if err != nil {
			return nil, err
		}
		trees[t] = nodes
		progress.Report(ctx, "tree", t+1, len(trees))
	}
	return trees, nil
}

// poisson draws from a Poisson distribution of mean lambda (Knuth's method,
// fine for the small means sampling uses).
func poisson(r *rand.Rand, lambda float64) int {
	l := math.Exp(-lambda)
	k, p := 0, r.Float64()
	for p > l {
		k++
		p *= r.Float64()
	}
	return k
}

// FeaturesPerNode resolves Spark's featureSubsetStrategy for d features:
// "all", "sqrt", "log2", "onethird", an integer count or a fraction in
// (0, 1]; "auto" is "all" for a single tree, else "sqrt" (classification)
// or "onethird" (regression).
func FeaturesPerNode(strategy string, d, numTrees int, classification bool) (int, error) {
	if strategy == "auto" {
		switch {
		case numTrees == 1:
			strategy = "all"
		case classification:
			strategy = "sqrt"
		default:
			strategy = "onethird"
		}
	}
	switch strategy {
	case "all":
		return d, nil
	case "sqrt":
		return int(math.Ceil(math.Sqrt(float64(d)))), nil
	case "log2":
		return max(1, int(math.Ceil(math.Log2(float64(d))))), nil
	case "onethird":
		return int(math.Ceil(float64(d) / 3)), nil
	}
	var n int
	if _, err := fmt.Sscanf(strategy, "%d", &n); err == nil && fmt.Sprint(n) == strategy {
		if n < 1 {
			return 0, fmt.Errorf("featureSubsetStrategy %q must be positive", strategy)
		}
		return min(n, d), nil
	}
	var f float64
	if _, err := fmt.Sscanf(strategy, "%g", &f); err == nil && f > 0 && f <= 1 {
		return max(1, int(math.Ceil(f*float64(d)))), nil
	}
	return 0, fmt.Errorf("invalid featureSubsetStrategy %q: use auto, all, sqrt, log2, onethird, an integer or a fraction in (0, 1]", strategy)
}
