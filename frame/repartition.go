package frame

import "github.com/gspark/gspark/planner/logical"

// Repartition redistributes the rows into n partitions: by a hash of cols,
// so that equal values land in the same partition, or spread over all
// columns when none are given.
func (df *DataFrame) Repartition(n int, cols ...Column) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		keys, err := exprs(cols)
		if err != nil {
			return nil, err
		}
		return &logical.Repartition{N: n, Keys: keys, Child: df.plan}, nil
	})
}

// Coalesce reduces the number of partitions to n by reading several
// partitions one after another, without moving rows. Over the output of an
// exchange (a repartition, an aggregation, a partitioned join), whose
// partitions must be read together, it gathers them into one partition, or
// deals their rows to n partitions in turn.
func (df *DataFrame) Coalesce(n int) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		return &logical.Repartition{N: n, Coalesce: true, Child: df.plan}, nil
	})
}
