package functions_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestMisc2Functions checks the Go API of the last Spark 4.0 built-ins
// against Spark's documented examples.
func TestMisc2Functions(t *testing.T) {
	s := strOneRow(t)
	df := s.Table("one")
	gcm := F.Unhex(frame.Lit("6E7CA17BBB468D3084B5744BCA729FB7B2B7BCB8E4472847D02670489D95FA97DBBA7D3210"))
	key := frame.Lit("0000111122223333")
	cols := []frame.Column{
		frame.Call("array_join", F.RegexpExtractAll(frame.Lit("100-200, 300-400"), `(\d+)-(\d+)`, 1), frame.Lit(",")),
		F.RegexpInstrGroup(frame.Lit("user@spark.apache.org"), "@[^.]*", 0),
		F.Decode(F.ToBinary(frame.Lit("abc"), "utf-8"), "utf-8"),
		F.TryToBinary(frame.Lit("a!"), "base64"),
		F.IsValidUTF8(frame.Lit("Spark")),
		F.MakeValidUTF8(F.Unhex(frame.Lit("61C262"))),
		F.ValidateUTF8(frame.Lit("Spark")),
		F.TryValidateUTF8(F.Unhex(frame.Lit("80"))),
		F.XxHash64(frame.Lit("Spark"), frame.Call("array", frame.Lit(123)), frame.Lit(2)),
		F.Uniform(10, 20, 0),
		F.RandStr(3, 0),
		F.TryMakeInterval(frame.Lit(2147483647)),
		F.Decode(F.AesDecrypt(gcm, key, "GCM", "DEFAULT"), "utf-8"),
		F.Decode(F.TryAesDecrypt(gcm, key, "GCM", "DEFAULT"), "utf-8"),
		F.Decode(F.AesDecrypt(F.AesEncrypt(frame.Lit("Spark"), key, "CBC", "PKCS"), key, "CBC", "PKCS"), "utf-8"),
	}
	rows, err := df.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"100,300", int32(5), "abc", nil, true, "a\uFFFDb", "Spark", nil, int64(5602566077635097486), int32(17), "ceV", nil, "Spark SQL", "Spark SQL", "Spark"}
	if got := rows[0]; !reflect.DeepEqual([]any(got), want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	_, err = df.Select(frame.Call("reflect", frame.Lit("java.util.UUID"), frame.Lit("randomUUID"))).Collect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not supported: it calls Java methods") {
		t.Fatalf("reflect: %v", err)
	}
}
