package answers

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// OrderKeysFile is the name of the file, beside a suite's queries, that lists
// the ORDER BY keys of each query (testdata/tpch/order_keys.txt).
const OrderKeysFile = "order_keys.txt"

// ReadOrderKeys reads an order-keys file: one line per query with an ORDER BY,
// its name then the 0-based positions of the output columns it sorts on,
// separated by spaces ("q03 1 2"). Blank lines and lines starting with # are
// skipped. The map it returns gives Compare its keys; a query missing from it
// has no ORDER BY.
func ReadOrderKeys(r io.Reader) (map[string][]int, error) {
	keys := map[string][]int{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want a query name and at least one column position, got %q", line, text)
		}
		if _, dup := keys[f[0]]; dup {
			return nil, fmt.Errorf("line %d: query %s is listed twice", line, f[0])
		}
		cols := make([]int, len(f)-1)
		for i, s := range f[1:] {
			k, err := strconv.Atoi(s)
			if err != nil || k < 0 {
				return nil, fmt.Errorf("line %d, field %d: column position %q is not a non-negative integer", line, i+2, s)
			}
			cols[i] = k
		}
		keys[f[0]] = cols
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return keys, nil
}

// ReadOrderKeysFile reads the order-keys file at path (ReadOrderKeys).
func ReadOrderKeysFile(path string) (map[string][]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys, err := ReadOrderKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}
