package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/exec/expr/sketchfn"
	"github.com/gspark/gspark/exec/kernels"
)

// The sketch aggregates: Spark's bitmap_*_agg over its 4 KiB bitmaps and
// hll_sketch_agg/hll_union_agg over gspark's HLL sketch (exec/expr/
// sketchfn has both formats). Their partial state is the sketch itself.
// They are numbered apart from the other functions.
const (
	// BitmapConstructAgg is bitmap_construct_agg(position): the bitmap with
	// the bits of the (bigint) positions set.
	BitmapConstructAgg Func = 1000 + iota
	// BitmapOrAgg is bitmap_or_agg(bitmap): the OR of the bitmaps.
	BitmapOrAgg
	// BitmapAndAgg is bitmap_and_agg(bitmap): the AND of the bitmaps.
	BitmapAndAgg
	// HLLSketchAgg is hll_sketch_agg(x, Spec.Bins = lgConfigK) over int,
	// bigint, string or binary values.
	HLLSketchAgg
	// HLLUnionAgg is hll_union_agg(sketch, Spec.Desc =
	// allowDifferentLgConfigK).
	HLLUnionAgg
	// SchemaOfVariantAgg is schema_of_variant_agg(variant): the merged
	// schema of the values, in SQL form.
	SchemaOfVariantAgg
)

var sketchFuncNames = map[Func]string{BitmapConstructAgg: "bitmap_construct_agg", BitmapOrAgg: "bitmap_or_agg",
	BitmapAndAgg: "bitmap_and_agg", HLLSketchAgg: "hll_sketch_agg", HLLUnionAgg: "hll_union_agg",
	SchemaOfVariantAgg: "schema_of_variant_agg"}

// sketchResultType is ResultType for the sketch aggregates; ok is false
// for the others.
func sketchResultType(f Func, in arrow.DataType) (arrow.DataType, bool, error) {
	bin := arrow.BinaryTypes.Binary
	switch f {
	case BitmapConstructAgg:
		if in.ID() != arrow.INT64 {
			return nil, true, fmt.Errorf("%s of %s is not supported: the input must be cast to bigint", f, in)
		}
		return bin, true, nil
	case BitmapOrAgg, BitmapAndAgg, HLLUnionAgg:
		if in.ID() != arrow.BINARY {
			return nil, true, fmt.Errorf("%s of %s is not supported: the input must be binary", f, in)
		}
		return bin, true, nil
	case HLLSketchAgg:
		switch in.ID() {
		case arrow.INT32, arrow.INT64, arrow.STRING, arrow.BINARY:
			return bin, true, nil
		}
		return nil, true, fmt.Errorf("%s of %s is not supported: the input must be int, bigint, string or binary", f, in)
	case SchemaOfVariantAgg:
		if !fmtfn.IsVariant(in) {
			return nil, true, fmt.Errorf("%s of %s is not supported: the input must be a variant", f, in)
		}
		return arrow.BinaryTypes.String, true, nil
	}
	return nil, false, nil
}

// sketchStateFields is stateFields for the sketch aggregates.
func sketchStateFields(sp Spec) ([]arrow.Field, bool) {
	if _, ok := sketchFuncNames[sp.Func]; !ok {
		return nil, false
	}
	return []arrow.Field{{Name: sp.Name + "$sketch", Type: arrow.BinaryTypes.Binary, Nullable: true}}, true
}

// newSketchAccumulator is newAccumulator for the sketch aggregates.
func newSketchAccumulator(sp Spec, merge bool) (accumulator, bool, error) {
	switch sp.Func {
	case BitmapConstructAgg, BitmapOrAgg, BitmapAndAgg:
		return &bitmapAcc{f: sp.Func, merge: merge}, true, nil
	case HLLSketchAgg, HLLUnionAgg:
		lgK := sp.Bins
		if sp.Func == HLLSketchAgg {
			if err := sketchfn.CheckLgConfigK(sp.Func.String(), lgK); err != nil {
				return nil, true, err
			}
		}
		return &hllSketchAcc{f: sp.Func, merge: merge, lgK: int(lgK), allowDifferent: sp.Desc}, true, nil
	case SchemaOfVariantAgg:
		return &variantSchemaAcc{merge: merge}, true, nil
	}
	return nil, false, nil
}

// bitmapAcc keeps a 4 KiB bitmap per group: all zeros to start with, all
// ones for bitmap_and_agg (so that an empty group gives Spark's answers).
type bitmapAcc struct {
	f     Func
	merge bool
	maps  [][]byte
}

func (a *bitmapAcc) grow(n int) {
	for len(a.maps) < n {
		m := make([]byte, sketchfn.BitmapBytes)
		if a.f == BitmapAndAgg {
			for i := range m {
				m[i] = 0xFF
			}
		}
		a.maps = append(a.maps, m)
	}
}

func (a *bitmapAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if a.f == BitmapConstructAgg && !a.merge {
		pos, ok := c.(*array.Int64)
		if !ok {
			return fmt.Errorf("%s: input type %s, expected bigint", a.f, c.DataType())
		}
		for i, g := range gids {
			if pos.IsValid(i) {
				if err := sketchfn.SetBit(a.maps[g], pos.Value(i)); err != nil {
					return fmt.Errorf("%s: %w", a.f, err)
				}
			}
		}
		return nil
	}
	bs, ok := c.(*array.Binary)
	if !ok {
		return fmt.Errorf("%s: input type %s, expected binary", a.f, c.DataType())
	}
	for i, g := range gids {
		if bs.IsNull(i) {
			continue
		}
		v := bs.Value(i)
		if err := sketchfn.CheckInput(a.f.String(), v); err != nil {
			return err
		}
		if a.f == BitmapAndAgg {
			sketchfn.AndInto(a.maps[g], v)
		} else {
			sketchfn.OrInto(a.maps[g], v)
		}
	}
	return nil
}

