package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestSparkStringFunctions checks the Go API of the string functions
// against Spark's documented examples.
func TestSparkStringFunctions(t *testing.T) {
	s := strOneRow(t)
	df := s.Table("one")
	cols := []frame.Column{
		F.SplitPart(frame.Lit("11.12.13"), ".", 3),
		F.SubstringIndex(frame.Lit("www.apache.org"), ".", 2),
		F.FindInSet(frame.Lit("ab"), frame.Lit("abc,b,ab,c,def")),
		F.Elt(1, frame.Lit("scala"), frame.Lit("java")),
		F.Overlay(frame.Lit("Spark SQL"), frame.Lit("tructured"), 2, 4),
		F.Soundex(frame.Lit("Miller")),
		F.Levenshtein(frame.Lit("kitten"), frame.Lit("sitting")),
		F.LevenshteinThreshold(frame.Lit("kitten"), frame.Lit("sitting"), 2),
		F.LuhnCheck(frame.Lit("79927398713")),
		F.StartsWith(frame.Lit("Spark SQL"), "Spark"),
		F.EndsWith(frame.Lit("Spark SQL"), "Spark"),
		F.Contains(frame.Lit("Spark SQL"), "SPARK"),
		F.Chr(frame.Lit(65)),
		F.Base64(frame.Lit("Spark SQL")),
		F.Unbase64(frame.Lit("U3BhcmsgU1FM")),
		F.Mask(frame.Lit("abcd-EFGH-8765-4321")),
		F.MaskWith(frame.Lit("AbCD123-@$#"), nil, "q", "d", "o"),
		F.Like(frame.Lit("Spark"), "_park"),
		F.ILike(frame.Lit("Spark"), "_Park"),
		F.FormatString("Hello World %d %s", frame.Lit(100), frame.Lit("days")),
		F.ToChar(frame.Lit(12454), "99G999"),
		F.TryToNumber(frame.Lit("foo"), "999"),
		F.LikeEscape(frame.Lit("%SystemDrive%/Users/John"), "/%SystemDrive/%//Users%", "/"),
	}
	rows, err := df.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"13", "www.apache", int32(3), "scala", "Structured SQL", "M460", int32(3), int32(-1), true, true, false, false, "A", "U3BhcmsgU1FM", []byte("Spark SQL"), "xxxx-XXXX-nnnn-nnnn", "AqCDdddoooo", true, true, "Hello World 100 days", "12,454", nil, true}
	if got := rows[0]; !reflect.DeepEqual([]any(got), want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
