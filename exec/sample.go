package exec

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/kernels"
)

// Sample keeps each row with a pseudo-random draw u in [Lower, Upper): with
// Lower 0 and Upper f it is a Bernoulli sample of fraction f. Partition p
// draws from a generator seeded with (seed, p), so the result depends only on
// the seed and the input's partitioning and order; samples of the same input
// and seed over disjoint ranges are disjoint (randomSplit).
type Sample struct {
	env          *Env
	child        Operator
	lower, upper float64
	seed         uint64
}

// NewSample returns the rows of child whose draw falls in [lower, upper).
func NewSample(env *Env, child Operator, lower, upper float64, seed int64) (*Sample, error) {
	if lower < 0 || upper > 1 || lower > upper {
		return nil, fmt.Errorf("sample: range [%g, %g) is not within [0, 1]", lower, upper)
	}
	return &Sample{env: env, child: child, lower: lower, upper: upper, seed: uint64(seed)}, nil
}

// Schema implements Operator.
func (s *Sample) Schema() *arrow.Schema { return s.child.Schema() }

// Partitions implements Operator.
func (s *Sample) Partitions() int { return s.child.Partitions() }

// Children implements Operator.
func (s *Sample) Children() []Operator { return []Operator{s.child} }

// String implements Operator.
func (s *Sample) String() string {
	return fmt.Sprintf("Sample [%g, %g) seed=%d", s.lower, s.upper, int64(s.seed))
}

// Execute implements Operator.
func (s *Sample) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(s, p); err != nil {
		return nil, err
	}
	in, err := Open(ctx, s.child, p)
	if err != nil {
		return nil, err
	}
	return &sampleStream{s: s, in: in, rng: rand.New(rand.NewPCG(s.seed, uint64(p)))}, nil
}

type sampleStream struct {
	s   *Sample
	in  Stream
	rng *rand.Rand
	idx []int32
}

func (st *sampleStream) Next() (arrow.RecordBatch, error) {
	for {
		b, err := st.in.Next()
		if err != nil {
			return nil, err
		}
		st.idx = st.idx[:0]
		for i := 0; i < int(b.NumRows()); i++ {
			if u := st.rng.Float64(); u >= st.s.lower && u < st.s.upper {
				st.idx = append(st.idx, int32(i))
			}
		}
		if len(st.idx) == int(b.NumRows()) {
			return b, nil
		}
		if len(st.idx) == 0 {
			b.Release()
			continue
		}
		out, err := kernels.TakeBatch(st.s.env.Mem, b, st.idx)
		b.Release()
		return out, err
	}
}

func (st *sampleStream) Close() error { return st.in.Close() }
