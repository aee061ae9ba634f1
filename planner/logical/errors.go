package logical

import (
	"errors"
	"fmt"
)

// ErrAnalysis marks errors found while resolving names and types.
var ErrAnalysis = errors.New("analysis error")

// AnalysisErr formats an analysis error that wraps ErrAnalysis.
func AnalysisErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrAnalysis, fmt.Sprintf(format, args...))
}