func (a *bitmapAcc) out(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		b.Append(a.maps[g])
	}
	return b.NewArray()
}

func (a *bitmapAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	return []arrow.Array{a.out(mem, lo, hi)}, nil
}

func (a *bitmapAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return a.out(mem, lo, hi), nil
}

// hllSketchAcc keeps an HLL sketch per group. hll_union_agg's sketches
// take the lgConfigK of the first sketch they see (the default until then).
type hllSketchAcc struct {
	f              Func
	merge          bool
	lgK            int
	allowDifferent bool
	sketches       []*sketchfn.HLL
}

func (a *hllSketchAcc) grow(n int) { a.sketches = growTo(a.sketches, n) }

func (a *hllSketchAcc) sketch(g uint32) *sketchfn.HLL {
	if a.sketches[g] == nil && a.f == HLLSketchAgg {
		a.sketches[g] = sketchfn.NewHLL(a.lgK)
	}
	return a.sketches[g]
}

// mergeBytes merges a serialized sketch into group g.
func (a *hllSketchAcc) mergeBytes(g uint32, b []byte) error {
	s, err := sketchfn.UnmarshalHLL(b)
	if err != nil {
		return fmt.Errorf("[HLL_INVALID_INPUT_SKETCH_BUFFER] %s: %w", a.f, err)
	}
	cur := a.sketch(g)
	if cur == nil {
		a.sketches[g] = s
		return nil
	}
	allow := a.allowDifferent || a.f == HLLSketchAgg
	return cur.Merge(a.f.String(), s, allow)
}

func (a *hllSketchAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if d, ok := c.(*array.Dictionary); ok {
		plain, err := kernels.DecodeDictionary(memory.DefaultAllocator, d)
		if err != nil {
			return fmt.Errorf("%s: %w", a.f, err)
		}
		defer plain.Release()
		c = plain
	}
	if a.merge || a.f == HLLUnionAgg {
		bs, ok := c.(*array.Binary)
		if !ok {
			return fmt.Errorf("%s: input type %s, expected binary", a.f, c.DataType())
		}
		for i, g := range gids {
			if bs.IsValid(i) {
				if err := a.mergeBytes(g, bs.Value(i)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, g := range gids {
		if c.IsNull(i) {
			continue
		}
		switch v := c.(type) {
		case *array.Int32:
			a.sketch(g).Add(sketchfn.HashInt64(int64(v.Value(i))))
		case *array.Int64:
			a.sketch(g).Add(sketchfn.HashInt64(v.Value(i)))
		case *array.String:
			// Spark skips empty strings and binaries.
			if s := v.Value(i); s != "" {
				a.sketch(g).Add(sketchfn.HashBytes([]byte(s)))
			}
		case *array.Binary:
			if b := v.Value(i); len(b) > 0 {
				a.sketch(g).Add(sketchfn.HashBytes(b))
			}
		default:
			return fmt.Errorf("%s: input type %s, expected int, bigint, string or binary", a.f, c.DataType())
		}
	}
	return nil
}

func (a *hllSketchAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if s := a.sketches[g]; s != nil {
			b.Append(s.Marshal())
		} else {
			b.AppendNull()
		}
	}
	return []arrow.Array{b.NewArray()}, nil
}

// result is each group's sketch; a group without input has an empty one
// (Spark's sketches are never null), with the default lgConfigK for
// hll_union_agg.
func (a *hllSketchAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		s := a.sketches[g]
		if s == nil {
			lgK := a.lgK
			if a.f == HLLUnionAgg {
				lgK = sketchfn.DefaultLgConfigK
			}
			s = sketchfn.NewHLL(lgK)
		}
		b.Append(s.Marshal())
	}
	return b.NewArray(), nil
}

// variantSchemaAcc keeps the merged schema of each group's variants; its
// partial state is the schema's JSON form.
type variantSchemaAcc struct {
	merge   bool
	schemas []fmtfn.VariantSchema
}

func (a *variantSchemaAcc) grow(n int) { a.schemas = growTo(a.schemas, n) }

func (a *variantSchemaAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if e, ok := c.(array.ExtensionArray); ok {
		c = e.Storage()
	}
	if a.merge {
		bs, ok := c.(*array.Binary)
		if !ok {
			return fmt.Errorf("schema_of_variant_agg: state type %s, expected binary", c.DataType())
		}
		for i, g := range gids {
			if bs.IsValid(i) {
				var s fmtfn.VariantSchema
				if err := s.UnmarshalBinary(bs.Value(i)); err != nil {
					return err
				}
				a.schemas[g].Merge(&s)
			}
		}
		return nil
	}
	strs, ok := c.(*array.String)
	if !ok {
		return fmt.Errorf("schema_of_variant_agg: input type %s, expected a variant", cols[0].DataType())
	}
	for i, g := range gids {
		if strs.IsValid(i) {
			if err := a.schemas[g].AddCanonical(strs.Value(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *variantSchemaAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		v, err := a.schemas[g].MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("schema_of_variant_agg: %w", err)
		}
		b.Append(v)
	}
	return []arrow.Array{b.NewArray()}, nil
}

// result is each group's schema; VOID for a group without values, as
// Spark's.
func (a *variantSchemaAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for g := lo; g < hi; g++ {
		b.Append(a.schemas[g].String())
	}
	return b.NewArray(), nil
}
