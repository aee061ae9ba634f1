// Package optim holds the numerical machinery gspark's ML models train
// with: Blocks, the training rows of each partition of a DataFrame read once
// into dense in-memory buffers (as Spark caches its instance blocks), a
// partition-parallel reduction over them (Spark's treeAggregate), and
// Minimize, an L-BFGS minimizer that becomes OWL-QN when an L1 penalty is
// given.
package optim

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// Block holds the rows of one partition: N rows of D features stored
// row-major in X (dense, sparse vectors expanded), labels Y and weights W.
type Block struct {
	N, D int
	X    []float64
	Y    []float64
	W    []float64
}

// Row returns the features of row i (a slice of X).
func (b *Block) Row(i int) []float64 { return b.X[i*b.D : (i+1)*b.D] }

// Columns names the input columns ReadBlocks reads; LabelCol and WeightCol
// may be empty (no label: Y is nil; no weight: every weight is 1).
type Columns struct {
	UID         string
	FeaturesCol string
	LabelCol    string
	WeightCol   string
}

// Check validates the column types against schema s: features must be a
// vector column, label and weight numeric.
func (c Columns) Check(s *arrow.Schema) error {
	if _, err := ml.CheckColumn(s, c.UID, c.FeaturesCol, ml.Vector); err != nil {
		return err
	}
	if c.LabelCol != "" {
		if _, err := ml.CheckColumn(s, c.UID, c.LabelCol, ml.Numeric); err != nil {
			return err
		}
	}
	if c.WeightCol != "" {
		if _, err := ml.CheckColumn(s, c.UID, c.WeightCol, ml.Numeric); err != nil {
			return err
		}
	}
	return nil
}

// ReadBlocks runs df once and returns one Block per partition. Every feature
// vector must be non-null, of one nonzero size and finite; labels must be non-null
// and finite; weights non-negative and finite. Errors name the column.
func ReadBlocks(ctx context.Context, df *frame.DataFrame, c Columns) ([]*Block, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	s := df.Schema()
	if err := c.Check(s); err != nil {
		return nil, err
	}
	fi := ml.FieldIndex(s, c.FeaturesCol)
	li, wi := -1, -1
	if c.LabelCol != "" {
		li = ml.FieldIndex(s, c.LabelCol)
	}
	if c.WeightCol != "" {
		wi = ml.FieldIndex(s, c.WeightCol)
	}
	blocks, err := frame.AggregatePartitions(ctx, df, func(int) *Block { return &Block{D: -1} },
		func(acc *Block, b arrow.RecordBatch) (*Block, error) {
			return acc, appendBatch(acc, b, c, fi, li, wi)
		})
	if err != nil {
		return nil, err
	}
	d := -1
	for _, b := range blocks {
		if b.D >= 0 {
			if d >= 0 && b.D != d {
				return nil, fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.UID, c.FeaturesCol, d, b.D)
			}
			d = b.D
		}
	}
	if d < 0 {
		return nil, fmt.Errorf("%s: the input has no rows", c.UID)
	}
	if d == 0 {
		return nil, fmt.Errorf("%s: the vectors in column %q are empty (size 0)", c.UID, c.FeaturesCol)
	}
	for _, b := range blocks {
		b.D = d
	}
	return blocks, nil
}

func appendBatch(acc *Block, b arrow.RecordBatch, c Columns, fi, li, wi int) error {
	n := int(b.NumRows())
	if n == 0 {
		return nil
	}
	vc, err := linalg.Vectors(b.Column(fi))
	if err != nil {
		return fmt.Errorf("%s: column %q: %w", c.UID, c.FeaturesCol, err)
	}
	var labels, weights []float64
	if li >= 0 {
		if labels, err = ml.Float64Column(b.Column(li), nil); err != nil {
			return fmt.Errorf("%s: label column %q: %w", c.UID, c.LabelCol, err)
		}
	}
	if wi >= 0 {
		if weights, err = ml.Float64Column(b.Column(wi), nil); err != nil {
			return fmt.Errorf("%s: weight column %q: %w", c.UID, c.WeightCol, err)
		}
	}
	// Grow the buffers once per batch (sizes are checked row by row below),
	// so rows are copied in place rather than through append.
	if !vc.IsNull(0) {
		acc.X = growDoubling(acc.X, n*vc.Size(0))
	}
	acc.W = growDoubling(acc.W, n)
	if labels != nil {
		acc.Y = growDoubling(acc.Y, n)
	}
	for i := 0; i < n; i++ {
		if vc.IsNull(i) {
			return fmt.Errorf("%s: features column %q has a null vector", c.UID, c.FeaturesCol)
		}
		size := vc.Size(i)
		if acc.D < 0 {
			acc.D = size
		} else if size != acc.D {
			return fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.UID, c.FeaturesCol, acc.D, size)
		}
		start := len(acc.X)
		acc.X = slices.Grow(acc.X, size)[:start+size]
		row := acc.X[start:]
		if vals := vc.DenseValues(i); vals != nil {
			copy(row, vals)
		} else {
			clear(row)
			idx, vals := vc.Sparse(i)
			for k, j := range idx {
				row[j] = vals[k]
			}
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: features column %q has a non-finite value %v", c.UID, c.FeaturesCol, v)
			}
		}
		if labels != nil {
			y := labels[i]
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return fmt.Errorf("%s: label column %q has a null or non-finite value", c.UID, c.LabelCol)
			}
			acc.Y = append(acc.Y, y)
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
			if !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("%s: weight column %q has an invalid weight %v (weights must be finite and >= 0)", c.UID, c.WeightCol, w)
			}
		}
		acc.W = append(acc.W, w)
		acc.N++
	}
	return nil
}

