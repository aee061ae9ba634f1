package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// entries lists the names in dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func noTemps(t *testing.T, parent string) {
	t.Helper()
	for _, n := range entries(t, parent) {
		if strings.HasPrefix(n, ".") {
			t.Errorf("leftover temporary entry %s in %s", n, parent)
		}
	}
}

func TestListFiles(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{
		"b.parquet", "a.parquet", "c.txt", "_SUCCESS", ".hidden.parquet", "_tmp/x.parquet",
		".ds.tmp-1/y.parquet", "sub/z.parquet", "sub/a.parquet", "a2/q.parquet",
	} {
		writeFile(t, filepath.Join(root, p), "x")
	}
	got, err := ListFiles(root, ".parquet")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range []string{"a.parquet", "a2/q.parquet", "b.parquet", "sub/a.parquet", "sub/z.parquet"} {
		want = append(want, filepath.Join(root, p))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	all, err := ListFiles(root, "")
	if err != nil || len(all) != 6 {
		t.Fatalf("ext \"\": %v %v", all, err)
	}
	one := filepath.Join(root, "c.txt")
	if got, err := ListFiles(one, ".parquet"); err != nil || !reflect.DeepEqual(got, []string{one}) {
		t.Fatalf("single file: %v %v", got, err)
	}
	_, err = ListFiles(filepath.Join(root, "missing"), "")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing: %v", err)
	}
	empty := filepath.Join(root, "empty")
	writeFile(t, filepath.Join(empty, "_SUCCESS"), "")
	if _, err := ListFiles(empty, ".parquet"); err == nil || !strings.Contains(err.Error(), "no .parquet files") {
		t.Fatalf("empty: %v", err)
	}
}

