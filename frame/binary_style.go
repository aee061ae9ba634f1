package frame

import (
	"fmt"
	"strings"
)

// binaryOutputStyles are the values of spark.sql.binaryOutputStyle (Spark
// 4.0): how result display shows BINARY values.
func binaryOutputStyles() []string {
	return []string{"UTF-8", "BASIC", "BASE64", "HEX", "HEX_DISCRETE"}
}

// binaryOutputStyle checks a value of spark.sql.binaryOutputStyle and
// returns it in upper case ("UTF8" reads as "UTF-8"; empty unsets it).
func binaryOutputStyle(value string) (string, error) {
	v := strings.ToUpper(strings.TrimSpace(value))
	if v == "" {
		return "", nil
	}
	if v == "UTF8" {
		v = "UTF-8"
	}
	for _, s := range binaryOutputStyles() {
		if v == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("%s: %q is not one of %s", confBinaryStyle, value, strings.Join(binaryOutputStyles(), ", "))
}
