package source

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// HiveDefaultPartition is the directory value Spark and Hive write for a
// null partition value.
const HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__"

// Partitioning is what hive-style directories (key=value/…) under a root
// say about a dataset's files: the partition columns and, per directory, the
// values and the files inside it.
type Partitioning struct {
	// Fields are the partition columns in directory order, typed as Spark
	// infers them: int, bigint, double, date or string, all nullable.
	Fields []arrow.Field
	Groups []PartitionGroup
}

// PartitionGroup is one leaf directory's partition values and files.
type PartitionGroup struct {
	// Dir is the directory relative to the root, e.g. "year=2020/month=1".
	Dir string
	// Values holds one value per field: int32, int64, float64, int32 days
	// since the epoch (date), string, or nil for null; partitions from a
	// table's log (Delta) also hold int8, int16, float32, bool, []byte and
	// int64 microseconds (timestamp).
	Values []any
	Files  []string
}

// DiscoverPartitions reads the key=value directory names between root and
// each file. It returns nil when no file lies under such a directory, and an
// error when files disagree on the keys (Spark's "conflicting directory
// structures"). Keys keep their case; values are unescaped (%XX) and
// HiveDefaultPartition is null.
func DiscoverPartitions(root string, files []string) (*Partitioning, error) {
	var keys []string
	var keysFrom string
	groups := map[string]int{}
	var p Partitioning
	var raw [][]string
	for i, f := range files {
		rel, err := filepath.Rel(root, filepath.Dir(f))
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, fmt.Errorf("file %s is not under the base path %s", f, root)
		}
		var ks, vs []string
		if rel != "." {
			for _, seg := range strings.Split(filepath.ToSlash(rel), "/") {
				k, v, ok := strings.Cut(seg, "=")
				if !ok || k == "" {
					ks, vs = nil, nil // a plain directory resets, as Spark reads the innermost run
					continue
				}
				uv, err := url.PathUnescape(v)
				if err != nil {
					uv = v
				}
				ks = append(ks, k)
				vs = append(vs, uv)
			}
		}
		if i == 0 {
			keys, keysFrom = ks, f
		} else if strings.Join(ks, "/") != strings.Join(keys, "/") {
			return nil, fmt.Errorf("conflicting directory structures: %s is partitioned by (%s) but %s by (%s); set option basePath or read the directories apart",
				keysFrom, strings.Join(keys, ", "), f, strings.Join(ks, ", "))
		}
		if len(ks) == 0 {
			continue
		}
		dir := filepath.ToSlash(rel)
		g, ok := groups[dir]
		if !ok {
			g = len(p.Groups)
			groups[dir] = g
			p.Groups = append(p.Groups, PartitionGroup{Dir: dir})
			raw = append(raw, vs)
		}
		p.Groups[g].Files = append(p.Groups[g].Files, f)
	}
	if len(keys) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[strings.ToLower(k)] {
			return nil, fmt.Errorf("partition column %s appears twice in %s", k, keysFrom)
		}
		seen[strings.ToLower(k)] = true
	}
	for c, k := range keys {
		vals := make([]string, len(raw))
		for g := range raw {
			vals[g] = raw[g][c]
		}
		t, conv := inferPartitionType(vals)
		p.Fields = append(p.Fields, arrow.Field{Name: k, Type: t, Nullable: true})
		for g := range p.Groups {
			p.Groups[g].Values = append(p.Groups[g].Values, conv(vals[g]))
		}
	}
	return &p, nil
}

// inferPartitionType returns the narrowest of int, bigint, double, date and
// string that every non-null value parses as, and the conversion to it.
func inferPartitionType(vals []string) (arrow.DataType, func(string) any) {
	all := func(ok func(string) bool) bool {
		for _, v := range vals {
			if v != HiveDefaultPartition && !ok(v) {
				return false
			}
		}
		return true
	}
	nullable := func(f func(string) any) func(string) any {
		return func(v string) any {
			if v == HiveDefaultPartition {
				return nil
			}
			return f(v)
		}
	}
	isInt := func(bits int) func(string) bool {
		return func(v string) bool { _, err := strconv.ParseInt(v, 10, bits); return err == nil }
	}
	switch {
	case all(isInt(32)):
		return arrow.PrimitiveTypes.Int32, nullable(func(v string) any { n, _ := strconv.ParseInt(v, 10, 32); return int32(n) })
	case all(isInt(64)):
		return arrow.PrimitiveTypes.Int64, nullable(func(v string) any { n, _ := strconv.ParseInt(v, 10, 64); return n })
	case all(func(v string) bool {
		_, err := strconv.ParseFloat(v, 64)
		return err == nil && strings.ContainsAny(v, "0123456789") && !strings.ContainsAny(v, "xX_")
	}):
		return arrow.PrimitiveTypes.Float64, nullable(func(v string) any { f, _ := strconv.ParseFloat(v, 64); return f })
	case all(func(v string) bool { _, err := time.Parse("2006-01-02", v); return err == nil }):
		return arrow.FixedWidthTypes.Date32, nullable(func(v string) any {
			t, _ := time.Parse("2006-01-02", v)
			return int32(t.Unix() / 86400)
		})
	}
	return arrow.BinaryTypes.String, nullable(func(v string) any { return v })
}

// PartitionDirName is the directory name of a partition column's value as
// Spark writes it: key=value with characters that are special in paths
// escaped as %XX, and null as HiveDefaultPartition.
func PartitionDirName(key string, value *string) string {
	if value == nil {
		return key + "=" + HiveDefaultPartition
	}
	return escapePartition(key) + "=" + escapePartition(*value)
}

// escapePartition escapes what Spark's ExternalCatalogUtils escapes: control
// characters and " # % ' * / : = ? \ { [ ] ^ DEL.
func escapePartition(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