// growDoubling returns s with room for at least n more elements, at least
// doubling the capacity when it grows (append grows large slices by 1.25×,
// which copies a partition's rows several times over).
func growDoubling(s []float64, n int) []float64 {
	if cap(s)-len(s) >= n {
		return s
	}
	out := make([]float64, len(s), max(2*cap(s), len(s)+n))
	copy(out, s)
	return out
}

// Reduce runs fn on every block on its own goroutine, each into a zeroed
// accumulator of length dim, and returns the accumulators summed in block
// order (so the result does not depend on scheduling). A panic in fn becomes
// an *exec.InternalError (errors.Is(err, exec.ErrInternal)) naming the block.
func Reduce(ctx context.Context, blocks []*Block, dim int, fn func(b *Block, acc []float64)) ([]float64, error) {
	accs := make([][]float64, len(blocks))
	g, gctx := errgroup.WithContext(ctx)
	for p, b := range blocks {
		g.Go(func() (err error) {
			defer exec.Recover(&err, fmt.Sprintf("ml/optim.Reduce (block %d)", p))
			if err := gctx.Err(); err != nil {
				return err
			}
			acc := make([]float64, dim)
			fn(b, acc)
			accs[p] = acc
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]float64, dim)
	for _, a := range accs {
		for i, v := range a {
			out[i] += v
		}
	}
	return out, nil
}

// Moments are weighted first and second moments of the features (and the
// label when present) over all blocks.
type Moments struct {
	D      int
	W      float64   // sum of weights
	W2     float64   // sum of squared weights
	Count  int       // rows
	MeanX  []float64 // weighted means
	MeanY  float64
	VarX   []float64 // weighted population variances
	VarY   float64
	XX     []float64 // D×D row-major: weighted mean of x xᵀ (uncentered), nil unless asked for
	XY     []float64 // weighted mean of x y (uncentered)
	YY     float64   // weighted mean of y²
	HasLab bool
}

// ComputeMoments aggregates weighted moments of the blocks, with the Gram
// matrix XX when gram is true.
func ComputeMoments(ctx context.Context, blocks []*Block, gram bool) (*Moments, error) {
	d := blocks[0].D
	// Layout: W, W2, count, sumY, sumYY, sumX[d], sumXY[d], sumXsq[d], sumXX[d*d].
	dim := 5 + 3*d
	if gram {
		dim += d * d
	}
	acc, err := Reduce(ctx, blocks, dim, func(b *Block, a []float64) {
		sx, sxy, sxq := a[5:5+d], a[5+d:5+2*d], a[5+2*d:5+3*d]
		var sxx []float64
		if gram {
			sxx = a[5+3*d:]
		}
		for i := 0; i < b.N; i++ {
			w := b.W[i]
			x := b.Row(i)
			y := 0.0
			if b.Y != nil {
				y = b.Y[i]
			}
			a[0] += w
			a[1] += w * w
			a[2]++
			a[3] += w * y
			a[4] += w * y * y
			for j, v := range x {
				wv := w * v
				sx[j] += wv
				sxy[j] += wv * y
				sxq[j] += wv * v
				if gram && wv != 0 {
					r := sxx[j*d : j*d+d]
					for k := j; k < d; k++ {
						r[k] += wv * x[k]
					}
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	m := &Moments{D: d, W: acc[0], W2: acc[1], Count: int(acc[2]), HasLab: blocks[0].Y != nil}
	if m.W <= 0 {
		return nil, fmt.Errorf("the sum of the weights is %v, must be positive", m.W)
	}
	m.MeanY, m.YY = acc[3]/m.W, acc[4]/m.W
	m.VarY = math.Max(m.YY-m.MeanY*m.MeanY, 0)
	m.MeanX, m.XY, m.VarX = make([]float64, d), make([]float64, d), make([]float64, d)
	for j := 0; j < d; j++ {
		m.MeanX[j] = acc[5+j] / m.W
		m.XY[j] = acc[5+d+j] / m.W
		m.VarX[j] = math.Max(acc[5+2*d+j]/m.W-m.MeanX[j]*m.MeanX[j], 0)
	}
	if gram {
		m.XX = make([]float64, d*d)
		sxx := acc[5+3*d:]
		for j := 0; j < d; j++ {
			for k := j; k < d; k++ {
				v := sxx[j*d+k] / m.W
				m.XX[j*d+k], m.XX[k*d+j] = v, v
			}
		}
	}
	return m, nil
}

// SampleScale returns the factor turning a weighted population variance into
// the unbiased one Spark's summarizer reports: W / (W − ΣW²/W) (n/(n−1) for
// unit weights); 0 when undefined.
func (m *Moments) SampleScale() float64 {
	den := m.W - m.W2/m.W
	if den <= 0 {
		return 0
	}
	return m.W / den
}
