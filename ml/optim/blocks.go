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
	"sync"

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
	// UnitWeights reports that every weight is 1 (no weight column), which
	// lets a kernel skip the multiplications by W.
	UnitWeights bool
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
//
// Each partition's batches are kept (retained) while the partition is read,
// with their null and size checks, and then copied once into buffers of
// the exact size, so the rows are written once rather than regrown.
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
	// Every partition's batch list is also kept here, so that the batches
	// are released whatever happens (AggregatePartitions drops the
	// accumulators on an error).
	var mu sync.Mutex
	var all []*pendingBlock
	defer func() {
		for _, pb := range all {
			pb.release()
		}
	}()
	pend, err := frame.AggregatePartitions(ctx, df, func(int) *pendingBlock {
		pb := &pendingBlock{d: -1}
		mu.Lock()
		all = append(all, pb)
		mu.Unlock()
		return pb
	}, func(pb *pendingBlock, b arrow.RecordBatch) (*pendingBlock, error) {
		return pb, pb.add(b, c, fi)
	})
	if err != nil {
		return nil, err
	}
	d := -1
	for _, pb := range pend {
		if pb.d >= 0 {
			if d >= 0 && pb.d != d {
				return nil, fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.UID, c.FeaturesCol, d, pb.d)
			}
			d = pb.d
		}
	}
	if d < 0 {
		return nil, fmt.Errorf("%s: the input has no rows", c.UID)
	}
	if d == 0 {
		return nil, fmt.Errorf("%s: the vectors in column %q are empty (size 0)", c.UID, c.FeaturesCol)
	}
	blocks := make([]*Block, len(pend))
	g, gctx := errgroup.WithContext(ctx)
	for p, pb := range pend {
		g.Go(func() (err error) {
			defer exec.Recover(&err, fmt.Sprintf("ml/optim.ReadBlocks (partition %d)", p))
			if err := gctx.Err(); err != nil {
				return err
			}
			blocks[p], err = pb.copyOut(c, d, fi, li, wi)
			pb.release()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return blocks, nil
}

// pendingBlock is one partition's retained batches, their row count and
// the vector size seen (−1 before the first row).
type pendingBlock struct {
	batches []arrow.RecordBatch
	rows, d int
}

func (pb *pendingBlock) release() {
	for _, b := range pb.batches {
		b.Release()
	}
	pb.batches = nil
}

// add checks the vectors of b for nulls and one size and retains b.
func (pb *pendingBlock) add(b arrow.RecordBatch, c Columns, fi int) error {
	n := int(b.NumRows())
	if n == 0 {
		return nil
	}
	vc, err := linalg.Vectors(b.Column(fi))
	if err != nil {
		return fmt.Errorf("%s: column %q: %w", c.UID, c.FeaturesCol, err)
	}
	for i := 0; i < n; i++ {
		if vc.IsNull(i) {
			return fmt.Errorf("%s: features column %q has a null vector", c.UID, c.FeaturesCol)
		}
		size := vc.Size(i)
		if pb.d < 0 {
			pb.d = size
		} else if size != pb.d {
			return fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.UID, c.FeaturesCol, pb.d, size)
		}
	}
	b.Retain()
	pb.batches = append(pb.batches, b)
	pb.rows += n
	return nil
}

// copyOut copies the retained batches into a Block of vectors of size d,
// checking that features and labels are finite and weights valid.
func (pb *pendingBlock) copyOut(c Columns, d, fi, li, wi int) (*Block, error) {
	blk := &Block{N: pb.rows, D: d, X: make([]float64, pb.rows*d), W: make([]float64, pb.rows), UnitWeights: wi < 0}
	if li >= 0 {
		blk.Y = make([]float64, pb.rows)
	}
	at := 0
	for _, b := range pb.batches {
		n := int(b.NumRows())
		vc, err := linalg.Vectors(b.Column(fi))
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", c.UID, c.FeaturesCol, err)
		}
		for i := 0; i < n; i++ {
			row := blk.X[(at+i)*d : (at+i+1)*d]
			if vals := vc.DenseValues(i); vals != nil {
				copy(row, vals)
			} else {
				idx, vals := vc.Sparse(i)
				for k, j := range idx {
					row[j] = vals[k]
				}
			}
		}
		// v − v is 0 for a finite v and NaN for ±Inf and NaN.
		bad := 0.0
		for _, v := range blk.X[at*d : (at+n)*d] {
			bad += v - v
		}
		if bad != 0 || math.IsNaN(bad) {
			for _, v := range blk.X[at*d : (at+n)*d] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%s: features column %q has a non-finite value %v", c.UID, c.FeaturesCol, v)
				}
			}
		}
		if li >= 0 {
			labels, err := ml.Float64Column(b.Column(li), blk.Y[at:at])
			if err != nil {
				return nil, fmt.Errorf("%s: label column %q: %w", c.UID, c.LabelCol, err)
			}
			for _, y := range labels[:n] {
				if math.IsNaN(y) || math.IsInf(y, 0) {
					return nil, fmt.Errorf("%s: label column %q has a null or non-finite value", c.UID, c.LabelCol)
				}
			}
		}
		w := blk.W[at : at+n]
		if wi >= 0 {
			weights, err := ml.Float64Column(b.Column(wi), w[:0])
			if err != nil {
				return nil, fmt.Errorf("%s: weight column %q: %w", c.UID, c.WeightCol, err)
			}
			for _, v := range weights[:n] {
				if !(v >= 0) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%s: weight column %q has an invalid weight %v (weights must be finite and >= 0)", c.UID, c.WeightCol, v)
				}
			}
		} else {
			for i := range w {
				w[i] = 1
			}
		}
		at += n
	}
	return blk, nil
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
