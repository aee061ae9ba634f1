package tracking

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// Limits MLflow enforces on keys and values (mlflow/utils/validation.py).
const (
	maxKeyLength      = 250
	maxParamValLength = 6000
	maxTagValLength   = 8000
)

// validateKey checks a param, metric or tag name as MLflow does: only
// letters, digits, underscores, periods, dashes, spaces and slashes, and a
// name that is already its own clean relative path (so it cannot escape its
// folder or name another file).
func validateKey(kind, key string) error {
	if key == "" {
		return fmt.Errorf("tracking: %s name is empty", kind)
	}
	if len(key) > maxKeyLength {
		return fmt.Errorf("tracking: %s name %q is %d bytes long, at most %d allowed", kind, key, len(key), maxKeyLength)
	}
	for i, r := range key {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-' || r == ' ' || r == '/') {
			return fmt.Errorf("tracking: %s name %q: character %q at byte %d: names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ) and slashes (/)", kind, key, r, i)
		}
	}
	if clean := path.Clean(key); clean != key || clean == "." || strings.HasPrefix(clean, "..") || strings.HasPrefix(clean, "/") {
		return fmt.Errorf("tracking: %s name %q would resolve to the path %q", kind, key, clean)
	}
	return nil
}

// validateArtifactPath checks the folder under artifacts/ a file is logged
// to: empty, or a clean relative path that stays inside artifacts/.
func validateArtifactPath(p string) error {
	if p == "" {
		return nil
	}
	clean := path.Clean(p)
	if clean != p || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, "/") {
		return fmt.Errorf("tracking: artifact path %q must be a clean relative path inside the run's artifacts", p)
	}
	return nil
}

// formatMetricValue writes v as Python's repr(float) does, since MLflow
// writes metric values with an f-string: shortest round-trip digits,
// "1.0" rather than "1", exponent form below 1e-4 and from 1e16 on
// ("1e-05", "1e+16"), and nan, inf, -inf.
func formatMetricValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if v == 0 {
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	exp, err := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if err != nil {
		return e
	}
	if exp < -4 || exp >= 16 {
		return e
	}
	f := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(f, ".") {
		f += ".0"
	}
	return f
}

// parseMetricValue reads a value formatFloat (or Python) wrote.
func parseMetricValue(s string) (float64, error) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), nil
	case "inf", "+inf", "infinity":
		return math.Inf(1), nil
	case "-inf", "-infinity":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}
