package frame

import "github.com/gspark/gspark/planner/functions"

// GetItem is c[key], PySpark's Column.getItem: for an array the element at
// the 0-based index key (an error outside the array, as Spark 4 with ANSI
// on; use F.Get for null instead), for a map the value of key (null when
// absent), for a struct the field named key. key is a Go value or a Column.
func (c Column) GetItem(key any) Column {
	k := Lit(key)
	if c.err != nil {
		return c
	}
	if k.err != nil {
		return k
	}
	return Call(functions.SubscriptName, c, k)
}

// GetField is the field name of a struct column, PySpark's Column.getField
// (matched case-insensitively, as Spark's default resolver does).
func (c Column) GetField(name string) Column { return c.GetItem(name) }
