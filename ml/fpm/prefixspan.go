package fpm

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// PrefixSpan finds frequent sequential patterns, as Spark's
// org.apache.spark.ml.fpm.PrefixSpan (which, like this type, is a holder of
// params rather than an estimator). A sequence is an array of itemsets
// (arrays of items); a pattern is contained in a sequence when its itemsets
// are subsets of itemsets of the sequence in the same order. A pattern is
// frequent when at least ceil(minSupport × n) of the n non-null sequences
// contain it; its length is its number of items, at most maxPatternLength.
// Patterns grow by prefix projection: each sequence keeps the positions at
// which the prefix's last itemset can end, so both extensions (a new
// itemset, or one more item in the last itemset) are counted exactly.
type PrefixSpan struct {
	ps                 *param.Params
	sequenceCol        param.Param[string]
	minSupport         param.Param[float64]
	maxPatternLength   param.Param[int]
	maxLocalProjDBSize param.Param[int64]
}

// NewPrefixSpan returns a PrefixSpan with Spark's defaults (minSupport 0.1,
// maxPatternLength 10, maxLocalProjDBSize 32000000, sequenceCol "sequence").
func NewPrefixSpan() *PrefixSpan { return newPrefixSpan(param.UID("prefixSpan")) }

func newPrefixSpan(uid string) *PrefixSpan {
	p := &PrefixSpan{ps: param.New(uid)}
	p.sequenceCol = param.Define(p.ps, "sequenceCol", "sequence column name; rows with nulls in this column are ignored", param.WithDefault("sequence"))
	p.minSupport = param.Define(p.ps, "minSupport", "minimal support level of a sequential pattern (>= 0)",
		param.WithDefault(0.1), param.WithValidator(param.GtEq(0.0)))
	p.maxPatternLength = param.Define(p.ps, "maxPatternLength", "maximal length (number of items) of a sequential pattern (> 0)",
		param.WithDefault(10), param.WithValidator(param.Gt(0)))
	p.maxLocalProjDBSize = param.Define(p.ps, "maxLocalProjDBSize", "maximum number of items in a projected database before local processing (> 0); gspark always mines locally and accepts it for compatibility",
		param.WithDefault(int64(32000000)), param.WithValidator(param.Gt(int64(0))))
	return p
}

// UID returns the identifier of the params holder.
func (p *PrefixSpan) UID() string { return p.ps.UID() }

// Params returns the params.
func (p *PrefixSpan) Params() *param.Params { return p.ps }

// SparkClassName is the class of the same object in Apache Spark.
func (p *PrefixSpan) SparkClassName() string { return sparkPrefix + "PrefixSpan" }

// SetSequenceCol sets the sequence column.
func (p *PrefixSpan) SetSequenceCol(c string) *PrefixSpan { p.sequenceCol.Set(p.ps, c); return p }

// SetMinSupport sets the minimal support.
func (p *PrefixSpan) SetMinSupport(v float64) *PrefixSpan { p.minSupport.Set(p.ps, v); return p }

// SetMaxPatternLength sets the maximal pattern length.
func (p *PrefixSpan) SetMaxPatternLength(n int) *PrefixSpan {
	p.maxPatternLength.Set(p.ps, n)
	return p
}

// SetMaxLocalProjDBSize sets Spark's maxLocalProjDBSize (recorded only).
func (p *PrefixSpan) SetMaxLocalProjDBSize(n int64) *PrefixSpan {
	p.maxLocalProjDBSize.Set(p.ps, n)
	return p
}

// Pattern is a frequent sequential pattern and its frequency.
type Pattern struct {
	Sequence [][]any
	Freq     int64
}

// FindFrequentSequentialPatterns returns the frequent sequential patterns
// of df's sequence column as Spark does: columns sequence (an array of
// arrays of the items' type) and freq (bigint). Items within an itemset are
// in ascending order; patterns are ordered by a depth-first growth.
func (p *PrefixSpan) FindFrequentSequentialPatterns(ctx context.Context, df *frame.DataFrame) (*frame.DataFrame, error) {
	pats, elem, err := p.Patterns(ctx, df)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, len(pats))
	for i, pt := range pats {
		seq := make([]any, len(pt.Sequence))
		for j, set := range pt.Sequence {
			seq[j] = set
		}
		rows[i] = []any{seq, pt.Freq}
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "sequence", Type: arrow.ListOf(arrow.ListOf(elem)), Nullable: true},
		{Name: "freq", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	res := df.Session().CreateDataFrameArrow(rows, schema)
	return res, res.Err()
}

