package optim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
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
// midpoints at about maxBins−1 weighted quantiles. As in Spark, beyond
// max(maxBins², 10000) rows the thresholds come from a sample of about that
// many rows; a row is in the sample by a hash of its position in block
// order, so the sample does not depend on the partitioning.
func Splits(blocks []*Block, maxBins int) [][]float64 {
	return splitsOf(blocks, maxBins, nil)
}

// splitsOf is Splits leaving the features with skip[j] set without
// thresholds (skip may be nil).
func splitsOf(blocks []*Block, maxBins int, skip []bool) [][]float64 {
	d := blocks[0].D
	out := make([][]float64, d)
	numRows := 0
	for _, b := range blocks {
		numRows += b.N
	}
	keep := 1.0
	if req := max(maxBins*maxBins, 10000); req < numRows {
		keep = float64(req) / float64(numRows)
	}
	type ref struct{ b, i int }
	var rows []ref
	g := 0
	for p, b := range blocks {
		for i := 0; i < b.N; i, g = i+1, g+1 {
			if keep >= 1 || hashUnit(splitSampleSeed, uint64(g)) < keep {
				rows = append(rows, ref{p, i})
			}
		}
	}
	type vw struct{ v, w float64 }
	vals := make([]vw, len(rows))
	for j := 0; j < d; j++ {
		if skip != nil && skip[j] {
			continue
		}
		for k, r := range rows {
			b := blocks[r.b]
			vals[k] = vw{b.X[r.i*d+j], b.W[r.i]}
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

// splitSampleSeed seeds the row sample of splitsOf.
const splitSampleSeed = 0x5eed5eed

// hashUnit maps (seed, i) to a uniform number in [0, 1) (SplitMix64).
func hashUnit(seed, i uint64) float64 {
	z := seed*0x9e3779b97f4a7c15 + i*0xbf58476d1ce4e5b9 + 0x94d049bb133111eb
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// binnedData is the training features of a tree, forest or boosting run,
// binned once: every value replaced by its bin (the number of thresholds
// of its feature below it, or its category), stored column by column per
// block in one byte when every feature has at most 256 bins, else two.
type binnedData struct {
	d       int
	splits  [][]float64
	cats    catLayout
	offsets []int // start of feature j's bins in a node histogram
	nbins   int
	n       []int        // rows per block
	cols8   [][][]uint8  // [block][feature][row]
	cols16  [][][]uint16 // used instead of cols8 when some feature has more than 256 bins
}

// checkTreeConfig validates the impurity against the kind of tree.
func checkTreeConfig(cfg TreeConfig) error {
	classif := cfg.NumClasses > 0
	switch {
	case classif && cfg.Impurity != "gini" && cfg.Impurity != "entropy":
		return fmt.Errorf("impurity %q is not a classification impurity", cfg.Impurity)
	case !classif && cfg.Impurity != "variance":
		return fmt.Errorf("impurity %q is not a regression impurity", cfg.Impurity)
	}
	return nil
}

// parallel runs fn(p) for every block p on its own goroutine and returns
// the error of the lowest block that failed.
func parallel(ctx context.Context, nblocks int, what string, fn func(p int) error) error {
	errs := make([]error, nblocks)
	var g errgroup.Group
	for p := 0; p < nblocks; p++ {
		g.Go(func() (err error) {
			defer func() { errs[p] = err }()
			defer exec.Recover(&err, fmt.Sprintf("ml/optim.%s (block %d)", what, p))
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(p)
		})
	}
	_ = g.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// binBlocks finds the thresholds of the continuous features and bins every
// value of blocks, checking that categorical values are categories.
func binBlocks(ctx context.Context, blocks []*Block, cfg TreeConfig) (*binnedData, error) {
	d := blocks[0].D
	numRows := 0
	for _, b := range blocks {
		numRows += b.N
	}
	cats, err := categoricalLayout(cfg, d, numRows)
	if err != nil {
		return nil, err
	}
	bd := &binnedData{d: d, cats: cats, splits: splitsOf(blocks, cfg.MaxBins, cats.isCat), offsets: make([]int, d+1), n: make([]int, len(blocks))}
	wide := false
	for j := 0; j < d; j++ {
		nb := len(bd.splits[j]) + 1
		if cats.arity[j] > 0 {
			nb = cats.arity[j]
		}
		wide = wide || nb > 256
		bd.offsets[j+1] = bd.offsets[j] + nb
	}
	bd.nbins = bd.offsets[d]
	if wide {
		bd.cols16 = make([][][]uint16, len(blocks))
	} else {
		bd.cols8 = make([][][]uint8, len(blocks))
	}
	err = parallel(ctx, len(blocks), "binBlocks", func(p int) error {
		b := blocks[p]
		bd.n[p] = b.N
		var c8 [][]uint8
		var c16 [][]uint16
		if wide {
			c16 = make([][]uint16, d)
		} else {
			c8 = make([][]uint8, d)
		}
		for j := 0; j < d; j++ {
			if wide {
				c16[j] = make([]uint16, b.N)
			} else {
				c8[j] = make([]uint8, b.N)
			}
		}
		for i := 0; i < b.N; i++ {
			for j, v := range b.X[i*d : (i+1)*d] {
				var bin int
				if k := cats.arity[j]; k > 0 {
					if v < 0 || v >= float64(k) || v != math.Trunc(v) {
						return fmt.Errorf("DecisionTree given invalid data: Feature %d is categorical with values in {0,...,%d}, but a data point gives it value %v", j, k-1, v)
					}
					bin = int(v)
				} else {
					bin = numBelow(bd.splits[j], v)
				}
				if wide {
					c16[j][i] = uint16(bin)
				} else {
					c8[j][i] = uint8(bin)
				}
			}
		}
		if wide {
			bd.cols16[p] = c16
		} else {
			bd.cols8[p] = c8
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return bd, nil
}

// numBelow returns how many of the ascending thresholds sp are below v (as
// slices.BinarySearch's index), halving the range without data-dependent
// branches.
func numBelow(sp []float64, v float64) int {
	lo, n := 0, len(sp)
	for n > 1 {
		half := n / 2
		if sp[lo+half-1] < v {
			lo += half
		}
		n -= half
	}
	if n == 1 && sp[lo] < v {
		lo++
	}
	return lo
}

// GrowTree grows a tree level by level, as Spark: the features are binned
// once (Splits' thresholds); for the nodes of a level, per-bin statistics
// are summed over the rows of each node in every block in parallel (one
// goroutine per block, summed in block order), then each node takes the
// split of highest gain (first feature, then first candidate, on ties).
// When every node tries every feature, only the child with fewer rows of
// each split is summed; its sibling's statistics are its parent's minus
// its own. Rows of weight 0 are left out.
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
	if err := checkTreeConfig(cfg); err != nil {
		return nil, err
	}
	bd, err := binBlocks(ctx, blocks, cfg)
	if err != nil {
		return nil, err
	}
	w, y := make([][]float64, len(blocks)), make([][]float64, len(blocks))
	for p, b := range blocks {
		w[p], y[p] = b.W, b.Y
	}
	return growBinned(ctx, bd, w, y, cfg, nil)
}

// levelNode is a node of the level being grown.
type levelNode struct {
	id     int       // index in the node slice
	lo, hi []int     // the node's rows in each block: order[p][lo[p]:hi[p]]
	stats  []float64 // totals (S values) known from the parent's split; nil for the root
	feats  []int     // features whose statistics the node needs
	hist   []float64 // per-bin statistics, nbins×S
	parent []float64 // the parent's hist, when the node may be derived from it
	sib    *levelNode
	build  bool // summed over the rows (else derived as parent − sibling)
}

// growBinned grows one tree over binned features with per-block weights w
// and labels (class indices) or targets y. With leafOf non-nil, leafOf[p][i]
// is set to the leaf row i of block p reaches (rows of weight 0 keep −1).
func growBinned(ctx context.Context, bd *binnedData, w, y [][]float64, cfg TreeConfig, leafOf [][]int32) ([]TreeNode, error) {
	classif := cfg.NumClasses > 0
	d, P := bd.d, len(bd.n)
	S := 4 // regression: Σw, Σwy, Σwy², count
	if classif {
		S = cfg.NumClasses + 1 // class weights, count
	}
	subsetting := cfg.FeaturesPerNode > 0 && cfg.FeaturesPerNode < d
	allFeatures := make([]int, d)
	for j := range allFeatures {
		allFeatures[j] = j
	}
	// order[p] lists the rows of block p of positive weight, grouped by node.
	order, scratch := make([][]int32, P), make([][]int32, P)
	root := &levelNode{id: 0, lo: make([]int, P), hi: make([]int, P)}
	if err := parallel(ctx, P, "GrowTree", func(p int) error {
		o := make([]int32, 0, bd.n[p])
		for i, wi := range w[p][:bd.n[p]] {
			if wi != 0 {
				o = append(o, int32(i))
			}
		}
		if leafOf != nil {
			for i := range leafOf[p] {
				leafOf[p][i] = -1
			}
		}
		order[p], scratch[p], root.hi[p] = o, make([]int32, len(o)), len(o)
		return nil
	}); err != nil {
		return nil, err
	}
	nodes := []TreeNode{{}}
	level := []*levelNode{root}
	var leaves []*levelNode
	markLeaf := func(ln *levelNode) {
		if leafOf != nil {
			leaves = append(leaves, ln)
		}
	}
	setStats := func(node *TreeNode, tot []float64) {
		node.Stats = append([]float64(nil), tot[:S-1]...)
		node.Count = tot[S-1]
		node.Impurity = impurity(cfg.Impurity, tot[:S-1], classif)
		node.Prediction = prediction(tot[:S-1], classif)
		node.Leaf = true
	}
	for depth := 0; len(level) > 0; depth++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Nodes whose totals are known and cannot split are leaves at once.
		var grow []*levelNode
		for _, ln := range level {
			if ln.stats != nil {
				node := &nodes[ln.id]
				setStats(node, ln.stats)
				if depth >= cfg.MaxDepth || pure(node, ln.stats, classif) {
					markLeaf(ln)
					continue
				}
			}
			ln.feats = allFeatures
			if subsetting {
				r := rand.New(rand.NewPCG(cfg.Seed, uint64(ln.id)))
				ln.feats = r.Perm(d)[:cfg.FeaturesPerNode]
				slices.Sort(ln.feats)
			}
			grow = append(grow, ln)
		}
		// Of two siblings that both grow, the one with fewer rows is summed
		// and the other derived from their parent.
		var built []*levelNode
		for _, ln := range grow {
			ln.build = true
			if s := ln.sib; ln.parent != nil && s != nil && slices.Contains(grow, s) {
				if s.stats[S-1] < ln.stats[S-1] || (s.stats[S-1] == ln.stats[S-1] && s.id < ln.id) {
					ln.build = false
				}
			}
			if ln.build {
				built = append(built, ln)
			}
		}
		local := make([][]float64, P)
		if err := parallel(ctx, P, "GrowTree", func(p int) error {
			h := make([]float64, len(built)*bd.nbins*S)
			for k, ln := range built {
				rows := order[p][ln.lo[p]:ln.hi[p]]
				hk := h[k*bd.nbins*S : (k+1)*bd.nbins*S]
				for _, j := range ln.feats {
					off := bd.offsets[j]
					if bd.cols16 != nil {
						accumulate(hk, rows, bd.cols16[p][j], off, S, w[p], y[p], classif)
					} else {
						accumulate(hk, rows, bd.cols8[p][j], off, S, w[p], y[p], classif)
					}
				}
			}
			local[p] = h
			return nil
		}); err != nil {
			return nil, err
		}
		for k, ln := range built {
			ln.hist = make([]float64, bd.nbins*S)
			for p := range local {
				for q, v := range local[p][k*bd.nbins*S : (k+1)*bd.nbins*S] {
					ln.hist[q] += v
				}
			}
		}
		for _, ln := range grow {
			if !ln.build {
				ln.hist = make([]float64, bd.nbins*S)
				for q, v := range ln.parent {
					ln.hist[q] = v - ln.sib.hist[q]
				}
			}
		}
		// Each growing node takes its best split.
		var next []*levelNode
		var splitting []*levelNode
		goLeft := map[*levelNode][]bool{} // by bin of the split feature
		for _, ln := range grow {
			node := &nodes[ln.id]
			tot := ln.stats
			if tot == nil {
				tot = make([]float64, S)
				j := ln.feats[0]
				for k := bd.offsets[j]; k < bd.offsets[j+1]; k++ {
					for q := 0; q < S; q++ {
						tot[q] += ln.hist[k*S+q]
					}
				}
				setStats(node, tot)
				if depth >= cfg.MaxDepth || pure(node, tot, classif) {
					markLeaf(ln)
					continue
				}
			}
			bestGain, bestF, bestK := math.Inf(-1), -1, 0
			var bestCats []float64
			right := make([]float64, S)
			wTot := weightOf(tot[:S-1], classif)
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
			left := make([]float64, S)
			bestLeft := make([]float64, S)
			for _, j := range ln.feats {
				fo := bd.offsets[j] * S
				if k := bd.cats.arity[j]; k > 0 {
					g, c := bestCategoricalSplit(ln.hist[fo:fo+k*S], k, S, bd.cats.unordered[j], cfg, classif, gainOf)
					if c != nil && g > bestGain {
						bestGain, bestF, bestK, bestCats = g, j, 0, c
						clear(bestLeft)
						for _, cat := range c {
							for q := 0; q < S; q++ {
								bestLeft[q] += ln.hist[fo+int(cat)*S+q]
							}
						}
					}
					continue
				}
				clear(left)
				for k := 0; k < len(bd.splits[j]); k++ {
					o := fo + k*S
					for q := 0; q < S; q++ {
						left[q] += ln.hist[o+q]
					}
					gain, ok := gainOf(left)
					if ok && gain > bestGain {
						bestGain, bestF, bestK, bestCats = gain, j, k, nil
						copy(bestLeft, left)
					}
				}
			}
			if bestF < 0 || bestGain <= 0 {
				markLeaf(ln)
				continue
			}
			l, r := len(nodes), len(nodes)+1
			node.Leaf, node.Feature, node.Gain, node.Left, node.Right = false, bestF, bestGain, l, r
			node.Threshold = 0
			if bestCats != nil {
				node.Categories, node.NumCategories = bestCats, bd.cats.arity[bestF]
				inLeft := make([]bool, node.NumCategories)
				for _, c := range bestCats {
					inLeft[int(c)] = true
				}
				goLeft[ln] = inLeft
			} else {
				node.Threshold = bd.splits[bestF][bestK]
				inLeft := make([]bool, len(bd.splits[bestF])+1)
				for k := 0; k <= bestK; k++ {
					inLeft[k] = true
				}
				goLeft[ln] = inLeft
			}
			nodes = append(nodes, TreeNode{}, TreeNode{})
			rightStats := make([]float64, S)
			for q := range rightStats {
				rightStats[q] = tot[q] - bestLeft[q]
			}
			lc := &levelNode{id: l, lo: make([]int, P), hi: make([]int, P), stats: bestLeft}
			rc := &levelNode{id: r, lo: make([]int, P), hi: make([]int, P), stats: rightStats}
			if !subsetting {
				lc.parent, rc.parent = ln.hist, ln.hist
				lc.sib, rc.sib = rc, lc
			}
			splitting = append(splitting, ln)
			next = append(next, lc, rc)
		}
		if len(next) == 0 {
			break
		}
		// Route the rows of the split nodes to their children: a stable
		// partition of each node's rows, left child first.
		if err := parallel(ctx, P, "GrowTree", func(p int) error {
			for k, ln := range splitting {
				f := nodes[ln.id].Feature
				rows := order[p][ln.lo[p]:ln.hi[p]]
				var nl int
				if bd.cols16 != nil {
					nl = partitionRows(rows, scratch[p], bd.cols16[p][f], goLeft[ln])
				} else {
					nl = partitionRows(rows, scratch[p], bd.cols8[p][f], goLeft[ln])
				}
				lc, rc := next[2*k], next[2*k+1]
				lc.lo[p], lc.hi[p] = ln.lo[p], ln.lo[p]+nl
				rc.lo[p], rc.hi[p] = ln.lo[p]+nl, ln.hi[p]
			}
			return nil
		}); err != nil {
			return nil, err
		}
		level = next
	}
	if leafOf != nil {
		if err := parallel(ctx, P, "GrowTree", func(p int) error {
			for _, ln := range leaves {
				for _, i := range order[p][ln.lo[p]:ln.hi[p]] {
					leafOf[p][i] = int32(ln.id)
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// partitionRows reorders rows stably, those whose bin in col is marked in
// inLeft first, and returns how many those are; tmp is scratch space.
func partitionRows[T uint8 | uint16](rows, tmp []int32, col []T, inLeft []bool) int {
	nl, nr := 0, 0
	for _, i := range rows {
		if inLeft[col[i]] {
			rows[nl] = i
			nl++
		} else {
			tmp[nr] = i
			nr++
		}
	}
	copy(rows[nl:], tmp[:nr])
	return nl
}

// pure reports whether a node of totals tot cannot be split: impurity 0, or
// for regression a variance below the rounding error of Σwy²/Σw.
func pure(node *TreeNode, tot []float64, classif bool) bool {
	if node.Impurity == 0 {
		return true
	}
	return !classif && tot[0] > 0 && node.Impurity <= 1e-14*tot[2]/tot[0]
}

// accumulate adds the statistics of rows to h for the feature whose bins
// are col and start at bin off.
func accumulate[T uint8 | uint16](h []float64, rows []int32, col []T, off, S int, w, y []float64, classif bool) {
	if classif {
		for _, i := range rows {
			o := (off + int(col[i])) * S
			h[o+int(y[i])] += w[i]
			h[o+S-1]++
		}
		return
	}
	for _, i := range rows {
		o := (off + int(col[i])) * 4
		wi, yi := w[i], y[i]
		wy := wi * yi
		hh := h[o : o+4 : o+4]
		hh[0] += wi
		hh[1] += wy
		hh[2] += wy * yi
		hh[3]++
	}
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
// draw, otherwise rows are kept with probability SubsamplingRate. The
// features are binned once for all trees. A row's draw for a tree comes
// from a hash of Seed, the tree index and the row's position in block
// order, and the per-node feature subsets are seeded by the tree and node,
// so the forest depends on the seed and the row order, not on the
// partitioning.
func GrowForest(ctx context.Context, blocks []*Block, cfg ForestConfig) ([][]TreeNode, error) {
	if err := checkTreeConfig(cfg.Tree); err != nil {
		return nil, err
	}
	bd, err := binBlocks(ctx, blocks, cfg.Tree)
	if err != nil {
		return nil, err
	}
	start := make([]int, len(blocks))
	ys := make([][]float64, len(blocks))
	for p, b := range blocks {
		if p > 0 {
			start[p] = start[p-1] + blocks[p-1].N
		}
		ys[p] = b.Y
	}
	sampled := cfg.Bootstrap || cfg.SubsamplingRate < 1
	ws := make([][]float64, len(blocks))
	for p, b := range blocks {
		ws[p] = b.W
		if sampled {
			ws[p] = make([]float64, b.N)
		}
	}
	trees := make([][]TreeNode, cfg.NumTrees)
	for t := range trees {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if sampled {
			seed := cfg.Seed ^ (uint64(t)+1)*0xd1b54a32d192ed03
			cdf := poissonCDF(cfg.SubsamplingRate)
			if err := parallel(ctx, len(blocks), "GrowForest", func(p int) error {
				for i, w := range blocks[p].W {
					u := hashUnit(seed, uint64(start[p]+i))
					switch {
					case cfg.Bootstrap:
						ws[p][i] = w * float64(poissonInv(u, cdf))
					case u < cfg.SubsamplingRate:
						ws[p][i] = w
					default:
						ws[p][i] = 0
					}
				}
				return nil
			}); err != nil {
				return nil, err
			}
		}
		tc := cfg.Tree
		tc.Seed = cfg.Seed ^ (uint64(t)+1)*0x9e3779b97f4a7c15
		nodes, err := growBinned(ctx, bd, ws, ys, tc, nil)
		if err != nil {
			return nil, err
		}
		trees[t] = nodes
		progress.Report(ctx, "tree", t+1, len(trees))
	}
	return trees, nil
}

// poissonCDF returns the cumulative probabilities of 0, 1, 2, … under a
// Poisson distribution of mean lambda, up to where they stop growing.
func poissonCDF(lambda float64) []float64 {
	p := math.Exp(-lambda)
	cdf := []float64{p}
	for k := 1; k < 1000; k++ {
		p *= lambda / float64(k)
		c := cdf[k-1] + p
		if c == cdf[k-1] && p < 1e-17 {
			break
		}
		cdf = append(cdf, c)
	}
	return cdf
}

// poissonInv returns the first k whose cumulative probability cdf[k]
// reaches u (inversion, fine for the small means sampling uses).
func poissonInv(u float64, cdf []float64) int {
	for k, c := range cdf {
		if u <= c {
			return k
		}
	}
	return len(cdf) - 1
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
