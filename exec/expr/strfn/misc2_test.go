package strfn

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// utf8Prefixes is every proper prefix of the UTF-8 encoding of every
// scalar value, built with Go's encoder: the naive reference of a maximal
// subpart (Unicode D86).
var utf8Prefixes = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	buf := make([]byte, 4)
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		n := utf8.EncodeRune(buf, r)
		for l := 1; l < n; l++ {
			m[string(buf[:l])] = true
		}
	}
	return m
})

// refMakeValid replaces each maximal subpart of an ill-formed sequence
// with U+FFFD, reading the definitions directly: a character is a
// well-formed encoding Go decodes; otherwise the longest prefix of some
// encoding (at least one byte) is replaced.
func refMakeValid(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size == 3 {
			out.WriteString(s[i : i+size])
			i += size
			continue
		}
		l := 1
		for k := min(3, len(s)-i); k > 1; k-- {
			if utf8Prefixes()[s[i:i+k]] {
				l = k
				break
			}
		}
		out.WriteRune(utf8.RuneError)
		i += l
	}
	return out.String()
}

// randBytes mixes valid characters with bytes that start, continue or
// break sequences.
func randBytes(r *rand.Rand, n int) string {
	pieces := []string{"a", "é", "日", "😀", "\x80", "\xbf", "\xc0", "\xc2", "\xe0", "\xe1\x80", "\xed\xa0", "\xed\x9f\xbf",
		"\xf0\x9f", "\xf0\x90\x80", "\xf4\x8f\xbf\xbf", "\xf4\x90", "\xf5", "\xff", "\xef\xbf\xbd"}
	var sb strings.Builder
	for range r.IntN(n + 1) {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	return sb.String()
}

func TestUTF8FunctionsAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 1))
	rows := make([][]any, 400)
	for i := range rows {
		if i%9 != 4 {
			rows[i] = []any{randBytes(r, 8)}
		} else {
			rows[i] = []any{nil}
		}
	}
	rows = append(rows, []any{""}) // the empty string is valid
	b := exectest.Batch(mem, schemaFor("s"), rows)
	defer b.Release()
	col := columns(schemaFor("s"))[0]
	cases := []struct {
		name  string
		build func(expr.Expr) (expr.Expr, error)
		ref   func(s string) any
	}{
		{"is_valid_utf8", IsValidUTF8, func(s string) any { return utf8.ValidString(s) }},
		{"make_valid_utf8", MakeValidUTF8, func(s string) any { return refMakeValid(s) }},
		{"try_validate_utf8", func(e expr.Expr) (expr.Expr, error) { return ValidateUTF8(e, true) }, func(s string) any {
			if utf8.ValidString(s) {
				return s
			}
			return nil
		}},
	}
	for _, c := range cases {
		e, err := c.build(col)
		if err != nil {
			t.Fatal(err)
		}
		got := eval(t, mem, e, b)
		for i, row := range rows {
			var want any
			if row[0] != nil {
				want = c.ref(row[0].(string))
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s(%q) = %#v, want %#v", c.name, row[0], got[i], want)
			}
		}
	}
	// validate_utf8 fails on the first invalid row, naming the function.
	e, err := ValidateUTF8(col, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(mem, b); err == nil || !errors.Is(err, expr.ErrInvalidCast) || !strings.Contains(err.Error(), "validate_utf8") {
		t.Fatalf("validate_utf8 of invalid bytes: %v", err)
	}
}

func TestMakeValidUTF8MaximalSubparts(t *testing.T) {
	// Unicode 15, table 3-8's example: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
	// becomes a, one U+FFFD for F1 80 80, one for E1 80, one for C2, b, one
	// for 80, c, one each for 80 and BF, d.
	in := "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"
	want := "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd"
	if got := string(appendValidUTF8(nil, []byte(in))); got != want {
		t.Fatalf("makeValid(% X) = %q, want %q", in, got, want)
	}
}

func TestToBinaryAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 2))
	var rows [][]any
	for i := range 300 {
		raw := make([]byte, r.IntN(7))
		for j := range raw {
			raw[j] = byte(r.IntN(256))
		}
		switch i % 5 {
		case 0:
			rows = append(rows, []any{strings.ToLower(hex.EncodeToString(raw))})
		case 1:
			rows = append(rows, []any{base64.StdEncoding.EncodeToString(raw)})
		case 2:
			rows = append(rows, []any{base64.RawStdEncoding.EncodeToString(raw)})
		case 3:
			rows = append(rows, []any{nil})
		default:
			rows = append(rows, []any{randString(r, 4)})
		}
	}
	b := exectest.Batch(mem, schemaFor("s"), rows)
	defer b.Release()
	col := columns(schemaFor("s"))[0]
	refs := map[string]func(s string) ([]byte, bool){
		"hex": func(s string) ([]byte, bool) {
			if len(s)%2 == 1 {
				s = "0" + s
			}
			out, err := hex.DecodeString(s)
			return out, err == nil
		},
		"base64": func(s string) ([]byte, bool) {
			out, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				out, err = base64.RawStdEncoding.DecodeString(s)
			}
			return out, err == nil
		},
		"utf-8": func(s string) ([]byte, bool) { return []byte(s), true },
	}
	for format, ref := range refs {
		e, err := ToBinary(col, format, true)
		if err != nil {
			t.Fatal(err)
		}
		got := eval(t, mem, e, b)
		for i, row := range rows {
			var want any
			if row[0] != nil {
				if out, ok := ref(row[0].(string)); ok {
					want = string(out)
				}
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("try_to_binary(%q, %s) = %#v, want %#v", row[0], format, got[i], want)
			}
		}
	}
	if _, err := ToBinary(col, "latin1", false); err == nil {
		t.Fatal("to_binary accepted the format latin1")
	}
}

func TestRegexpExtractAllAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 3))
	rows := randRows(r, "s", 300)
	b := exectest.Batch(mem, schemaFor("s"), rows)
	defer b.Release()
	col := columns(schemaFor("s"))[0]
	pattern := `([a-b]+)(é)?`
	re := regexp.MustCompile(pattern)
	for idx := range 3 {
		e, err := RegexpExtractAll(col, pattern, idx)
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.Eval(mem, b)
		if err != nil {
			t.Fatal(err)
		}
		l := a.(*array.List)
		vals := l.ListValues().(*array.String)
		for i, row := range rows {
			if row[0] == nil {
				if !l.IsNull(i) {
					t.Errorf("row %d: NULL input gave a non-null array", i)
				}
				continue
			}
			want := []string{}
			for _, m := range re.FindAllStringSubmatch(row[0].(string), -1) {
				want = append(want, m[idx]) // "" for a group that takes no part
			}
			lo, hi := l.ValueOffsets(i)
			got := []string{}
			for j := lo; j < hi; j++ {
				got = append(got, vals.Value(int(j)))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("regexp_extract_all(%q, %q, %d) = %q, want %q", row[0], pattern, idx, got, want)
			}
		}
		a.Release()
	}
	if _, err := RegexpExtractAll(col, pattern, 3); err == nil {
		t.Fatal("group 3 of a pattern with 2 groups was accepted")
	}
}

func TestAESRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 4))
	for _, mode := range []string{"GCM", "CBC", "ECB"} {
		for _, keyLen := range []int{16, 24, 32} {
			for range 20 {
				key := make([]byte, keyLen)
				msg := make([]byte, r.IntN(40))
				for i := range key {
					key[i] = byte(r.IntN(256))
				}
				for i := range msg {
					msg[i] = byte(r.IntN(256))
				}
				var aad []byte
				if mode == "GCM" && r.IntN(2) == 0 {
					aad = []byte("context")
				}
				ct, err := aesEncrypt(nil, msg, key, []byte(mode), []byte("DEFAULT"), nil, aad)
				if err != nil {
					t.Fatal(err)
				}
				wantLen := map[string]int{"GCM": 12 + len(msg) + 16, "CBC": 16 + (len(msg)/16+1)*16, "ECB": (len(msg)/16 + 1) * 16}[mode]
				if len(ct) != wantLen {
					t.Fatalf("%s: %d bytes of ciphertext for %d bytes, want %d", mode, len(ct), len(msg), wantLen)
				}
				pt, err := aesDecrypt(nil, ct, key, []byte(strings.ToLower(mode)), []byte("DEFAULT"), aad, "aes_decrypt")
				if err != nil || !bytes.Equal(pt, msg) {
					t.Fatalf("%s round trip: %v, %x != %x", mode, err, pt, msg)
				}
				ct[len(ct)-1] ^= 1
				if pt, err := aesDecrypt(nil, ct, key, []byte(mode), []byte("DEFAULT"), aad, "aes_decrypt"); err == nil && mode == "GCM" {
					t.Fatalf("GCM accepted a changed tag: %x", pt)
				}
			}
		}
	}
	if _, err := aesEncrypt(nil, []byte("x"), []byte("abc"), []byte("GCM"), []byte("DEFAULT"), nil, nil); err == nil ||
		!strings.Contains(err.Error(), "AES_KEY_LENGTH") || !strings.Contains(err.Error(), "`aes_encrypt`") {
		t.Fatalf("a 3-byte key: %v", err)
	}
}

func TestAESDecryptTry(t *testing.T) {
	mem := exectest.Alloc(t)
	ct, err := aesEncrypt(nil, []byte("Spark"), []byte("0000111122223333"), []byte("GCM"), []byte("DEFAULT"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{string(ct), "0000111122223333"}, {string(ct), "0000111122223334"}, {string(ct), "short"}, {nil, "0000111122223333"}}
	b := exectest.Batch(mem, schemaFor("ss"), rows)
	defer b.Release()
	c := columns(schemaFor("ss"))
	mode, _ := StringConst("GCM")
	pad, _ := StringConst("DEFAULT")
	aad, _ := StringConst("")
	e, err := AESDecrypt(c[0], c[1], mode, pad, aad, true)
	if err != nil {
		t.Fatal(err)
	}
	got := eval(t, mem, e, b)
	if want := []any{"Spark", nil, nil, nil}; !reflect.DeepEqual(got, want) {
		t.Fatalf("try_aes_decrypt = %#v, want %#v", got, want)
	}
	e, _ = AESDecrypt(c[0], c[1], mode, pad, aad, false)
	if _, err := e.Eval(mem, b); !errors.Is(err, ErrAES) || !strings.Contains(err.Error(), "AES_CRYPTO_ERROR") {
		t.Fatalf("aes_decrypt with a wrong key: %v", err)
	}
}