func TestParseSaveMode(t *testing.T) {
	for in, want := range map[string]SaveMode{
		"": ErrorIfExists, "error": ErrorIfExists, "ErrorIfExists": ErrorIfExists,
		"OVERWRITE": Overwrite, "append": Append, "Ignore": Ignore,
	} {
		got, err := ParseSaveMode(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseSaveMode("replace"); err == nil || !strings.Contains(err.Error(), "overwrite, append, ignore") {
		t.Errorf("unknown: %v", err)
	}
	for _, m := range []SaveMode{ErrorIfExists, Overwrite, Append, Ignore} {
		if got, err := ParseSaveMode(m.String()); err != nil || got != m {
			t.Errorf("round trip %v: %v %v", m, got, err)
		}
	}
}

func writeParts(t *testing.T, tx *Txn, n int, content string) []string {
	t.Helper()
	var names []string
	for i := range n {
		name := tx.PartName(i, ".csv")
		f, err := tx.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(content); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

func TestWriteNewAndErrorIfExists(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	tx, err := BeginWrite(dir, ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	names := writeParts(t, tx, 2, "new")
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("dataset visible before commit: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want := append([]string{"_SUCCESS"}, names...)
	sort.Strings(want)
	if got := entries(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	noTemps(t, parent)
	_, err = BeginWrite(dir, ErrorIfExists)
	if !errors.Is(err, fs.ErrExist) || err.Error() != fmt.Sprintf("path %s already exists (save mode error)", dir) {
		t.Fatalf("exists: %v", err)
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("second commit should fail")
	}
}

func TestWriteOverwrite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	writeFile(t, filepath.Join(dir, "old.csv"), "old")

	// An aborted overwrite leaves the old dataset intact and no temp dirs.
	tx, err := BeginWrite(dir, Overwrite)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 3, "new")
	if err := tx.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, []string{"old.csv"}) {
		t.Fatalf("after abort: %v", got)
	}
	noTemps(t, parent)
	if _, err := tx.Create("x"); err == nil {
		t.Fatal("create after abort should fail")
	}

	tx, err = BeginWrite(dir, Overwrite)
	if err != nil {
		t.Fatal(err)
	}
	names := writeParts(t, tx, 1, "new")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, []string{"_SUCCESS", names[0]}) {
		t.Fatalf("after overwrite: %v", got)
	}
	noTemps(t, parent)
	if err := tx.Abort(); err != nil {
		t.Fatalf("abort after commit: %v", err)
	}
	if got := entries(t, dir); len(got) != 2 {
		t.Fatalf("abort after commit changed dataset: %v", got)
	}
}

func TestWriteAppend(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	// Append to a missing directory creates it.
	tx, err := BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	first := writeParts(t, tx, 2, "a")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx2, err := BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	second := writeParts(t, tx2, 2, "b")
	f, err := tx2.Create("year=2020/" + tx2.PartName(7, ".csv"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := tx2.Commit(); err != nil {
		t.Fatal(err)
	}
	want := append(append([]string{"_SUCCESS", "year=2020"}, first...), second...)
	sort.Strings(want)
	if got := entries(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if tx.WriteID() == tx2.WriteID() {
		t.Fatal("write ids collide")
	}
	noTemps(t, parent)
	files, err := ListFiles(dir, ".csv")
	if err != nil || len(files) != 5 {
		t.Fatalf("list: %v %v", files, err)
	}
	// An aborted append leaves the dataset as it was.
	tx3, err := BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx3, 1, "c")
	if err := tx3.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("after aborted append: %v", got)
	}
	noTemps(t, parent)
}

func TestWriteIgnore(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	tx, err := BeginWrite(dir, Ignore)
	if err != nil || tx.Skipped() {
		t.Fatalf("ignore on new dir: %v skipped=%v", err, tx != nil && tx.Skipped())
	}
	writeParts(t, tx, 1, "x")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	before := entries(t, dir)
	tx, err = BeginWrite(dir, Ignore)
	if err != nil || !tx.Skipped() {
		t.Fatalf("ignore on existing dir: %v", err)
	}
	if _, err := tx.Create("x.csv"); err == nil {
		t.Fatal("create on skipped write should fail")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, before) {
		t.Fatalf("ignore changed dataset: %v", got)
	}
	noTemps(t, parent)
}

func TestCreateConcurrent(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	tx, err := BeginWrite(dir, ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	const n = 32
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := tx.Create(fmt.Sprintf("p=%d/%s", i%4, tx.PartName(i, ".csv")))
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = fmt.Fprintf(f, "%d", i)
			if cerr := f.Close(); errs[i] == nil {
				errs[i] = cerr
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	files, err := ListFiles(dir, ".csv")
	if err != nil || len(files) != n {
		t.Fatalf("got %d files: %v", len(files), err)
	}
	if _, err := tx.Create("../escape.csv"); err == nil {
		t.Fatal("non-local name accepted")
	}
	noTemps(t, parent)
}

func TestCommitFailures(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	writeFile(t, filepath.Join(dir, "old.csv"), "old")

	// Overwrite whose final rename fails restores the old dataset.
	tx, err := BeginWrite(dir, Overwrite)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 2, "new")
	tx.exchange = func(a, b string) (bool, error) { return false, nil } // the two-rename path
	tx.rename = func(from, to string) error {
		if from == tx.tmp {
			return errors.New("injected rename failure")
		}
		return os.Rename(from, to)
	}
	if err := tx.Commit(); err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("commit: %v", err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, []string{"old.csv"}) {
		t.Fatalf("old dataset not restored: %v", got)
	}
	noTemps(t, parent)

	// Append whose second move fails moves the first one back.
	tx, err = BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 3, "new")
	calls := 0
	tx.rename = func(from, to string) error {
		calls++
		if calls == 2 {
			return errors.New("injected rename failure")
		}
		return os.Rename(from, to)
	}
	if err := tx.Commit(); err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("append commit: %v", err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, []string{"old.csv"}) {
		t.Fatalf("failed append changed dataset: %v", got)
	}
	noTemps(t, parent)

	// Append refuses to replace an existing file.
	tx, err = BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	names := writeParts(t, tx, 2, "new")
	writeFile(t, filepath.Join(dir, names[1]), "clash")
	if err := tx.Commit(); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("collision: %v", err)
	}
	if got := entries(t, dir); !reflect.DeepEqual(got, []string{"old.csv", names[1]}) {
		t.Fatalf("failed append changed dataset: %v", got)
	}
	noTemps(t, parent)

	// ErrorIfExists fails at commit when the directory appeared meanwhile.
	dir2 := filepath.Join(parent, "late")
	tx, err = BeginWrite(dir2, ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 1, "new")
	writeFile(t, filepath.Join(dir2, "other"), "x")
	if err := tx.Commit(); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("late exists: %v", err)
	}
	if got := entries(t, dir2); !reflect.DeepEqual(got, []string{"other"}) {
		t.Fatalf("dataset changed: %v", got)
	}
	noTemps(t, parent)

	// A plain file in the way is an error.
	file := filepath.Join(parent, "file")
	writeFile(t, file, "x")
	if _, err := BeginWrite(file, Overwrite); err == nil {
		t.Fatal("file path accepted")
	}
	if _, err := BeginWrite(dir, SaveMode(9)); err == nil {
		t.Fatal("bad mode accepted")
	}
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// What a killed writer left is removed by the next write of the same
// dataset: its temporary directory, and the old dataset an overwrite had
// moved aside — put back first when the dataset itself is missing (the
// writer died between its two renames). A live process's are kept.
func TestBeginWriteRemovesDebrisOfDeadWriters(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	dead := deadPID(t)
	writeFile(t, filepath.Join(parent, fmt.Sprintf(".out.tmp-%d-abc", dead), "part-0.csv"), "partial")
	writeFile(t, filepath.Join(parent, fmt.Sprintf(".out.old-%d-def", dead), "old.csv"), "old")
	live := filepath.Join(parent, fmt.Sprintf(".out.tmp-%d-ghi", os.Getppid()))
	writeFile(t, filepath.Join(live, "part-0.csv"), "in progress")
	other := filepath.Join(parent, fmt.Sprintf(".other.tmp-%d-jkl", dead))
	writeFile(t, filepath.Join(other, "x.csv"), "x")

	tx, err := BeginWrite(dir, Append)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 1, "new")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// The interrupted overwrite's old dataset is back, with the append.
	if got := entries(t, dir); len(got) != 3 || got[0] != "_SUCCESS" || got[1] != "old.csv" {
		t.Fatalf("dataset after recovery: %v", got)
	}
	var left []string
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		left = append(left, e.Name())
	}
	want := []string{filepath.Base(other), filepath.Base(live), "out"}
	if !reflect.DeepEqual(left, want) {
		t.Fatalf("left in the parent: %v, want %v", left, want)
	}
}

// An overwrite swaps the new dataset in with one atomic exchange where the
// file system can: no moment without the dataset, nothing left behind.
func TestOverwriteExchangesAtomically(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	writeFile(t, filepath.Join(dir, "old.csv"), "old")
	tx, err := BeginWrite(dir, Overwrite)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 1, "new")
	swapped := false
	tx.exchange = func(a, b string) (bool, error) {
		ok, err := exchange(a, b)
		swapped = ok
		return ok, err
	}
	tx.rename = func(from, to string) error {
		if swapped {
			return errors.New("rename after a successful exchange")
		}
		return os.Rename(from, to)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" && !swapped {
		t.Log("the file system cannot exchange directories: the two-rename path ran")
	}
	if got := entries(t, dir); len(got) != 2 || got[0] != "_SUCCESS" || !strings.HasPrefix(got[1], "part-") {
		t.Fatalf("dataset: %v", got)
	}
	noTemps(t, parent)
}

// A written dataset directory is 0755 less the umask, not 0700.
func TestDatasetDirectoryMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	tx, err := BeginWrite(dir, ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	writeParts(t, tx, 1, "x")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got&0o700 != 0o700 || got&0o055 == 0 && umask()&0o055 != 0o055 {
		t.Errorf("mode %v", got)
	}
}