// Patterns is FindFrequentSequentialPatterns returning Go values and the
// items' type.
func (p *PrefixSpan) Patterns(ctx context.Context, df *frame.DataFrame) ([]Pattern, arrow.DataType, error) {
	uid := p.UID()
	if err := p.ps.Err(); err != nil {
		return nil, nil, err
	}
	if err := df.Err(); err != nil {
		return nil, nil, err
	}
	col := p.sequenceCol.Get(p.ps)
	f, err := ml.CheckColumn(df.Schema(), uid, col)
	if err != nil {
		return nil, nil, err
	}
	var elem arrow.DataType
	if l, ok := f.Type.(*arrow.ListType); ok {
		elem, ok = itemType(l.Elem())
		if !ok {
			elem = nil
		}
	}
	if elem == nil {
		return nil, nil, fmt.Errorf("%s: input column %q must be an array of arrays of scalar items, got %s", uid, col, ml.TypeName(f.Type))
	}
	rows, err := df.Select(frame.Col(col)).Collect(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", uid, err)
	}
	var seqs [][][]any
	for r, row := range rows {
		if row[0] == nil {
			continue
		}
		var seq [][]any
		for _, s := range row[0].([]any) {
			if s == nil {
				continue
			}
			var set []any
			for _, v := range s.([]any) {
				if v == nil {
					continue
				}
				k, err := itemKey(v)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: column %q, row %d: %w", uid, col, r+1, err)
				}
				if !slices.Contains(set, k) {
					set = append(set, k)
				}
			}
			if len(set) > 0 {
				seq = append(seq, set)
			}
		}
		seqs = append(seqs, seq)
	}
	minCount := int64(math.Ceil(p.minSupport.Get(p.ps) * float64(len(seqs))))
	pats, err := mineSequences(ctx, seqs, max(minCount, 1), p.maxPatternLength.Get(p.ps))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", uid, err)
	}
	return pats, elem, nil
}

// mineSequences is PrefixSpan over sequences of itemsets of normalized items.
func mineSequences(ctx context.Context, seqs [][][]any, minCount int64, maxLen int) ([]Pattern, error) {
	// Items get ids in ascending order of value; each itemset becomes a
	// membership set of ids.
	var all []any
	seen := map[any]bool{}
	for _, s := range seqs {
		for _, set := range s {
			for _, it := range set {
				if !seen[it] {
					seen[it] = true
					all = append(all, it)
				}
			}
		}
	}
	slices.SortFunc(all, cmpItems)
	id := make(map[any]int, len(all))
	for i, it := range all {
		id[it] = i
	}
	db := make([][]map[int]bool, len(seqs))
	for i, s := range seqs {
		db[i] = make([]map[int]bool, len(s))
		for j, set := range s {
			db[i][j] = map[int]bool{}
			for _, it := range set {
				db[i][j][id[it]] = true
			}
		}
	}
	// Only items in at least minCount sequences can be in a frequent pattern.
	var cand []int
	for x := range all {
		n := int64(0)
		for _, seq := range db {
			for _, set := range seq {
				if set[x] {
					n++
					break
				}
			}
		}
		if n >= minCount {
			cand = append(cand, x)
		}
	}
	// proj[i] lists the positions of sequence i where an occurrence of the
	// current prefix can end (its last itemset matched there); nil: none.
	type state struct {
		prefix [][]int
		length int
		proj   [][]int
	}
	var out []Pattern
	emit := func(prefix [][]int, n int64) {
		seq := make([][]any, len(prefix))
		for i, set := range prefix {
			seq[i] = make([]any, len(set))
			for j, it := range set {
				seq[i][j] = all[it]
			}
		}
		out = append(out, Pattern{Sequence: seq, Freq: n})
	}
	var grow func(st state) error
	grow = func(st state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if st.length >= maxLen {
			return nil
		}
		for _, x := range cand {
			// A new itemset {x} after the prefix.
			seqProj := make([][]int, len(db))
			var n int64
			for i, pos := range st.proj {
				if st.prefix != nil && len(pos) == 0 {
					continue
				}
				start := 0
				if st.prefix != nil {
					start = pos[0] + 1
				}
				for q := start; q < len(db[i]); q++ {
					if db[i][q][x] {
						seqProj[i] = append(seqProj[i], q)
					}
				}
				if len(seqProj[i]) > 0 {
					n++
				}
			}
			if n >= minCount {
				p := append(slices.Clip(st.prefix), []int{x})
				emit(p, n)
				if err := grow(state{prefix: p, length: st.length + 1, proj: seqProj}); err != nil {
					return err
				}
			}
			// x added to the last itemset (items kept in ascending order).
			if st.prefix == nil {
				continue
			}
			last := st.prefix[len(st.prefix)-1]
			if x <= last[len(last)-1] {
				continue
			}
			setProj := make([][]int, len(db))
			n = 0
			for i, pos := range st.proj {
				for _, q := range pos {
					if db[i][q][x] {
						setProj[i] = append(setProj[i], q)
					}
				}
				if len(setProj[i]) > 0 {
					n++
				}
			}
			if n >= minCount {
				p := slices.Clone(st.prefix)
				p[len(p)-1] = append(slices.Clone(last), x)
				emit(p, n)
				if err := grow(state{prefix: p, length: st.length + 1, proj: setProj}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := grow(state{proj: make([][]int, len(db))}); err != nil {
		return nil, err
	}
	return out, nil
}
