package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gspark/gspark/ml"
)

// File names inside a registered model's directory and its versions.
const (
	// LatestFile is the pointer file of a registered model: the name of
	// the version in use ("v3") and a newline.
	LatestFile = "latest"
	// VersionFile is the JSON file in each version's directory with its
	// creation time, tags and metrics.
	VersionFile = "version.json"
	// lockFile serializes moves of the latest pointer.
	lockFile = ".lock"
	// maxAttempts bounds the retries of a registration losing the race for
	// a version number.
	maxAttempts = 1000
)

// Version is one registered version of a model.
type Version struct {
	// Name is the registered model's name; Number the version (1, 2, …).
	Name   string
	Number int
	// Dir is the version's directory (ROOT/NAME/vN), a saved model.
	Dir string
	// Created is when the version was registered.
	Created time.Time
	// Tags and Metrics are what the registration recorded (a tracking
	// run's id, the job file, evaluation metrics, …); nil when none.
	Tags    map[string]string
	Metrics map[string]float64
}

// IsZero reports whether v is the zero Version (Resolve's answer for a
// model directory that is not a registered version).
func (v Version) IsZero() bool { return v.Name == "" && v.Number == 0 }

// String is NAME/vN ("" for the zero Version).
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	return v.Name + "/" + versionDir(v.Number)
}

// RegisterOptions are the choices of RegisterWith.
type RegisterOptions struct {
	// Files are extra files saved into the version's directory with the
	// model (e.g. "profile.json"); VersionFile is reserved.
	Files map[string][]byte
	// Tags are recorded with the version (e.g. "run_id").
	Tags map[string]string
	// Metrics are recorded with the version; they must be finite.
	Metrics map[string]float64
}

// versionInfo is the content of VersionFile.
type versionInfo struct {
	Created time.Time          `json:"created"`
	Tags    map[string]string  `json:"tags,omitempty"`
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ValidateName checks a registered model's name: a non-empty directory
// name of letters, digits, '.', '_' and '-', not starting with '.', '_' or
// '-' (so never a path, a hidden file or an option).
func ValidateName(name string) error {
	if !validName.MatchString(name) || len(name) > 200 {
		return fmt.Errorf("model name %q: want letters, digits, '.', '_' and '-', starting with a letter or digit (no path separators)", name)
	}
	return nil
}

func versionDir(n int) string { return "v" + strconv.Itoa(n) }

// parseVersion reads "vN" (N ≥ 1, no leading zeros).
func parseVersion(s string) (int, bool) {
	if len(s) < 2 || s[0] != 'v' || s[1] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 1 || strconv.Itoa(n) != s[1:] {
		return 0, false
	}
	return n, true
}

// ParseVersion reads a version as written on a command line: "v3" or "3".
func ParseVersion(s string) (int, error) {
	if n, ok := parseVersion(s); ok {
		return n, nil
	}
	if n, ok := parseVersion("v" + s); ok {
		return n, nil
	}
	return 0, fmt.Errorf("version %q: want vN or N with N ≥ 1", s)
}

// Register saves model as the next version of name under root (see
// RegisterWith) with files as extra files of its directory.
func Register(root, name string, model ml.Stage, files map[string][]byte) (Version, error) {
	return RegisterWith(root, name, model, RegisterOptions{Files: files})
}

// RegisterWith saves model as version N of name under root, N one more
// than the highest version there, and moves the latest pointer to it
// (unless a concurrent registration has already moved it higher). The
// version appears all at once: it is saved into a hidden directory and
// renamed to ROOT/NAME/vN; when another registration takes N first, the
// rename fails and this one retries with the next number.
func RegisterWith(root, name string, model ml.Stage, opts RegisterOptions) (Version, error) {
	if err := ValidateName(name); err != nil {
		return Version{}, err
	}
	if _, ok := opts.Files[VersionFile]; ok {
		return Version{}, fmt.Errorf("register %s: extra file %s is reserved for the registry", name, VersionFile)
	}
	for k, v := range opts.Metrics {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Version{}, fmt.Errorf("register %s: metric %s is %v; only finite metrics are recorded", name, k, v)
		}
	}
	if err := CanRegister(root, name); err != nil {
		return Version{}, err
	}
	info := versionInfo{Created: time.Now().UTC(), Tags: opts.Tags, Metrics: opts.Metrics}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return Version{}, fmt.Errorf("register %s: %w", name, err)
	}
	files := make(map[string][]byte, len(opts.Files)+1)
	for k, v := range opts.Files {
		files[k] = v
	}
	files[VersionFile] = append(b, '\n')

	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Version{}, fmt.Errorf("register %s: %w", name, err)
	}
	stage, err := os.MkdirTemp(dir, ".register-")
	if err != nil {
		return Version{}, fmt.Errorf("register %s: %w", name, err)
	}
	defer os.RemoveAll(stage)
	staged := filepath.Join(stage, "model")
	if err := ml.SaveWith(model, staged, ml.SaveOptions{Files: files}); err != nil {
		return Version{}, fmt.Errorf("register %s: %w", name, err)
	}
	n := 0
	for attempt := 0; ; attempt++ {
		high, err := highest(dir)
		if err != nil {
			return Version{}, fmt.Errorf("register %s: %w", name, err)
		}
		n = max(n, high) + 1
		err = os.Rename(staged, filepath.Join(dir, versionDir(n)))
		if err == nil {
			break
		}
		// Taken by a concurrent registration: a non-empty directory
		// (ENOTEMPTY/EEXIST) or a file (ENOTDIR) is in the way.
		if !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTDIR) || attempt == maxAttempts {
			return Version{}, fmt.Errorf("register %s: %w", name, err)
		}
	}
	if err := syncDir(dir); err != nil {
		return Version{}, fmt.Errorf("register %s: %w", name, err)
	}
	v := Version{Name: name, Number: n, Dir: filepath.Join(dir, versionDir(n)), Created: info.Created, Tags: info.Tags, Metrics: info.Metrics}
	err = withLock(dir, func() error {
		cur, ok, err := readLatest(dir)
		if err != nil || (ok && cur > n) {
			return err
		}
		return writeLatest(dir, n)
	})
	if err != nil {
		return v, fmt.Errorf("register %s: version %d saved, but moving latest failed: %w", name, n, err)
	}
	return v, nil
}

