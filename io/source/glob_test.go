package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestListFilesGlob(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"y=2020/m=1/part-0.csv", "y=2020/m=2/part-0.csv.gz", "y=2021/m=1/part-0.csv",
		"y=2021/m=1/_SUCCESS", "y=2021/m=1/.part-1.csv.crc", "y=2021/notes.txt", "_tmp/part-9.csv",
	} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(files []string) string {
		var out []string
		for _, f := range files {
			r, _ := filepath.Rel(dir, f)
			out = append(out, filepath.ToSlash(r))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ pattern, want string }{
		{"*/*/part-*.csv", "y=2020/m=1/part-0.csv y=2021/m=1/part-0.csv"},
		{"y=202[01]/m=1", "y=2020/m=1/part-0.csv y=2021/m=1/part-0.csv"},
		{"y=2020/*", "y=2020/m=1/part-0.csv y=2020/m=2/part-0.csv.gz"},
		{"*", "y=2020/m=1/part-0.csv y=2020/m=2/part-0.csv.gz y=2021/m=1/part-0.csv"},
		{"y=202?/m=?/part-0.csv*", "y=2020/m=1/part-0.csv y=2020/m=2/part-0.csv.gz y=2021/m=1/part-0.csv"},
	} {
		got, err := ListFiles(filepath.Join(dir, tc.pattern), ".csv")
		if err != nil || rel(got) != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.pattern, rel(got), err, tc.want)
		}
	}
	if _, err := ListFiles(filepath.Join(dir, "*/m=9"), ".csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no match: %v", err)
	}
	if _, err := ListFiles(filepath.Join(dir, "y=[2020"), ".csv"); err == nil {
		t.Error("bad pattern accepted")
	}
}
