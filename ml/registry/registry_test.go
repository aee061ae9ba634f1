package registry

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/feature"
)

func model(threshold float64) ml.Stage {
	return feature.NewBinarizer().SetInputCol("x").SetOutputCol("y").SetThreshold(threshold)
}

func mustRegister(t *testing.T, root, name string, m ml.Stage, opts RegisterOptions) Version {
	t.Helper()
	v, err := RegisterWith(root, name, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readLatestFile(t *testing.T, root, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegisterNumbersVersionsAndMovesLatest(t *testing.T) {
	root := t.TempDir()
	before := time.Now().Add(-time.Second)
	v1, err := Register(root, "churn", model(0.5), map[string][]byte{"profile.json": []byte(`{"p":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Number != 1 || v1.Name != "churn" || v1.Dir != filepath.Join(root, "churn", "v1") || v1.String() != "churn/v1" {
		t.Fatalf("first version: %+v", v1)
	}
	if got := readLatestFile(t, root, "churn"); got != "v1\n" {
		t.Errorf("latest after v1: %q", got)
	}
	v2 := mustRegister(t, root, "churn", model(0.7), RegisterOptions{Tags: map[string]string{"run_id": "abc"}, Metrics: map[string]float64{"eval.auc": 0.91}})
	after := time.Now().Add(time.Second)
	if v2.Number != 2 {
		t.Fatalf("second version: %+v", v2)
	}
	if got := readLatestFile(t, root, "churn"); got != "v2\n" {
		t.Errorf("latest after v2: %q", got)
	}
	// The extra file is in v1, the registry's own file in both.
	if b, err := os.ReadFile(filepath.Join(root, "churn", "v1", "profile.json")); err != nil || string(b) != `{"p":1}` {
		t.Errorf("profile.json: %q, %v", b, err)
	}
	vs, err := List(root, "churn")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Number != 1 || vs[1].Number != 2 {
		t.Fatalf("List: %+v", vs)
	}
	if vs[1].Tags["run_id"] != "abc" || vs[1].Metrics["eval.auc"] != 0.91 || vs[0].Tags != nil {
		t.Errorf("tags and metrics: %+v", vs)
	}
	for _, v := range vs {
		if v.Created.Before(before) || v.Created.After(after) {
			t.Errorf("v%d created %v, not between %v and %v", v.Number, v.Created, before, after)
		}
	}
	l, err := Latest(root, "churn")
	if err != nil || l.Number != 2 {
		t.Errorf("Latest: %+v %v", l, err)
	}
	// Each version is a loadable model: v2 has the second threshold.
	st, err := all.Load(context.Background(), v2.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := st.Params().Get("threshold"); th != 0.7 {
		t.Errorf("v2's threshold: %v", th)
	}
	// A second name is independent.
	if v := mustRegister(t, root, "fraud", model(0), RegisterOptions{}); v.Number != 1 {
		t.Errorf("fraud's first version: %+v", v)
	}
	names, err := Names(root)
	if err != nil || !slices.Equal(names, []string{"churn", "fraud"}) {
		t.Errorf("Names: %v %v", names, err)
	}
}

func TestConcurrentRegistrationsGetDistinctNumbers(t *testing.T) {
	root := t.TempDir()
	const n = 8
	var wg sync.WaitGroup
	got := make([]Version, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = Register(root, "churn", model(float64(i)), nil)
		}()
	}
	wg.Wait()
	var numbers []int
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("registration %d: %v", i, errs[i])
		}
		numbers = append(numbers, got[i].Number)
		// The version holds the model this registration saved.
		st, err := all.Load(context.Background(), got[i].Dir)
		if err != nil {
			t.Fatal(err)
		}
		if th, _ := st.Params().Get("threshold"); th != float64(i) {
			t.Errorf("registration %d saved as v%d holds threshold %v", i, got[i].Number, th)
		}
	}
	slices.Sort(numbers)
	if !slices.Equal(numbers, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("numbers: %v", numbers)
	}
	if l := readLatestFile(t, root, "churn"); l != "v8\n" {
		t.Errorf("latest after concurrent registrations: %q", l)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "churn"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ".lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestSetLatestPromotesAndRollsBack(t *testing.T) {
	root := t.TempDir()
	for range 3 {
		mustRegister(t, root, "churn", model(0), RegisterOptions{})
	}
	v, err := SetLatest(root, "churn", 1)
	if err != nil || v.Number != 1 {
		t.Fatalf("SetLatest 1: %+v %v", v, err)
	}
	if l := readLatestFile(t, root, "churn"); l != "v1\n" {
		t.Errorf("latest after rollback: %q", l)
	}
	dir, rv, err := Resolve(filepath.Join(root, "churn"))
	if err != nil || dir != filepath.Join(root, "churn", "v1") || rv.Number != 1 {
		t.Errorf("Resolve after rollback: %s %+v %v", dir, rv, err)
	}
	if _, err := SetLatest(root, "churn", 9); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "v1, v2, v3") {
		t.Errorf("SetLatest 9: %v", err)
	}
	if l := readLatestFile(t, root, "churn"); l != "v1\n" {
		t.Errorf("latest after a failed promote: %q", l)
	}
	// A new registration moves latest on from a rolled-back version.
	if v := mustRegister(t, root, "churn", model(0), RegisterOptions{}); v.Number != 4 {
		t.Errorf("after rollback, registered %+v", v)
	}
	if l := readLatestFile(t, root, "churn"); l != "v4\n" {
		t.Errorf("latest: %q", l)
	}
	if _, err := SetLatest(root, "nope", 1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SetLatest of an unknown model: %v", err)
	}
}

func TestRegisterDoesNotMoveLatestBackwards(t *testing.T) {
	// A registration finishing after a later one (the race the lock
	// serializes) leaves latest at the higher number.
	root := t.TempDir()
	mustRegister(t, root, "churn", model(0), RegisterOptions{})
	mustRegister(t, root, "churn", model(0), RegisterOptions{})
	dir := filepath.Join(root, "churn")
	if err := writeLatest(dir, 5); err != nil {
		t.Fatal(err)
	}
	mustRegister(t, root, "churn", model(0), RegisterOptions{})
	if l := readLatestFile(t, root, "churn"); l != "v5\n" {
		t.Errorf("latest: %q", l)
	}
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	v1 := mustRegister(t, root, "churn", model(0), RegisterOptions{})
	v2 := mustRegister(t, root, "churn", model(1), RegisterOptions{Tags: map[string]string{"k": "v"}})
	plain := filepath.Join(t.TempDir(), "plain")
	if err := ml.Save(model(0), plain); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	file := filepath.Join(empty, "f.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, dir string
		v         Version
	}{
		{filepath.Join(root, "churn"), v2.Dir, v2},
		{filepath.Join(root, "churn") + "/", v2.Dir, v2},
		{v1.Dir, v1.Dir, v1},
		{plain, plain, Version{}},
	} {
		dir, v, err := Resolve(c.path)
		if err != nil {
			t.Errorf("Resolve(%s): %v", c.path, err)
			continue
		}
		if filepath.Clean(dir) != filepath.Clean(c.dir) || v.Name != c.v.Name || v.Number != c.v.Number || !v.Created.Equal(c.v.Created) {
			t.Errorf("Resolve(%s) = %s %+v, want %s %+v", c.path, dir, v, c.dir, c.v)
		}
	}
	// From inside the registered model's directory.
	t.Chdir(filepath.Join(root, "churn"))
	if dir, v, err := Resolve("."); err != nil || dir != "v2" || v.Name != "churn" || v.Number != 2 {
		t.Errorf(`Resolve("."): %s %+v %v`, dir, v, err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(root, "none"), "no such file"},
		{file, "is a file"},
		{empty, "neither a saved model"},
		{root, "is a model registry (models: churn)"},
	} {
		if _, _, err := Resolve(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Resolve(%s): %v, want %q", c.path, err, c.want)
		}
	}
}

func TestBadNames(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"", "a/b", "../x", "..", ".", ".hidden", "-x", "_x", "a b", `a\b`, "a:b", strings.Repeat("a", 201)} {
		if _, err := Register(root, name, model(0), nil); err == nil || !strings.Contains(err.Error(), "model name") {
			t.Errorf("Register %q: %v", name, err)
		}
		if _, err := List(root, name); err == nil {
			t.Errorf("List %q succeeded", name)
		}
		if _, err := SetLatest(root, name, 1); err == nil {
			t.Errorf("SetLatest %q succeeded", name)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("bad names created %v", entries)
	}
	for _, name := range []string{"churn", "churn-2", "Churn_v2.1", "7"} {
		if err := ValidateName(name); err != nil {
			t.Errorf("ValidateName(%q): %v", name, err)
		}
	}
}

func TestRegisterRefuses(t *testing.T) {
	root := t.TempDir()
	if _, err := Register(root, "m", model(0), map[string][]byte{VersionFile: nil}); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("version.json as an extra file: %v", err)
	}
	if _, err := RegisterWith(root, "m", model(0), RegisterOptions{Metrics: map[string]float64{"auc": math.NaN()}}); err == nil || !strings.Contains(err.Error(), "finite") {
		t.Errorf("NaN metric: %v", err)
	}
	if _, err := Register(root, "m", model(0), map[string][]byte{"data/x": nil}); err == nil {
		t.Error("an extra file under data/ was accepted")
	}
	// No version of a failed registration is visible.
	if _, err := List(root, "m"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("List after failed registrations: %v", err)
	}
}

func TestLeftoversAndMissingPointer(t *testing.T) {
	root := t.TempDir()
	mustRegister(t, root, "churn", model(0), RegisterOptions{})
	dir := filepath.Join(root, "churn")
	// What a crash mid-registration leaves: a hidden staging directory
	// with a half-written model, and a stray pointer temp file.
	if err := os.MkdirAll(filepath.Join(dir, ".register-123", ".model.tmp-9", "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".latest.tmp-1"), []byte("v9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vs, err := List(root, "churn")
	if err != nil || len(vs) != 1 {
		t.Fatalf("List with leftovers: %+v %v", vs, err)
	}
	// A stray file named like a version is skipped by readers but never
	// overwritten: the next version takes the number after it.
	if err := os.WriteFile(filepath.Join(dir, "v2"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if v := mustRegister(t, root, "churn", model(0), RegisterOptions{}); v.Number != 3 {
		t.Errorf("after a stray v2 file: %+v", v)
	}
	// Without a pointer, the highest version is the latest.
	if err := os.Remove(filepath.Join(dir, "latest")); err != nil {
		t.Fatal(err)
	}
	if v, err := Latest(root, "churn"); err != nil || v.Number != 3 {
		t.Errorf("Latest without a pointer: %+v %v", v, err)
	}
	// A corrupt pointer is an error naming the file.
	if err := os.WriteFile(filepath.Join(dir, "latest"), []byte("three\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Latest(root, "churn"); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "latest")) {
		t.Errorf("corrupt pointer: %v", err)
	}
}

func TestParseVersion(t *testing.T) {
	for s, want := range map[string]int{"v1": 1, "3": 3, "v12": 12} {
		if n, err := ParseVersion(s); err != nil || n != want {
			t.Errorf("ParseVersion(%q) = %d, %v", s, n, err)
		}
	}
	for _, s := range []string{"", "v", "v0", "0", "v01", "x3", "v-1", "v1.5"} {
		if _, err := ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", s)
		}
	}
}

func ExampleRegister() {
	root, _ := os.MkdirTemp("", "registry-")
	defer os.RemoveAll(root)
	m := feature.NewBinarizer().SetInputCol("x").SetOutputCol("y")
	for range 2 {
		if _, err := Register(root, "churn", m, nil); err != nil {
			fmt.Println(err)
		}
	}
	dir, v, _ := Resolve(filepath.Join(root, "churn"))
	fmt.Println(v, filepath.Base(dir))
	// Output: churn/v2 v2
}

func TestCanRegister(t *testing.T) {
	tmp := t.TempDir()
	plain := filepath.Join(tmp, "plain")
	if err := ml.Save(model(0), plain); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ root, name, want string }{
		{tmp, "plain", "is a saved model, not a model registry"},
		{plain, "m", "is a saved model, not a model registry"},
		{file, "m", "is a file"},
		{tmp, "file", "is a file"},
		{tmp, "a/b", "model name"},
	} {
		err := CanRegister(c.root, c.name)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CanRegister(%s, %s): %v, want %q", c.root, c.name, err, c.want)
		}
		if _, err := Register(c.root, c.name, model(0), nil); err == nil {
			t.Errorf("Register(%s, %s) succeeded", c.root, c.name)
		}
	}
	if err := CanRegister(filepath.Join(tmp, "new", "models"), "m"); err != nil {
		t.Errorf("a registry yet to be made: %v", err)
	}
}