// CanRegister checks, without writing anything, that a version of name
// can be registered under root: the name is valid, and neither root nor
// ROOT/NAME is a file or a plain saved model (a registry never lives
// inside a model's directory).
func CanRegister(root, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	for _, d := range []string{root, filepath.Join(root, name)} {
		st, err := os.Stat(d)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("register %s: %w", name, err)
		}
		if !st.IsDir() {
			return fmt.Errorf("register %s: %s is a file, not a directory", name, d)
		}
		if isModelDir(d) {
			return fmt.Errorf("register %s: %s is a saved model, not a model registry", name, d)
		}
	}
	return nil
}

// highest returns the highest version number among dir's entries (files
// included, so a stray file named vN is never a rename target), 0 if none.
func highest(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	high := 0
	for _, e := range entries {
		if n, ok := parseVersion(e.Name()); ok && n > high {
			high = n
		}
	}
	return high, nil
}

// numbers returns the version numbers of dir's version directories, ascending.
func numbers(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range entries {
		if n, ok := parseVersion(e.Name()); ok && e.IsDir() {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

func withLock(dir string, f func() error) error {
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	err = f()
	return errors.Join(err, unlock())
}

func lockPath(dir string) string { return filepath.Join(dir, lockFile) }

// readLatest reads dir's latest pointer; ok is false when there is none.
func readLatest(dir string) (n int, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, LatestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, ok = parseVersion(strings.TrimSpace(string(b)))
	if !ok {
		return 0, false, fmt.Errorf("%s: want a version such as v3, found %q", filepath.Join(dir, LatestFile), strings.TrimSpace(string(b)))
	}
	return n, true, nil
}

// writeLatest points dir's latest at version n: a synced temporary file
// renamed over the pointer, then the directory synced.
func writeLatest(dir string, n int) error {
	f, err := os.CreateTemp(dir, "."+LatestFile+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.WriteString(versionDir(n) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, LatestFile))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// modelDir returns ROOT/NAME after checking the name and that the model is
// registered (an error wrapping fs.ErrNotExist otherwise).
func modelDir(root, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(root, name)
	if !isRegistered(dir) {
		have := "none"
		if names, err := Names(root); err == nil && len(names) > 0 {
			have = strings.Join(names, ", ")
		}
		return "", &notFound{fmt.Sprintf("no registered model %q in %s (models: %s)", name, root, have)}
	}
	return dir, nil
}

// notFound is a missing model or version; it wraps fs.ErrNotExist without
// repeating its text.
type notFound struct{ msg string }

func (e *notFound) Error() string { return e.msg }
func (e *notFound) Unwrap() error { return fs.ErrNotExist }

// isRegistered reports whether dir looks like a registered model: it has a
// latest pointer or a version directory.
func isRegistered(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, LatestFile)); err == nil {
		return true
	}
	ns, err := numbers(dir)
	return err == nil && len(ns) > 0
}

// Get returns version n of name under root.
func Get(root, name string, n int) (Version, error) {
	dir, err := modelDir(root, name)
	if err != nil {
		return Version{}, err
	}
	return get(dir, name, n)
}

func get(dir, name string, n int) (Version, error) {
	v := Version{Name: name, Number: n, Dir: filepath.Join(dir, versionDir(n))}
	st, err := os.Stat(v.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		have, _ := numbers(dir)
		return Version{}, &notFound{fmt.Sprintf("model %s has no version %d (versions: %s)", name, n, list(have))}
	}
	if err != nil {
		return Version{}, err
	}
	if !st.IsDir() {
		return Version{}, fmt.Errorf("%s is not a directory", v.Dir)
	}
	b, err := os.ReadFile(filepath.Join(v.Dir, VersionFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A model copied in by hand: its save time stands for the registration.
		md, err := ml.ReadMetadata(v.Dir)
		if err != nil {
			return Version{}, fmt.Errorf("model %s version %d: %w", name, n, err)
		}
		v.Created = time.UnixMilli(md.Timestamp).UTC()
	case err != nil:
		return Version{}, err
	default:
		var info versionInfo
		if err := json.Unmarshal(b, &info); err != nil {
			return Version{}, fmt.Errorf("%s: %w", filepath.Join(v.Dir, VersionFile), err)
		}
		v.Created, v.Tags, v.Metrics = info.Created, info.Tags, info.Metrics
	}
	return v, nil
}

func list(ns []int) string {
	if len(ns) == 0 {
		return "none"
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = versionDir(n)
	}
	return strings.Join(parts, ", ")
}

// List returns the versions of name under root, oldest first.
func List(root, name string) ([]Version, error) {
	dir, err := modelDir(root, name)
	if err != nil {
		return nil, err
	}
	ns, err := numbers(dir)
	if err != nil {
		return nil, err
	}
	out := make([]Version, 0, len(ns))
	for _, n := range ns {
		v, err := get(dir, name, n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Names returns the names of the models registered under root, sorted.
func Names(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("model registry: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && ValidateName(e.Name()) == nil && isRegistered(filepath.Join(root, e.Name())) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// Latest returns the version name's latest pointer names, or its highest
// version when there is no pointer yet.
func Latest(root, name string) (Version, error) {
	dir, err := modelDir(root, name)
	if err != nil {
		return Version{}, err
	}
	return latest(dir, name)
}

func latest(dir, name string) (Version, error) {
	n, ok, err := readLatest(dir)
	if err != nil {
		return Version{}, err
	}
	if !ok {
		ns, err := numbers(dir)
		if err != nil {
			return Version{}, err
		}
		if len(ns) == 0 {
			return Version{}, &notFound{fmt.Sprintf("model %s has no versions", name)}
		}
		n = ns[len(ns)-1]
	}
	return get(dir, name, n)
}

// SetLatest moves name's latest pointer to version n (promoting a version
// or rolling back to an earlier one); the version must exist.
func SetLatest(root, name string, n int) (Version, error) {
	dir, err := modelDir(root, name)
	if err != nil {
		return Version{}, err
	}
	v, err := get(dir, name, n)
	if err != nil {
		return Version{}, err
	}
	if err := withLock(dir, func() error { return writeLatest(dir, n) }); err != nil {
		return Version{}, fmt.Errorf("model %s: moving latest to v%d: %w", name, n, err)
	}
	return v, nil
}

// isModelDir reports whether dir holds a saved stage (its metadata file).
func isModelDir(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "metadata", "part-00000"))
	return err == nil && st.Mode().IsRegular()
}

// Resolve turns a model path into the directory of a saved model: a
// registered model's directory (ROOT/NAME) gives its latest version's
// directory and that Version; a version's directory (ROOT/NAME/vN) gives
// itself and its Version; any other saved model's directory gives itself
// and the zero Version. Anything else is an error saying what path is.
func Resolve(path string) (string, Version, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", Version{}, fmt.Errorf("model %s: %w", path, err)
	}
	if !st.IsDir() {
		return "", Version{}, fmt.Errorf("model %s is a file; want a saved model's directory or a registered model's (ROOT/NAME)", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", Version{}, fmt.Errorf("model %s: %w", path, err)
	}
	if isModelDir(path) {
		parent := filepath.Dir(abs)
		n, ok := parseVersion(filepath.Base(abs))
		if ok && isRegistered(parent) {
			if _, err := os.Stat(filepath.Join(path, VersionFile)); err == nil {
				v, err := get(filepath.Dir(filepath.Clean(path)), filepath.Base(parent), n)
				return path, v, err
			}
		}
		return path, Version{}, nil
	}
	if isRegistered(path) {
		v, err := latest(filepath.Clean(path), filepath.Base(abs))
		if err != nil {
			return "", Version{}, fmt.Errorf("model %s: %w", path, err)
		}
		return v.Dir, v, nil
	}
	if names, err := Names(path); err == nil && len(names) > 0 {
		return "", Version{}, fmt.Errorf("model %s is a model registry (models: %s); name one of its models, e.g. %s", path, strings.Join(names, ", "), filepath.Join(path, names[0]))
	}
	return "", Version{}, fmt.Errorf("model %s is neither a saved model (no metadata/part-00000) nor a registered model (no versions v1, v2, …)", path)
}
