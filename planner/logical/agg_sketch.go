package logical

// The sketch aggregates, numbered apart from the others: Spark's
// bitmap_*_agg and hll_sketch_agg/hll_union_agg. hll_sketch_agg keeps its
// lgConfigK in AggregateCall.Bins, hll_union_agg its
// allowDifferentLgConfigK in AggregateCall.Desc.
const (
	AggBitmapConstruct AggFunc = 1000 + iota
	AggBitmapOr
	AggBitmapAnd
	AggHLLSketch
	AggHLLUnion
	// AggSchemaOfVariant is schema_of_variant_agg, kept with the sketches
	// as another aggregate whose state is a summary of the values.
	AggSchemaOfVariant
)

var sketchAggNames = map[AggFunc]string{
	AggBitmapConstruct: "bitmap_construct_agg",
	AggBitmapOr:        "bitmap_or_agg",
	AggBitmapAnd:       "bitmap_and_agg",
	AggHLLSketch:       "hll_sketch_agg",
	AggHLLUnion:        "hll_union_agg",
	AggSchemaOfVariant: "schema_of_variant_agg",
}

// IsSketch reports whether f is one of the sketch aggregates.
func (f AggFunc) IsSketch() bool {
	_, ok := sketchAggNames[f]
	return ok
}
