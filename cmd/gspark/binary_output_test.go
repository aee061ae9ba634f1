package main

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/gspark/gspark/frame"
)

// TestBinaryText checks each spark.sql.binaryOutputStyle on the bytes of
// "Spark" (53 70 61 72 6B) and on FF 41 against the forms Spark 4.0's
// SQLConf documents ([83, 112, 97, 114, 107], U3Bhcmsg-style unpadded
// Base64, 537061726B, [53 70 61 72 6B]); BASIC shows Java's signed bytes
// (FF is -1) and UTF-8 decodes a malformed byte to U+FFFD, both computed by
// hand.
func TestBinaryText(t *testing.T) {
	spark, bad := []byte("Spark"), []byte{0xff, 0x41}
	cases := []struct {
		style     string
		spark, ff string
	}{
		{"UTF-8", "Spark", "\uFFFDA"},
		{"BASIC", "[83, 112, 97, 114, 107]", "[-1, 65]"},
		{"BASE64", "U3Bhcms", "/0E"},
		{"HEX", "537061726B", "FF41"},
		{"HEX_DISCRETE", "[53 70 61 72 6B]", "[FF 41]"},
	}
	for _, c := range cases {
		if got := binaryText(c.style, spark); got != c.spark {
			t.Errorf("%s of Spark: got %q, want %q", c.style, got, c.spark)
		}
		if got := binaryText(c.style, bad); got != c.ff {
			t.Errorf("%s of FF41: got %q, want %q", c.style, got, c.ff)
		}
	}
}

// TestSQLBinaryOutput runs gspark sql's printer: binaries show as UTF-8
// text unless spark.sql.binaryOutputStyle says otherwise, in every format.
func TestSQLBinaryOutput(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	for _, c := range []struct{ format, script, want string }{
		{"csv", "SELECT X'537061726B' AS b", "b\r\nSpark\r\n"},
		{"json", "SELECT X'537061726B' AS b, array(X'41') AS a", "{\"b\": \"Spark\", \"a\": \"[A]\"}\n]\n"},
		{"csv", "SET spark.sql.binaryOutputStyle=HEX_DISCRETE; SELECT X'537061726B' AS b", "b\r\n[53 70 61 72 6B]\r\n"},
	} {
		f, err := formatter(c.format)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := runSQL(context.Background(), s, c.script, f, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", c.script, err)
		}
		if got := out.String(); !bytes.HasSuffix([]byte(got), []byte(c.want)) {
			t.Errorf("%s (%s): got %q, want it to end with %q", c.script, c.format, got, c.want)
		}
	}
}
