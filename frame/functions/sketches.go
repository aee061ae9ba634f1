package functions

import (
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// BitmapBucketNumber is bitmap_bucket_number(c): the 32768-value bucket of
// the bigint c (1 for 1..32768, 0 for 0..-32767).
func BitmapBucketNumber(c frame.Column) frame.Column { return frame.Call("bitmap_bucket_number", c) }

// BitmapBitPosition is bitmap_bit_position(c): the position of the bigint
// c in its bucket, 0..32767.
func BitmapBitPosition(c frame.Column) frame.Column { return frame.Call("bitmap_bit_position", c) }

// BitmapCount is bitmap_count(c): the number of bits set in the binary c.
func BitmapCount(c frame.Column) frame.Column { return frame.Call("bitmap_count", c) }

// BitmapConstructAgg is bitmap_construct_agg(c): Spark's 4096-byte bitmap
// with the bits of the positions c (0..32767) set.
func BitmapConstructAgg(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggBitmapConstruct}, c)
}

// BitmapOrAgg is bitmap_or_agg(c): the bitwise OR of the bitmaps c.
func BitmapOrAgg(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggBitmapOr}, c)
}

// BitmapAndAgg is bitmap_and_agg(c): the bitwise AND of the bitmaps c.
func BitmapAndAgg(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggBitmapAnd}, c)
}

// HllSketchAgg is hll_sketch_agg(c, lgConfigK): an HLL sketch (gspark's
// binary format) of the int, bigint, string or binary values c, with
// 2^lgConfigK registers (4..21; Spark's default is 12).
func HllSketchAgg(c frame.Column, lgConfigK int) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggHLLSketch, Bins: int64(lgConfigK)}, c)
}

// HllUnionAgg is hll_union_agg(c, allowDifferentLgConfigK): the union of
// the sketches c.
func HllUnionAgg(c frame.Column, allowDifferentLgConfigK bool) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggHLLUnion, Desc: allowDifferentLgConfigK}, c)
}

// HllSketchEstimate is hll_sketch_estimate(c): the estimated number of
// distinct values of the sketch c.
func HllSketchEstimate(c frame.Column) frame.Column { return frame.Call("hll_sketch_estimate", c) }

// HllUnion is hll_union(a, b, allowDifferentLgConfigK): the union of two
// sketches.
func HllUnion(a, b frame.Column, allowDifferentLgConfigK bool) frame.Column {
	return frame.Call("hll_union", a, b, frame.Lit(allowDifferentLgConfigK))
}

// Collation is collation(c): the collation of the string c, always
// UTF8_BINARY in gspark.
func Collation(c frame.Column) frame.Column { return frame.Call("collation", c) }

// Collate is collate(c, collation): c itself for UTF8_BINARY; any other
// collation is an error.
func Collate(c frame.Column, collation string) frame.Column {
	return frame.Call("collate", c, frame.Lit(collation))
}

// SchemaOfVariantAgg is schema_of_variant_agg(c): the merged schema of the
// variants c in SQL form (BIGINT, OBJECT<a: BIGINT>, …).
func SchemaOfVariantAgg(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggSchemaOfVariant}, c)
}
