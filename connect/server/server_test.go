package server_test

import (
	"context"
	"reflect"
	"testing"
)

func TestSQLSelectOne(t *testing.T) {
	spark := connect(t, startServer(t))
	ctx := context.Background()
	df, err := spark.Sql(ctx, "SELECT 1 AS one, 'a' AS s")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := rowValues(rows)
	want := [][]any{{int32(1), "a"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}
