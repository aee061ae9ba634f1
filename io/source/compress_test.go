package source

import (
	"bytes"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

const text = "id,name\n1,a\n2,b\n"

func gzipped(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstded(t *testing.T, s string) []byte {
	w, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	return w.EncodeAll([]byte(s), nil)
}

func readText(r io.Reader, name string) (string, error) {
	tr, release, err := Decompress(r, name)
	if err != nil {
		return "", err
	}
	defer release()
	b, err := io.ReadAll(tr)
	return string(b), err
}

func TestDecompressByExtension(t *testing.T) {
	for name, data := range map[string][]byte{
		"a.csv.gz":  gzipped(t, text),
		"a.CSV.GZ":  gzipped(t, text),
		"a.csv.zst": zstded(t, text),
		"a.csv":     []byte(text),
		"a.json":    nil,
	} {
		got, err := readText(bytes.NewReader(data), name)
		want := text
		if data == nil {
			want = ""
		}
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v", name, got, err)
		}
	}
	// Concatenated gzip members are one stream, as gzip -d reads them.
	two := append(gzipped(t, "x\n"), gzipped(t, "y\n")...)
	if got, err := readText(bytes.NewReader(two), "t.gz"); err != nil || got != "x\ny\n" {
		t.Errorf("multistream: got %q, %v", got, err)
	}
}

func TestDecompressErrorsNameTheFile(t *testing.T) {
	gz := gzipped(t, strings.Repeat(text, 100))
	cases := map[string]struct {
		data []byte
		want string
	}{
		"gzip without .gz":  {gz, "gzip-compressed but its name does not end in .gz"},
		"zstd without .zst": {zstded(t, text), "zstd-compressed but its name does not end in .zst"},
		"bzip2 without .bz2": {append([]byte("BZh91AY&SY"), 0, 0, 0),
			"bzip2-compressed but its name does not end in .bz2"},
		"xz":            {[]byte{0xfd, '7', 'z', 'X', 'Z', 0, 0, 4}, "xz-compressed, which is not supported"},
		"zip":           {[]byte("PK\x03\x04\x14\x00"), "zip-compressed, which is not supported"},
		"not gzip":      {[]byte(text), "not gzip data"},
		"corrupt gzip":  {append(gz[:20:20], bytes.Repeat([]byte{0x55}, 40)...), "gzip"},
		"truncated zst": {zstded(t, strings.Repeat(text, 100))[:10], "zstd"},
	}
	for what, c := range cases {
		name := "dir/data.csv"
		switch what {
		case "not gzip", "corrupt gzip":
			name = "dir/data.csv.gz"
		case "truncated zst":
			name = "dir/data.csv.zst"
		}
		_, err := readText(bytes.NewReader(c.data), name)
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error naming %s with %q", what, err, name, c.want)
		}
	}
	// Text that merely starts like a bzip2 header is text.
	if got, err := readText(strings.NewReader("BZh,x\n1,2\n"), "a.csv"); err != nil || got != "BZh,x\n1,2\n" {
		t.Errorf("BZh text: got %q, %v", got, err)
	}
}

func TestListFilesCompressed(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"a.csv", "b.csv.gz", "c.csv.zst", "d.csv.bz2", "e.json.gz", "f.gz", "g.csv.tmp"} {
		writeFile(t, filepath.Join(root, p), "x")
	}
	got, err := ListFiles(root, ".csv")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range []string{"a.csv", "b.csv.gz", "c.csv.zst", "d.csv.bz2"} {
		want = append(want, filepath.Join(root, p))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}
