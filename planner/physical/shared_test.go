package physical

import "testing"

// Above the broadcast threshold, a build side with no more rows than the
// probe side and under SharedBuildFactor thresholds is shared, however wide
// its rows; a threshold of 0 (never
// broadcast) or below keeps the threshold's own decision.
func TestSharedBuild(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		buildRows, probeRows, bytes float64
		threshold                   int64
		want                        bool
	}{
		{1.5e6, 6e6, 57 * mib, 10 * mib, true},   // orders under lineitem
		{6e6, 1.5e6, 57 * mib, 10 * mib, false},  // a build with more rows than the probe
		{7.5e5, 1.5e6, 66 * mib, 10 * mib, true}, // wide build rows over narrow probe rows
		{1e6, 1e9, 640 * mib, 10 * mib, true},    // at the bound
		{1e6, 1e9, 641 * mib, 10 * mib, false},   // above it
		{1.5e6, 6e6, 57 * mib, 0, false},         // broadcasting switched off
		{1.5e6, 6e6, 57 * mib, -1, false},        // the threshold alone decides
		{5e5, 5e5, 5 * mib, 10 * mib, true},      // equal sizes
	} {
		if got := sharedBuild(tc.buildRows, tc.probeRows, tc.bytes, tc.threshold); got != tc.want {
			t.Errorf("sharedBuild(%g, %g, %g, %d) = %v, want %v", tc.buildRows, tc.probeRows, tc.bytes, tc.threshold, got, tc.want)
		}
	}
}
