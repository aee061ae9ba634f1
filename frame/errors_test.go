package frame_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestErrorsAreClear(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	ctx := context.Background()

	t.Run("missing file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.parquet")
		df := s.Read().Parquet(missing)
		if err := df.Err(); err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Fatalf("got %v", err)
		}
		if _, err := df.Collect(ctx); err == nil {
			t.Fatal("an action on a failed read must fail")
		}
	})
	t.Run("malformed csv row names file line and column", func(t *testing.T) {
		p := writeFile(t, "bad.csv", "a,b\n1,2\n3,x\n")
		df := s.Read().Option("header", "true").Option("inferSchema", "false").CSV(p)
		if df.Err() != nil {
			t.Fatal(df.Err())
		}
		_, err := df.Select(F.Col("b").Cast("int")).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), "x") {
			t.Fatalf("a bad cast must name the value: %v", err)
		}
		p2 := writeFile(t, "short.csv", "a,b\n1,2\n3\n")
		_, err = s.Read().Option("header", "true").Option("mode", "FAILFAST").CSV(p2).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), p2+":3:") {
			t.Fatalf("want an error naming %s:3:<col>, got %v", p2, err)
		}
	})
	t.Run("unknown column suggests", func(t *testing.T) {
		df := s.Table("samples.lineitem").Filter(F.Col("l_quantiy").Gt(1))
		err := df.Err()
		if err == nil || !strings.Contains(err.Error(), "unknown column l_quantiy in Filter; did you mean l_quantity?") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unknown table suggests", func(t *testing.T) {
		err := s.Table("samples.lineitems").Err()
		if err == nil || !strings.Contains(err.Error(), "did you mean samples.lineitem?") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("type mismatch", func(t *testing.T) {
		err := s.Table("samples.lineitem").Select(F.Col("l_comment").Add(1)).Err()
		if err == nil || !strings.Contains(err.Error(), "type mismatch") || !strings.Contains(err.Error(), "string") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("bad type name", func(t *testing.T) {
		err := s.Table("samples.nation").Select(F.Col("n_name").Cast("strng")).Err()
		if err == nil || !strings.Contains(err.Error(), `unknown type "strng"`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ansi overflow names the expression", func(t *testing.T) {
		_, err := s.Table("samples.nation").Select(F.Col("n_nationkey").Add(F.Lit(int64(9223372036854775807)))).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), "n_nationkey") {
			t.Fatalf("got %v", err)
		}
	})
}
